"""Defaults of the baked comments, merged with the site's `BAKED_COMMENTS` setting."""

import comments_database

DEFAULTS = {
    # Isso's SQLite database, opened read-only; a missing file means "no comments yet".
    # None: the comment server's own, as comments_database finds it (ZOHE_COMMENTS_DB, else
    # var/comments.db), read at each build.
    "database": None,
    # Isso's configuration: its [markup] section renders the text exactly as the server does.
    # None: the server's own file, named as comments.settings finds it (ISSO_SETTINGS, else
    # comments/isso.cfg), looked up only when there is a comment to render.
    "isso_config": None,
    # Where each chronicle's feed of approved comments is written, beside its page.
    "feed_name": "commentaires.atom.xml",
    "timezone": "Europe/Paris",
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("BAKED_COMMENTS", {}))
    if not settings["database"]:
        # Read at each build, not at import: one process may build for several databases.
        settings["database"] = comments_database.path()
    return settings
