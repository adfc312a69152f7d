"""Defaults of the baked comments, merged with the site's `BAKED_COMMENTS` setting."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFAULTS = {
    # Isso's SQLite database, opened read-only; a missing file means "no comments yet".
    "database": ROOT / "var" / "comments.db",
    # Isso's configuration: its [markup] section renders the text exactly as the server does.
    # None: the server's own file, named as comments/wsgi.py finds it (ISSO_SETTINGS, else
    # comments/isso.cfg).
    "isso_config": None,
    # Where each chronicle's feed of approved comments is written, beside its page.
    "feed_name": "commentaires.atom.xml",
    "timezone": "Europe/Paris",
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("BAKED_COMMENTS", {}))
    if not settings["isso_config"]:
        # Read at each build, not at import: one process may build with several servers' files.
        from comments.settings import settings_path

        settings["isso_config"] = settings_path()
    return settings
