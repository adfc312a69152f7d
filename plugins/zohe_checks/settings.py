"""Defaults of the content checks, merged with the site's `ZOHE_CHECKS` setting."""

import metadata_keys

DEFAULTS = {
    # Metadata every chronicle must state itself (Pelican would silently fill some), and the
    # keys the site reads, Pelican's and the theme's: the one list is metadata_keys.py. Any
    # other is a typo ("Tag:"), which Pelican would keep without a word. "Status : draft",
    # with a French space before the colon, ends Python-Markdown's header there and
    # publishes the rest as text.
    "required_article_metadata": metadata_keys.REQUIRED,
    "metadata_keys": metadata_keys.ACCEPTED,
    # Output files whose links and assets are checked.
    "checked_suffixes": (".html",),
    # The old WordPress site's hosts: it was published at zohe.fr, where the new one is, its
    # chronicles at /<slug>/ or /YYYY/MM/DD/<slug>/. SITEURL's host is added to these.
    "old_site_hosts": ("zohe.fr", "www.zohe.fr"),
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("ZOHE_CHECKS", {}))
    return settings
