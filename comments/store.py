"""Our own tables inside Isso's SQLite database: the write generation counter, the admin login throttle, the website cleaning, the thread address check and the record of deleted comment numbers.

They live in the same file as the comments because every gunicorn worker, the command
line and the backups must see one shared state; SQLite triggers keep the generation
counter right whoever writes (the API, moderation links, the admin page, the CLI, Isso's
purge of stale pending comments).
"""

import os
import sqlite3
import threading
from collections import namedtuple

# Every table that changes what a thread read or a count returns.
WATCHED_TABLES = ("comments", "threads")

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS zohe_generation ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO zohe_generation (id, value) VALUES (1, 0)",
    "CREATE TABLE IF NOT EXISTS zohe_login_failures (address TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS zohe_login_failures_address ON zohe_login_failures (address, at)",
    "CREATE TABLE IF NOT EXISTS zohe_login_lockouts (address TEXT PRIMARY KEY, until REAL NOT NULL)",
] + [
    f"CREATE TRIGGER IF NOT EXISTS zohe_bump_{table}_{event.lower()} AFTER {event} ON {table} "
    "BEGIN UPDATE zohe_generation SET value = value + 1 WHERE id = 1; END"
    for table in WATCHED_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]

# A commenter's website is only ever an http(s) link. Isso's API checks it, but `isso
# import` and direct writes do not, and Isso's admin page makes any stored website a
# clickable href (a `javascript:` one runs in the moderator's session). Cleaning it in
# the database covers every reader of it: the admin page, the API, the baked pages.
UNSAFE_WEBSITE = (
    "{0}.website IS NOT NULL"
    " AND NOT (lower(ltrim({0}.website)) LIKE 'http://%' OR lower(ltrim({0}.website)) LIKE 'https://%')"
)
SCHEMA += [
    f"CREATE TRIGGER IF NOT EXISTS zohe_clean_website_{name} AFTER {event} ON comments "
    f"WHEN {UNSAFE_WEBSITE.format('NEW')} BEGIN UPDATE comments SET website = NULL WHERE id = NEW.id; END"
    for name, event in (("insert", "INSERT"), ("update", "UPDATE OF website"))
] + [
    # Rows written before the triggers existed (an import into a new database).
    f"UPDATE comments SET website = NULL WHERE {UNSAFE_WEBSITE.format('comments')}",
]

# A thread's address is a path on the site (comments.hardening.SITE_PATH, the same rule:
# one leading "/" not followed by another, no backslash, no control character). The
# middleware refuses any other from the API; `isso import` and direct writes would
# still store one, and Isso's admin page links it (a `javascript:` one runs in the
# moderator's session). A new one is refused loudly, since a thread has no empty
# address to fall back on; one stored before the triggers existed is renamed to a
# harmless path, its comments kept for the moderator to judge.
SITE_PATH_SQL = (
    "coalesce(substr({0}, 1, 1) = '/' AND substr({0}, 2, 1) <> '/'"
    " AND NOT {0} GLOB '*[\\' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*'"
    " AND instr(CAST({0} AS BLOB), x'00') = 0, 0)"
)
REFUSED_URI_MESSAGE = "zohe: a thread uri must be a path on the site, like /chroniques/la-juste-mesure/"
SCHEMA += [
    f"CREATE TRIGGER IF NOT EXISTS zohe_refuse_thread_uri_{name} BEFORE {event} ON threads "
    f"WHEN NOT {SITE_PATH_SQL.format('NEW.uri')} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED_URI_MESSAGE}'); END"
    for name, event in (("insert", "INSERT"), ("update", "UPDATE OF uri"))
] + [
    f"UPDATE threads SET uri = '/adresse-refusee/' || id || '/' WHERE NOT {SITE_PATH_SQL.format('uri')}",
]

# Isso's comments table has "id INTEGER PRIMARY KEY" without AUTOINCREMENT: once the
# newest comment is deleted, the next one gets its number again, and a moderation link
# mailed about the first one would act on the second. A link carries its signing time
# in whole seconds only, so comparing it with the new comment's creation leaves the
# second of the deletion in doubt; the middleware (comments.hardening) reads when each
# number was last deleted, whoever deleted it (a commenter, a moderator, Isso's purge).
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_deleted_comments (id INTEGER PRIMARY KEY, at REAL NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS zohe_record_deleted_comment AFTER DELETE ON comments BEGIN"
    " INSERT OR REPLACE INTO zohe_deleted_comments (id, at) VALUES (OLD.id, (julianday('now') - 2440587.5) * 86400.0);"
    " END",
]

