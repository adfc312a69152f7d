"""Leaves out of pelican-sitemap's sitemap every file that is not a page search engines may index.

pelican-sitemap lists every file Pelican writes: robots.txt, the 404 page and the search
page were submitted while the last two say `noindex`, and search consoles report "submitted
URL marked noindex". The page's own robots meta decides (built_site.indexable), so a page
given `noindex` tomorrow leaves the sitemap with no setting to keep in step.
"""

from pelican import signals

import built_site
import pelican_internals


def filter_sitemap(_pelican):
    # At `initialized`: pelican-sitemap's receiver is connected only once every plugin is registered.
    pelican_internals.sitemap_lists_only(built_site.indexable)


def register():
    signals.initialized.connect(filter_sitemap)
