"""Defaults of the content checks, merged with the site's `ZOHE_CHECKS` setting."""

DEFAULTS = {
    # Metadata every chronicle must state itself (Pelican would silently fill some).
    "required_article_metadata": ("title", "date", "author", "summary"),
    # Metadata keys the site reads, Pelican's and the theme's; any other is a typo ("Tag:"),
    # which Pelican would keep without a word. "Status : draft", with a French space before
    # the colon, ends Python-Markdown's header there and publishes the rest as text.
    "metadata_keys": (
        "title", "date", "modified", "author", "authors", "category", "tags", "slug", "summary",
        "status", "lang", "translation", "template", "save_as", "url", "comments",
        "menu", "price", "period", "cta", "cta_url", "includes",
    ),
    # Output files whose links and assets are checked.
    "checked_suffixes": (".html",),
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("ZOHE_CHECKS", {}))
    return settings
