"""Where Isso's SQLite database is, and how to read it without Isso: the one home the build and the comment server share.

It lives at the repository's root, beside pelicanconf.py, rather than in ``comments/``
or ``plugins/``: the build (the baked comments plugin) reads the comments at every
build, and must not import the comment server's package, nor Isso, to find or open
the database; the comment server and its moderation commands open the same file the
same way. It imports nothing of either room.
"""

import os
from pathlib import Path
import sqlite3
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parent

# The environment variable that names the database, for the build and the server alike
# (deploy.env and comments.env in production).
VARIABLE = "ZOHE_COMMENTS_DB"
# Where the database is when ZOHE_COMMENTS_DB is unset: beside the working copy for the
# preview, its server and the tests (var/ is not in git); the server's place for a
# production build (publishconf.py), where comments.env names the same file for the server.
DEFAULT = "var/comments.db"
PRODUCTION = "/var/lib/zohe/comments.db"


def resolve(value):
    """``value`` as a path: ``~`` expanded, and relative to the repository, not the working directory."""
    path = Path(os.path.expanduser(os.fspath(value)))
    return path if path.is_absolute() else REPO_ROOT / path


def path(environ=None, configured=None, default=DEFAULT):
    """The database: ``ZOHE_COMMENTS_DB``, else ``configured`` (the ``dbpath`` Isso's file names, if any), else ``default``."""
    environ = os.environ if environ is None else environ
    return resolve(environ.get(VARIABLE) or configured or default)


def sqlite_uri(database, mode, **options):
    """The SQLite URI of ``database`` opened with ``mode`` (ro, rw, rwc), plus ``options`` (``immutable=1``).

    The path is percent-encoded: in a URI, a "#" or "?" in a folder's name would end the
    path and a "%" would start an escape, so SQLite would open another file.
    """
    query = "&".join(f"{key}={value}" for key, value in {"mode": mode, **options}.items())
    return f"file:{quote(os.path.abspath(database))}?{query}"


def read(database, sql, parameters=(), mode="ro", timeout=5.0):
    """Rows of ``sql`` from ``database``, never created, and read even where this user may not write.

    A WAL database in a folder SQLite may not write (zohe-refresh.service mounts
    /var/lib/zohe read-only; a moderator's account) cannot get the -shm file a read
    needs. With no -wal or journal beside it the file holds every committed change, so
    reading it as immutable gives exactly the same rows. With one, the error stands.
    ``mode="rw"`` (the moderation commands) closes a writable database as the server
    does, its -wal and -shm removed rather than left owned by the reader.
    """
    try:
        return _rows(sqlite_uri(database, mode), sql, parameters, timeout)
    except sqlite3.OperationalError:
        if any(os.path.exists(f"{database}{suffix}") for suffix in ("-wal", "-journal")):
            raise
    return _rows(sqlite_uri(database, "ro", immutable=1), sql, parameters, timeout)


def _rows(uri, sql, parameters, timeout):
    connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()
