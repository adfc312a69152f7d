"""French typography for Pelican content: no-break spaces, guillemets, apostrophes, ellipses, ordinals."""

from .french_typography import forget_results, register, typeset

__all__ = ["forget_results", "register", "typeset"]
