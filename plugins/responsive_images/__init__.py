"""Responsive images: every raster image of a chronicle or page gets `srcset` variants, a width and a height."""

from .responsive_images import register

__all__ = ["register"]
