"""Consistent snapshots of the live comment database (SQLite online backup) with rotation, and checked restores."""

import datetime
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import comments_database
from comments import data_links, settings, store
from pruning import keep_first

KEEP = 14
# How long a snapshot is kept, whatever their number: the privacy page promises it
# (tests/test_privacy.py), since a snapshot holds what was erased from the live database
# since. zohe-comments-backup.timer writes one a day, so KEEP of them span as long.
KEPT_DAYS = 14
# How long a restore waits for the writers to let it have the database, in seconds.
LOCK_WAIT = store.BUSY_TIMEOUT_MS / 1000
PREFIX = "comments-"
# A snapshot's name after PREFIX: its UTC time, so that names sort as snapshots were taken.
STAMP = "%Y%m%dT%H%M%S%fZ"
# What a file must hold to be a comment database Isso can open.
REQUIRED_COLUMNS = {
    "threads": {"id", "uri", "title"},
    "comments": {"tid", "id", "parent", "created", "modified", "mode", "remote_addr", "text", "author", "email",
                 "website", "likes", "dislikes", "voters", "notification"},
    "preferences": {"key", "value"},
}


class InvalidBackup(ValueError):
    """A file that is not a sound Isso database: restoring it could lose comments."""


class DatabaseBusy(Exception):
    """The live database stayed locked by writers longer than LOCK_WAIT: a restore did nothing."""


class InvalidKeep(ValueError):
    """Rotation asked to keep fewer than one snapshot: it would delete the one just written."""


def default_directory(dbpath):
    return Path(dbpath).parent / "backups"


def backup(dbpath, directory=None, keep=KEEP):
    """Write a snapshot of ``dbpath`` into ``directory`` and keep only the ``keep`` newest; return its path.

    SQLite's online backup copies a consistent state even while gunicorn workers write
    (in WAL mode writers are not even blocked).
    """
    if keep < 1:
        raise InvalidKeep(f"keep must be at least 1, not {keep}")
    # Before anything is made: a snapshot of a mistyped path would be an empty database.
    settings.require_database(dbpath)
    directory = Path(directory) if directory else default_directory(dbpath)
    # mode=rw: never creates the live database, and reads one this user may not write.
    with closing(connect(dbpath, "rw")) as source:
        target = _snapshot(source, directory)
    rotate(directory, keep)
    return target


def _snapshot(source, directory):
    """Copy ``source``'s database (a connection) into a new, checked snapshot in ``directory``; return its path.

    The snapshot is written under a temporary name and renamed once checked, so a crash
    never leaves a half file that rotation would count as a backup.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime(STAMP)
    target = directory / f"{PREFIX}{stamp}.db"
    partial = target.with_suffix(".partial")
    # Made here rather than by SQLite, so that a folder this user may not write is named
    # in the error (SQLite only says "unable to open database file").
    create_private(partial)
    try:
        with closing(connect(partial, "rw")) as dest:
            source.backup(dest)
            # A standalone file: no -wal beside it to lose.
            dest.execute("PRAGMA journal_mode=DELETE")
        check(partial)
        # What lives an hour is not kept for days: a link's address, its requests.
        with closing(connect(partial, "rw")) as dest:
            present = {name for (name,) in dest.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in set(data_links.SHORT_LIVED) & present:
                dest.execute(f"DELETE FROM {table}")
            dest.commit()
    except BaseException:
        # Rotation never counts a .partial, but each failed run would leave one more behind.
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target


def connect(path, mode, **options):
    """A connection to ``path`` through its URI (see comments_database.sqlite_uri), waiting for locks as the server does."""
    options.setdefault("timeout", store.BUSY_TIMEOUT_MS / 1000)
    return sqlite3.connect(comments_database.sqlite_uri(path, mode), uri=True, **options)


def create_private(path):
    """Create the empty file ``path`` (never an existing one), readable and writable by its owner only.

    Snapshots hold commenters' e-mail addresses and the key that signs moderation links.
    The mode is set while the file is still empty, whatever the umask (which can only
    remove bits from the one given to open); SQLite gives its journal the same mode.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def rotate(directory, keep=KEEP, now=None):
    """Delete all but the ``keep`` newest snapshots, and any taken more than KEPT_DAYS before ``now``
    (a datetime, the clock by default) but the newest; return the deleted paths, oldest first."""
    # Named by their UTC time to the microsecond: the names sort as the snapshots were taken.
    newest_first = sorted(Path(directory).glob(f"{PREFIX}*.db"), reverse=True)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    oldest = (now - datetime.timedelta(days=KEPT_DAYS)).strftime(STAMP)
    kept = [path for path in newest_first[:keep] if path is newest_first[0] or _stamp(path) >= oldest]
    return sorted(keep_first(kept, len(kept), among=newest_first))


def _stamp(path):
    return path.stem[len(PREFIX):]


