"""Our own tables inside Isso's SQLite database: the write generation counter, the admin login throttle, the website and name cleaning, the thread address check, the record of deleted comment numbers, the recent posts that the limits on posting count, the moderation mail's outbox and the admin sessions; the spam filter's tables are in comments.spam.schema.

They live in the same file as the comments because every gunicorn worker, the command
line and the backups must see one shared state; SQLite triggers keep the generation
counter right whoever writes (the API, moderation links, the admin page, the CLI, Isso's
purge of stale pending comments).
"""

import contextlib
import os
import sqlite3
import threading
from collections import namedtuple

from comments import commenter, data_links
from comments.spam import schema as spam_schema

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

# A comment deleted under replies stays as a stub (mode 4, Isso's rule). Isso clears its
# text, name and website but keeps its author's e-mail address, IP, notification and the
# voters' filter (seeded with that IP): nothing of the author stays, whoever deleted it
# (a moderator, the commenter in Isso's edit window, an erasure), and prepare clears the
# stubs made before this rule.
FORGET_STUB = "author = NULL, email = NULL, website = NULL, remote_addr = '', notification = 0, voters = zeroblob(256)"
SCHEMA += [
    "CREATE TRIGGER IF NOT EXISTS zohe_forget_deleted_author AFTER UPDATE OF mode ON comments WHEN NEW.mode = 4 "
    f"BEGIN UPDATE comments SET {FORGET_STUB} WHERE id = NEW.id; END",
]

# Our limits on posting (comments.guard) count each address's recent comments here rather
# than in Isso's comments table, where Isso's own guard counts them per /24 for ever.
# A row holds the address, the thread for a top-level comment (NULL for a reply) and
# when; rows are deleted as their window passes, so no address is kept longer than the
# limit it serves.
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_recent_posts (address TEXT NOT NULL, thread TEXT, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS zohe_recent_posts_address ON zohe_recent_posts (address, at)",
]

# A commenter's name is trimmed (comments.commenter.NAME_SPACES), however it was written:
# the middleware refuses the rest of what a name may not hold before Isso stores it, and
# prepare neutralises names stored before that rule.
TRIMMED_NAME = "trim({0}, char(" + ", ".join(str(ord(c)) for c in commenter.NAME_SPACES) + "))"
SCHEMA += [
    f"CREATE TRIGGER IF NOT EXISTS zohe_trim_author_{name} AFTER {event} ON comments "
    f"WHEN NEW.author <> {TRIMMED_NAME.format('NEW.author')} "
    f"BEGIN UPDATE comments SET author = nullif({TRIMMED_NAME.format('author')}, '') WHERE id = NEW.id; END"
    for name, event in (("insert", "INSERT"), ("update", "UPDATE OF author"))
]

# The moderation mail's outbox (comments.mail): a notification is a row here before any
# SMTP server is tried, so that a restart, a killed worker or an SMTP outage of hours
# loses none. In the database, because every worker must see every row; a worker takes
# a row by moving its `due` time past the time a send can take, in one write
# transaction, so two workers never send one mail, and a row taken by a worker that
# died is taken again once that time has passed. `origin` and `endpoint` are the site's
# and Isso's public addresses as the commenter's request saw them (Isso's own links).
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " comment_id INTEGER NOT NULL, comment_created REAL NOT NULL, origin TEXT NOT NULL, endpoint TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, due REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS zohe_outbox_due ON zohe_outbox (due)",
]

# Admin sessions, so that one can be ended: Isso's own admin cookie is a signed
# {"logged": true} that stays valid for 24 hours whatever happens, a logout or a new
# admin password included. comments.admin keeps one row per login: the SHA-256 of the
# random id the cookie carries (a copy of the database opens no session), a keyed
# fingerprint of the admin password it was opened with (a new password ends them all)
# and its end.
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_admin_sessions ("
    "  digest TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, expires REAL NOT NULL)",
]