BUSY_TIMEOUT_MS = 10_000

# Isso's comment modes (isso/db/comments.py): published, awaiting moderation, deleted but
# still referenced by replies.
PUBLISHED, PENDING, DELETED = 1, 2, 4
Comment = namedtuple("Comment", "mode text created modified")


def prepare(path):
    """Create our tables and triggers (idempotent), clean stored websites and thread addresses, switch the database to WAL.

    WAL lets thread reads and backups proceed while a worker writes; it is a property of
    the file, so setting it once here covers Isso's own connections too.
    """
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            con.execute("PRAGMA journal_mode=WAL")
        with con:
            apply_schema(con)
    finally:
        con.close()


def apply_schema(con):
    """Run SCHEMA on ``con``, inside the caller's transaction (prepare's, or a restore's that holds the write lock)."""
    for statement in SCHEMA:
        con.execute(statement)


def move_generation_past(con, at_least):
    """Move the generation forward, past ``at_least``, on ``con`` (a restore, inside its transaction).

    A restored snapshot carries a generation the workers may already have cached with
    other content: moving it past the replaced database's makes each worker re-render.
    """
    con.execute("UPDATE zohe_generation SET value = MAX(value, ?) + 1 WHERE id = 1", (at_least,))


def session_key(path):
    """Isso's signing key, kept in its preferences table: edit cookies and moderation keys are signed with it."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        return con.execute("SELECT value FROM preferences WHERE key = 'session-key'").fetchone()[0]
    finally:
        con.close()


class Store:
    """Per-process, per-thread connections to the database for our middleware.

    Connections are never shared across a fork (gunicorn ``--preload``) or between
    threads (the development server), hence the key on process and thread.
    """

    def __init__(self, path):
        self.path = str(path)
        self._local = threading.local()

    def connection(self):
        con = getattr(self._local, "con", None)
        if con is None or self._local.pid != os.getpid():
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._local.con, self._local.pid = con, os.getpid()
        return con

    def generation(self):
        """The write generation: it changes whenever comments or threads change."""
        return self.connection().execute("SELECT value FROM zohe_generation WHERE id = 1").fetchone()[0]

    # Comments, as the middleware checks them ------------------------------------

    def comment(self, comment_id):
        """The comment numbered ``comment_id`` (mode, text, created, modified; times in seconds), or None."""
        row = (
            self.connection()
            .execute("SELECT mode, text, created, modified FROM comments WHERE id = ?", (comment_id,))
            .fetchone()
        )
        return Comment(*row) if row else None

    def last_deletion(self, comment_id):
        """When a comment numbered ``comment_id`` was last deleted (seconds), or None."""
        row = self.connection().execute("SELECT at FROM zohe_deleted_comments WHERE id = ?", (comment_id,)).fetchone()
        return row[0] if row else None

    # Admin login throttle --------------------------------------------------------

    def lockout_until(self, address, now):
        row = (
            self.connection()
            .execute("SELECT until FROM zohe_login_lockouts WHERE address = ? AND until > ?", (address, now))
            .fetchone()
        )
        return row[0] if row else None

    def record_login_failure(self, address, now, window, limit, lockout):
        """Record a failed login; lock the address out when it reaches ``limit`` within ``window``.

        Returns the lockout end if this failure triggered one.
        """
        con = self.connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("DELETE FROM zohe_login_failures WHERE at <= ?", (now - window,))
            con.execute("DELETE FROM zohe_login_lockouts WHERE until <= ?", (now,))
            con.execute("INSERT INTO zohe_login_failures (address, at) VALUES (?, ?)", (address, now))
            (count,) = con.execute(
                "SELECT COUNT(*) FROM zohe_login_failures WHERE address = ? AND at > ?", (address, now - window)
            ).fetchone()
            until = None
            if count >= limit:
                until = now + lockout
                con.execute(
                    "INSERT OR REPLACE INTO zohe_login_lockouts (address, until) VALUES (?, ?)", (address, until)
                )
                con.execute("DELETE FROM zohe_login_failures WHERE address = ?", (address,))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return until

    def clear_login_failures(self, address):
        self.connection().execute("DELETE FROM zohe_login_failures WHERE address = ?", (address,))
