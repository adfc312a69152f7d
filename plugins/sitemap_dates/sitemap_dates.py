"""Dates the sitemap's listing pages (home, archives, tags…) by the newest published document.

pelican-sitemap gives every page that is not a chronicle or a page the time its
module was imported: each build wrote another sitemap, whose brotli copy (400 KB
at quality 11, about a second) was made again at every push, and told crawlers
that 1,200 listing pages had changed when none had. A listing changes when a
chronicle or page is published or modified, so the newest of their dates is the
listing pages' last modification.
"""

from pelican import signals

import pelican_internals

_DOCUMENT_LISTS = ("articles", "pages")


def latest_change(context):
    """The newest `modified` (or `date`) of the published chronicles and pages, or None."""
    dates = [
        getattr(document, "modified", None) or document.date
        for key in _DOCUMENT_LISTS
        for document in context.get(key, ())
        if getattr(document, "date", None) is not None
    ]
    return max(dates, default=None)


def date_listings(generators):
    latest = latest_change(generators[0].context) if generators else None
    if latest is not None:
        pelican_internals.date_sitemap_listings(latest)


def register():
    signals.all_generators_finalized.connect(date_listings)
