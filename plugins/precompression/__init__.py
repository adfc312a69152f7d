"""Precompressed copies reused from earlier builds for files whose bytes have not changed."""

from .compression_cache import register

__all__ = ["register"]
