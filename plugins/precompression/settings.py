"""Defaults of the precompression plugin, merged with the site's `PRECOMPRESSION` setting."""

DEFAULTS = {
    # Files that get compressed copies, by extension (nginx's gzip_static and brotli_static).
    "extensions": (".atom", ".css", ".html", ".js", ".json", ".rss", ".svg", ".txt", ".xml", ".ico"),
    # Smaller files are left alone: headers would outweigh what compression saves.
    "min_size": 20,
    # Folder of the cache of copies (publishconf.py sets one beside the releases); None: no
    # cache, every copy is made.
    "folder": None,
    # Cached copies unused by this many builds in a row are removed.
    "keep_builds": 3,
    # Below this many bytes to compress, no process pool (its start costs more than it saves);
    # brotli at quality 11 takes about a second a megabyte.
    "pool_threshold": 64 * 1024,
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("PRECOMPRESSION", {}))
    return settings