def check(path):
    """Raise InvalidBackup unless ``path`` passes ``PRAGMA integrity_check`` and has Isso's schema."""
    path = Path(path)
    if not path.is_file():
        raise InvalidBackup(f"{path} est introuvable")
    try:
        con = connect(path, "ro")
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems = "\u202f; ".join(result[:5])
                raise InvalidBackup(f"{path} échoue au contrôle d’intégrité de SQLite ({problems})")
            for table, columns in REQUIRED_COLUMNS.items():
                found = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
                missing = sorted(columns - found)
                if missing:
                    what = "la colonne" if len(missing) == 1 else "les colonnes"
                    raise InvalidBackup(
                        f"{path} n’est pas une base d’Isso (il manque à la table {table} {what} {', '.join(missing)})"
                    )
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise InvalidBackup(f"{path} n’est pas une base SQLite utilisable ({e})") from e


def restore(path, dbpath, directory=None):
    """Put the snapshot ``path`` back as the live database ``dbpath``, after checking it; return the safety snapshot.

    The whole restore is one SQLite write transaction on the live database, taken with
    BEGIN IMMEDIATE: no writer can commit between the safety snapshot of the current
    database and its replacement, so a comment acknowledged meanwhile is in one or the
    other. Writers wait for the lock (their busy timeout) and commit into the restored
    database. A running server's readers see either the old or the new content, and
    the write generation moves past the old one, which empties the workers' caches.

    SQLite's backup API cannot serve here: it refuses a source or destination
    connection that has a transaction open. The safety snapshot is read by a second
    connection, which sees the last committed state, the one about to be replaced;
    the content is then copied by SQL (see _replace_content). Returns None if there
    was no database at ``dbpath`` (it is then created). If the lock cannot be had
    within LOCK_WAIT seconds, raises DatabaseBusy with nothing changed.
    """
    check(path)
    dbpath = Path(dbpath)
    created = not dbpath.exists()
    if created:
        create_private(dbpath)
    try:
        with closing(connect(dbpath, "rw", isolation_level=None, timeout=LOCK_WAIT)) as live:
            live.execute("ATTACH DATABASE ? AS snapshot", (comments_database.sqlite_uri(path, "ro"),))
            try:
                live.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                if e.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    raise
                seconds = f"{LOCK_WAIT:g}".replace(".", ",")
                raise DatabaseBusy(
                    f"la base {dbpath} est restée occupée par d’autres écritures pendant "
                    f"{seconds}\u00a0s\u202f; rien n’a été modifié, réessayez dans un instant"
                ) from e
            try:
                safety = None
                if not created:
                    directory = Path(directory) if directory else default_directory(dbpath)
                    with closing(connect(dbpath, "rw")) as committed:
                        safety = _snapshot(committed, directory)
                previous_generation = _generation(live)
                _replace_content(live)
                # Our tables may be missing from an old snapshot.
                store.apply_schema(live)
                store.move_generation_past(live, previous_generation)
                live.execute("COMMIT")
            except BaseException:
                if live.in_transaction:
                    live.execute("ROLLBACK")
                raise
    except BaseException:
        if created:
            dbpath.unlink(missing_ok=True)
        raise
    return safety


def _generation(con):
    """The write generation of ``con``'s main database; 0 in one no server has opened."""
    if not _has(con, "main", "zohe_generation"):
        return 0
    return con.execute("SELECT value FROM main.zohe_generation WHERE id = 1").fetchone()[0]


def _replace_content(con):
    """Make the main database of ``con`` hold what its attached ``snapshot`` holds, inside the caller's transaction.

    Objects are dropped, then made again from the snapshot's own definitions: tables,
    filled before their triggers exist (which would bump the generation or record
    deletions), then indexes, views and triggers. The counters of AUTOINCREMENT tables
    and Isso's schema version (user_version, which drives its migrations) come along.
    """
    internal = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    for kind in ("trigger", "view", "table"):
        query = f"SELECT name FROM main.sqlite_master WHERE type = ? AND {internal}"
        for (name,) in con.execute(query, (kind,)).fetchall():
            con.execute(f"DROP {kind} IF EXISTS main.{_quoted(name)}")
    objects = con.execute(
        "SELECT type, name, sql FROM snapshot.sqlite_master"
        f" WHERE sql IS NOT NULL AND {internal} ORDER BY rowid"
    ).fetchall()
    for kind, name, sql in objects:
        if kind == "table":
            con.execute(sql)
            con.execute(f"INSERT INTO main.{_quoted(name)} SELECT * FROM snapshot.{_quoted(name)}")
    for kind, name, sql in objects:
        if kind != "table":
            con.execute(sql)
    if _has(con, "main", "sqlite_sequence"):
        con.execute("DELETE FROM main.sqlite_sequence")
        if _has(con, "snapshot", "sqlite_sequence"):
            con.execute("INSERT INTO main.sqlite_sequence SELECT * FROM snapshot.sqlite_sequence")
    (version,) = con.execute("PRAGMA snapshot.user_version").fetchone()
    con.execute(f"PRAGMA main.user_version = {int(version)}")


def _has(con, schema, name):
    return con.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'
