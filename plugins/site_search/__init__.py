"""Site search with Pagefind: a French index of the chronicles and pages, written during the build."""

from .site_search import register

__all__ = ["register"]
