"""Defaults of the hashed assets plugin, merged with the site's `HASHED_ASSETS` setting."""

DEFAULTS = {
    # Files under the theme's static folder (THEME_STATIC_DIR in the output) that get a hash.
    "suffixes": (".css", ".js"),
    # Hex digits of SHA-256 kept in the name: 10 is 40 bits, plenty for a handful of files.
    "length": 10,
    # Output files whose references are rewritten.
    "rewritten_suffixes": (".html", ".css", ".js", ".xml", ".atom", ".rss"),
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("HASHED_ASSETS", {}))
    return settings