# The evidence gathered on each new comment (comments.evidence): the tokens of the form
# already used (a nonce is refused a second time until its token is too old anyway), the
# proofs of work already used (by their signature, until their challenge expires), and
# what was found on each stored comment, for the spam policy and the moderators; its row
# goes with its comment (Isso gives a deleted newest comment's number to the next one).
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_used_tokens (nonce TEXT PRIMARY KEY, expires REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS zohe_used_proofs (signature TEXT PRIMARY KEY, expires REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS zohe_evidence (comment INTEGER PRIMARY KEY, honeypot TEXT NOT NULL,"
    " token TEXT NOT NULL, proof TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS zohe_forget_evidence AFTER DELETE ON comments BEGIN"
    " DELETE FROM zohe_evidence WHERE comment = old.id; END",
]
# The spam filter's tables: held comments, the learned score, the block list (comments.spam.schema).
SCHEMA += spam_schema.SCHEMA
# The links to a commenter's own data, their sessions and the limits on asking (comments.data_links).
SCHEMA += data_links.SCHEMA

BUSY_TIMEOUT_MS = 10_000

# Isso's comment modes (isso/db/comments.py): published, awaiting moderation, deleted but
# still referenced by replies.
PUBLISHED, PENDING, DELETED = 1, 2, 4
Comment = namedtuple("Comment", "mode text created modified")
Outgoing = namedtuple("Outgoing", "id comment_id comment_created origin endpoint attempts kind")
# What an outbox row is: the mail about one comment, the daily summary of held ones
# (comments.spam.digest: comment_id 0, comment_created the time it covers up to), or a
# commenter's link to their own data (comments.data_pages: comment_id its zohe_data_links row).
MAIL_KINDS = ("comment", "spam-digest", "data-link")
MailedComment = namedtuple("MailedComment", "mode author email website text uri title")


def prepare(path):
    """Create our tables and triggers (idempotent), clean stored websites, names and thread addresses, switch the database to WAL.

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
    # The outbox's kind came after the table: a database made before gets the column.
    if "kind" not in {row[1] for row in con.execute("PRAGMA table_info(zohe_outbox)")}:
        con.execute("ALTER TABLE zohe_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'comment'")
    # Names stored before the rule, or by `isso import`: every reader of the
    # database (admin page, mail, command line, baked pages) gets them clean.
    con.create_function("zohe_neutral_name", 1, commenter.neutral_name, deterministic=True)
    con.execute("UPDATE comments SET author = zohe_neutral_name(author) WHERE author IS NOT zohe_neutral_name(author)")
    con.execute(f"UPDATE comments SET {FORGET_STUB} WHERE mode = 4 AND (author IS NOT NULL OR email IS NOT NULL"
                " OR website IS NOT NULL OR remote_addr <> '' OR notification <> 0 OR voters <> zeroblob(256))")


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

    @contextlib.contextmanager
    def write_transaction(self):
        """A write transaction taken at once (BEGIN IMMEDIATE), committed on success, rolled back on any error.

        What every check-then-write of several workers needs: the count, the claim or the
        decision and its record are one step, so two workers never both take the last place.
        """
        con = self.connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

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

    def comment_in_thread(self, comment_id, uri):
        """True when comment ``comment_id`` belongs to the thread of address ``uri``."""
        row = self.connection().execute(
            "SELECT 1 FROM comments JOIN threads ON threads.id = comments.tid WHERE comments.id = ? AND threads.uri = ?",
            (comment_id, uri),
        ).fetchone()
        return row is not None

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
        with self.write_transaction() as con:
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
        return until

    def clear_login_failures(self, address):
        self.connection().execute("DELETE FROM zohe_login_failures WHERE address = ?", (address,))

    # Limits on posting (comments.guard) ----------------------------------------

    def admit_post(self, address, thread, now, per_address, per_thread):
        """Record a post from ``address`` unless a limit refuses it; every worker sees the same count.

        ``per_address`` and ``per_thread`` are ``(count, window in seconds)``: at most that
        many posts from the address in the window, and at most that many top-level ones to
        ``thread`` (None for a reply, which only the first limit counts). Returns ``(row,
        None)`` when admitted, else ``(None, (limit, retry_at))``, ``limit`` being
        "per_address" or "per_thread", whichever frees last. The count and the record are
        one transaction (BEGIN IMMEDIATE), so two workers cannot both take the last place;
        rows that no window needs any more are deleted first.
        """
        limits = {"per_address": (*per_address, "address = ?", (address,))}
        if thread is not None:
            limits["per_thread"] = (*per_thread, "address = ? AND thread = ?", (address, thread))
        with self.write_transaction() as con:
            con.execute(
                "DELETE FROM zohe_recent_posts WHERE at <= ? AND (thread IS NULL OR at <= ?)",
                (now - per_address[1], now - per_thread[1]),
            )
            refusals = []
            for limit, (count, window, where, args) in limits.items():
                times = [at for (at,) in con.execute(
                    f"SELECT at FROM zohe_recent_posts WHERE {where} AND at > ? ORDER BY at", args + (now - window,)
                )]
                if len(times) >= count:
                    # Free again once enough of these posts have left the window.
                    oldest = times[len(times) - count] if count else now
                    refusals.append((oldest + window, limit))
            row = None
            if not refusals:
                row = con.execute(
                    "INSERT INTO zohe_recent_posts (address, thread, at) VALUES (?, ?, ?)", (address, thread, now)
                ).lastrowid
        if refusals:
            retry_at, limit = max(refusals)
            return None, (limit, retry_at)
        return row, None

    def forget_post(self, row):
        """Take back a post admit_post recorded but Isso did not store (invalid, or an error)."""
        self.connection().execute("DELETE FROM zohe_recent_posts WHERE rowid = ?", (row,))

    # Moderation mail outbox (comments.mail) ---------------------------------------

    def queue_mail(self, comment_id, comment_created, origin, endpoint, now, kind="comment"):
        self.connection().execute(
            "INSERT INTO zohe_outbox (comment_id, comment_created, origin, endpoint, due, kind) VALUES (?, ?, ?, ?, ?, ?)",
            (comment_id, comment_created, origin, endpoint, now, kind),
        )

    def claim_mail(self, now, lease):
        """The oldest notification due at ``now``, taken until ``now + lease`` (None if none is due)."""
        with self.write_transaction() as con:
            row = con.execute(
                "SELECT id, comment_id, comment_created, origin, endpoint, attempts, kind FROM zohe_outbox"
                " WHERE due <= ? ORDER BY due, id LIMIT 1",
                (now,),
            ).fetchone()
            if row:
                con.execute("UPDATE zohe_outbox SET due = ? WHERE id = ?", (now + lease, row[0]))
        return Outgoing(*row) if row else None

    def retry_mail(self, outgoing_id, due):
        self.connection().execute(
            "UPDATE zohe_outbox SET attempts = attempts + 1, due = ? WHERE id = ?", (due, outgoing_id)
        )

    def drop_mail(self, outgoing_id):
        self.connection().execute("DELETE FROM zohe_outbox WHERE id = ?", (outgoing_id,))

    def next_mail_due(self):
        """When the next notification is due (seconds), or None if the outbox is empty."""
        return self.connection().execute("SELECT MIN(due) FROM zohe_outbox").fetchone()[0]

    def mailed_comment(self, comment_id, created):
        """What the moderation mail shows of comment ``comment_id``, if it is still the one created at ``created``.

        Isso gives a deleted comment's number to the next one: a notification queued for
        the first must not describe the second.
        """
        row = (
            self.connection()
            .execute(
                "SELECT c.mode, c.author, c.email, c.website, c.text, t.uri, t.title"
                " FROM comments AS c JOIN threads AS t ON t.id = c.tid WHERE c.id = ? AND c.created = ?",
                (comment_id, created),
            )
            .fetchone()
        )
        return MailedComment(*row) if row else None

    # Admin sessions (comments.admin) ---------------------------------------------

    def open_admin_session(self, digest, fingerprint, expires, now):
        """Record a new session; forget those that ended or belong to another password."""
        with self.write_transaction() as con:
            con.execute(
                "DELETE FROM zohe_admin_sessions WHERE expires <= ? OR fingerprint <> ?", (now, fingerprint)
            )
            con.execute(
                "INSERT INTO zohe_admin_sessions (digest, fingerprint, expires) VALUES (?, ?, ?)",
                (digest, fingerprint, expires),
            )

    def admin_session_open(self, digest, fingerprint, now):
        """True when the session exists, has not ended and was opened with this password."""
        row = (
            self.connection()
            .execute(
                "SELECT 1 FROM zohe_admin_sessions WHERE digest = ? AND fingerprint = ? AND expires > ?",
                (digest, fingerprint, now),
            )
            .fetchone()
        )
        return row is not None

    def close_admin_session(self, digest):
        self.connection().execute("DELETE FROM zohe_admin_sessions WHERE digest = ?", (digest,))
