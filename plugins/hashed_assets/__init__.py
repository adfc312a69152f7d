"""Content-hashed file names for the theme's stylesheets and scripts, so that browsers may cache them for good."""

from .hashed_assets import register

__all__ = ["register"]
