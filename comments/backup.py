"""Consistent snapshots of the live comment database (SQLite online backup) with rotation, and checked restores."""

import datetime
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from comments import settings, store

KEEP = 14
PREFIX = "comments-"
# What a file must hold to be a comment database Isso can open.
REQUIRED_COLUMNS = {
    "threads": {"id", "uri", "title"},
    "comments": {"tid", "id", "parent", "created", "modified", "mode", "remote_addr", "text", "author", "email",
                 "website", "likes", "dislikes", "voters", "notification"},
    "preferences": {"key", "value"},
}


class InvalidBackup(ValueError):
    """A file that is not a sound Isso database: restoring it could lose comments."""


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
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
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
    except BaseException:
        # Rotation never counts a .partial, but each failed run would leave one more behind.
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target


def sqlite_uri(path, mode):
    """The SQLite URI of ``path`` opened with ``mode`` (ro, rw, rwc).

    The path is percent-encoded: in a URI, a "#" or "?" in a folder's name would end the
    path and a "%" would start an escape, so SQLite would open another file.
    """
    return f"file:{quote(os.path.abspath(path))}?mode={mode}"


def connect(path, mode, **options):
    """A connection to ``path`` through its URI (see sqlite_uri), waiting for locks as the server does."""
    options.setdefault("timeout", store.BUSY_TIMEOUT_MS / 1000)
    return sqlite3.connect(sqlite_uri(path, mode), uri=True, **options)


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


def rotate(directory, keep=KEEP):
    """Delete all but the ``keep`` newest snapshots; return the deleted paths."""
    snapshots = sorted(Path(directory).glob(f"{PREFIX}*.db"))
    doomed = snapshots[: max(0, len(snapshots) - keep)]
    for path in doomed:
        path.unlink()
    return doomed


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
    """Put the snapshot ``path`` back as the live database ``dbpath``, after checking it.

    The current database is first saved as a snapshot of its own. The copy goes through
    SQLite's backup API into the live file, so a running server sees either the old or
    the new content, never a torn file, and its WAL stays consistent. Returns the
    safety snapshot's path (None if there was no database).
    """
    check(path)
    dbpath = Path(dbpath)
    safety = backup(dbpath, directory, keep=10**6) if dbpath.exists() else None

    previous_generation = 0
    if dbpath.exists():
        store.prepare(dbpath)
        previous_generation = store.Store(dbpath).generation()
    source = connect(path, "ro")
    dest = sqlite3.connect(dbpath, timeout=store.BUSY_TIMEOUT_MS / 1000)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    # Our tables may be missing from an old snapshot, and its generation may be one the
    # running workers have already cached: move it past anything they have seen.
    store.prepare(dbpath)
    store.Store(dbpath).bump_generation(at_least=previous_generation)
    return safety
