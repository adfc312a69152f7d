"""The sitemap's listing pages dated by the site's latest change, not by the time of the build."""

from .sitemap_dates import register

__all__ = ["register"]
