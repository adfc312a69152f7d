"""Defaults of the hashed assets plugin, merged with the site's `HASHED_ASSETS` setting."""

DEFAULTS = {
    # Files of the theme's static folders that get a hashed name.
    "suffixes": (".css", ".js"),
    # Hex digits of SHA-256 kept in the name: 10 is 40 bits, plenty for a handful of files.
    "length": 10,
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("HASHED_ASSETS", {}))
    return settings
