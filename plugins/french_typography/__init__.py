"""French typography for Pelican content: no-break spaces, guillemets, apostrophes, ellipses."""

from .french_typography import register, typeset

__all__ = ["register", "typeset"]
