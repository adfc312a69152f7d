"""Defaults of the content checks, merged with the site's `ZOHE_CHECKS` setting."""

DEFAULTS = {
    # Metadata every chronicle must state itself (Pelican would silently fill some).
    "required_article_metadata": ("title", "date", "author", "summary"),
    # Output files whose links and assets are checked.
    "checked_suffixes": (".html",),
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("ZOHE_CHECKS", {}))
    return settings
