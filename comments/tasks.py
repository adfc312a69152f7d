"""Invoke tasks for the comment server (``invoke comments.pending``, ``comments.approve ID``, …); the logic lives in comments.moderation and comments.backup."""

import contextlib
import errno
import sqlite3

from invoke import Collection, task

# comments.settings, .moderation and .backup are imported by the tasks that use them:
# they import Isso, whose __init__ calls logging.basicConfig(level=INFO), and the project's
# tasks.py loads this module for every task, a build's included, which would then print
# a line per written file.


def _comment_id(value):
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"Numéro de commentaire invalide\u00a0: {value}")


# What SQLite reports, by its primary result code, as words a moderator can act on; the
# database's path is put in "{}".
_SQLITE_REASONS = {
    sqlite3.SQLITE_READONLY: "la base {} est en lecture seule (droits du fichier, de son dossier ou du disque)\u202f; "
                             "rien n’a été modifié",
    sqlite3.SQLITE_CANTOPEN: "impossible d’ouvrir la base {}, ou d’écrire dans son dossier",
    sqlite3.SQLITE_LOCKED: "la base {} est occupée par un autre programme\u202f; réessayez dans un instant",
    sqlite3.SQLITE_BUSY: "la base {} est occupée par un autre programme\u202f; réessayez dans un instant",
    sqlite3.SQLITE_NOTADB: "{} n’est pas une base SQLite",
    sqlite3.SQLITE_CORRUPT: "la base {} est endommagée",
    sqlite3.SQLITE_IOERR: "erreur d’entrée-sortie sur la base {}",
}
# SQLITE_ERROR is any error in a statement: ours are fixed, so it means a missing table or
# column, which comments.backup.check names.
NOT_ISSOS = "{} n’est pas une base de commentaires d’Isso"

_OS_REASONS = {
    errno.EACCES: "permission refusée sur {}",
    errno.EPERM: "opération interdite sur {}",
    errno.EROFS: "{} est sur un disque en lecture seule",
    errno.ENOENT: "{} n’existe pas",
    errno.ENOTDIR: "un élément de {} n’est pas un dossier",
    errno.EISDIR: "{} est un dossier",
    errno.ENOSPC: "plus de place sur le disque pour {}",
    errno.EEXIST: "{} existe déjà",
}


def _sqlite_reason(error, database):
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None  # extended codes carry the primary one
    if primary in _SQLITE_REASONS:
        return _SQLITE_REASONS[primary].format(database)
    if primary == sqlite3.SQLITE_ERROR and _lacks_issos_schema(database):
        return NOT_ISSOS.format(database)
    return f"erreur de SQLite sur la base {database} ({error})"


def _lacks_issos_schema(database):
    from comments import backup

    try:
        backup.check(database)
    except backup.InvalidBackup:
        return True
    return False


def _os_reason(error):
    name = error.filename if error.filename is not None else "?"
    reason = _OS_REASONS.get(error.errno)
    return reason.format(name) if reason else f"erreur système sur {name} ({error.strerror})"


@contextlib.contextmanager
def _refusals(action, database=None):
    """Turn what a moderator can get wrong (configuration, database, files) into one French line and exit status 1.

    No traceback: the line names the file and what to change. ``action`` says what could
    not be done ("Publication impossible"); ``database`` is the path SQLite errors are about.
    """
    from comments import settings

    try:
        yield
    except settings.ConfigurationError as e:
        raise SystemExit(str(e)) from None  # it says what is wrong and what to set
    except sqlite3.Error as e:
        raise SystemExit(f"{action}\u00a0: {_sqlite_reason(e, database or '?')}.") from None
    except OSError as e:
        raise SystemExit(f"{action}\u00a0: {_os_reason(e)}.") from None


@contextlib.contextmanager
def _database(action, create_folder=False):
    """The server's configuration and database path, and whatever goes wrong with them refused as one French line (see _refusals).

    Never makes the database's folder unless ``create_folder`` (only a restore may: onto
    a new server); only the server creates the database.
    """
    from comments import settings

    with _refusals(action):
        conf = settings.load(create_folder=create_folder)
    database = settings.dbpath(conf)
    with _refusals(action, database):
        yield conf, database


@task
def pending(c):
    """List the comments awaiting moderation (thread, author, date, text)."""
    from comments import moderation

    with _database("Liste impossible") as (conf, _):
        items = moderation.pending(conf)
    print(moderation.format_pending(items))


@task(help={"id": "number of the comment (see comments.pending)"})
def approve(c, id):
    """Publish a pending comment."""
    from comments import moderation

    comment_id = _comment_id(id)
    try:
        with _database(f"Publication du commentaire n°\u00a0{id} impossible") as (conf, _):
            changed = moderation.approve(conf, comment_id)
    except moderation.NoSuchComment:
        raise SystemExit(f"Aucun commentaire n°\u00a0{id}.")
    print(f"Commentaire n°\u00a0{id} publié." if changed else f"Le commentaire n°\u00a0{id} était déjà publié.")


@task(help={"id": "number of the comment (see comments.pending)"})
def delete(c, id):
    """Delete a comment (pending or published)."""
    from comments import moderation

    comment_id = _comment_id(id)
    try:
        with _database(f"Suppression du commentaire n°\u00a0{id} impossible") as (conf, _):
            moderation.delete(conf, comment_id)
    except moderation.NoSuchComment:
        raise SystemExit(f"Aucun commentaire n°\u00a0{id}.")
    print(f"Commentaire n°\u00a0{id} supprimé.")


@task(help={"keep": "how many snapshots to keep (1 or more)", "directory": "where to write them (default: var/backups)"})
def backup(c, keep=None, directory=None):
    """Write a consistent snapshot of the live database, keeping the newest ones."""
    from comments import backup as backups

    keep = backups.KEEP if keep is None else keep
    try:
        keep = int(keep)
    except ValueError:
        raise SystemExit(f"Sauvegarde refusée\u00a0: --keep vaut {keep}, il faut un nombre.")
    try:
        with _database("Sauvegarde impossible") as (_, database):
            path = backups.backup(database, directory, keep)
    except backups.InvalidKeep:
        raise SystemExit(
            f"Sauvegarde refusée\u00a0: --keep vaut {keep}, il faut au moins 1 "
            "(sinon la sauvegarde à peine écrite serait effacée)."
        )
    except backups.InvalidBackup as e:
        raise SystemExit(f"Sauvegarde refusée\u00a0: {e}.")
    print(f"Sauvegarde écrite\u00a0: {path}")


@task(help={"file": "the snapshot to put back"})
def restore(c, file):
    """Put a snapshot back after checking it (the current database is saved first)."""
    from comments import backup as backups

    try:
        # The one command that may make the database, and so its folder: onto a new server.
        with _database("Restauration impossible", create_folder=True) as (_, database):
            existed = database.is_file()
            safety = backups.restore(file, database)
    except (backups.InvalidBackup, backups.DatabaseBusy) as e:
        raise SystemExit(f"Restauration refusée\u00a0: {e}.")
    if safety:
        print(f"Base précédente sauvegardée\u00a0: {safety}")
    if not existed:
        print(f"Il n’y avait pas de base à {database}\u00a0: elle est créée.")
    print(f"Base restaurée depuis {file}.")


ns = Collection(pending, approve, delete, backup, restore)
