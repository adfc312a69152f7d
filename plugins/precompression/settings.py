"""Defaults of the compression cache plugin, merged with the site's `COMPRESSION_CACHE` setting."""

DEFAULTS = {
    # Folder of the cache, under CACHE_PATH unless absolute.
    "folder": "precompressed",
    # The copies pelican-precompress makes beside each text file.
    "suffixes": (".br", ".gz"),
    # Cached copies unused by this many builds in a row are removed.
    "keep_builds": 3,
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("COMPRESSION_CACHE", {}))
    return settings
