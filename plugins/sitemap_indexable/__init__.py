"""The sitemap lists only the pages search engines may index, as each page's robots meta says."""

from .sitemap_indexable import register

__all__ = ["register"]
