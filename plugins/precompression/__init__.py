"""Gzip and brotli copies beside every text file of the site, each made once per content."""

from .precompression import RECIPE, register

__all__ = ["RECIPE", "register"]
