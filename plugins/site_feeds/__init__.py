"""The site's feeds in French: their language and titles, RSS guids that are not links, `{feed}` links to them."""

from .site_feeds import register

__all__ = ["register"]
