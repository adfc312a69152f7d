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


def _comment_ids(value):
    """Comment numbers separated by commas or spaces ("12 13" or 12,13)."""
    return [_comment_id(item) for item in value.replace(",", " ").split()]


@task
def spam(c):
    """List the comments held as likely spam (chronicle, author, date, score, reasons, text)."""
    from comments.spam import held

    with _database("Liste impossible") as (conf, _):
        items = held.listing(conf)
    print(held.format_listing(items))


@task(name="spam-delete", help={"ids": "numbers of held comments (\"12 13\" or 12,13), or tous for every one"})
def spam_delete(c, ids):
    """Delete held comments: the numbers given, or every one with "tous" (teaches the learned score)."""
    from comments.spam import held

    numbers = None if ids.strip().lower() == "tous" else _comment_ids(ids)
    try:
        with _database("Suppression impossible") as (conf, _):
            deleted = held.delete(conf, numbers)
    except held.NotHeld as e:
        raise SystemExit(f"Rien n’a été supprimé\u00a0: {_numbers(e.args[0])} ne désigne aucun commentaire retenu "
                         "(invoke comments.spam les liste).")
    plural = "s" if len(deleted) > 1 else ""
    print(f"{len(deleted)}\u00a0commentaire{plural} retenu{plural} supprimé{plural}." if deleted
          else "Aucun commentaire retenu à supprimer.")


@task(name="spam-approve", help={"ids": "numbers of held comments (\"12 13\" or 12,13)"})
def spam_approve(c, ids):
    """Publish held comments the filter got wrong (teaches the learned score)."""
    from comments.spam import held

    numbers = _comment_ids(ids)
    try:
        with _database("Publication impossible") as (conf, _):
            held.approve(conf, numbers)
    except held.NotHeld as e:
        raise SystemExit(f"Rien n’a été publié\u00a0: {_numbers(e.args[0])} ne désigne aucun commentaire retenu "
                         "(invoke comments.spam les liste).")
    print(f"Publié{'s' if len(numbers) > 1 else ''}\u00a0: {_numbers(numbers)}.")


@task(name="spam-summary")
def spam_summary(c):
    """Queue the daily summary mail of held comments, if any is new; forget what the server keeps past its use (comments.retention)."""
    import time

    from comments import mail, retention, settings, store
    from comments.spam import digest

    with _database("Résumé impossible") as (conf, database):
        now = time.time()
        pruned = retention.prune(conf, now)
        if not mail.enabled(conf):
            print("Pas de résumé\u00a0: le courriel des modérateurs est désactivé (ISSO_NOTIFY ne contient pas smtp).")
            return
        shared = store.Store(settings.require_database(database))
        with shared.write_transaction() as con:
            count = digest.queue(con, now, conf.get("general", "host").split()[0], conf.get("server", "public-endpoint"))
    if count is None:
        print("Pas de résumé\u00a0: le dernier a moins d’un jour.")
    elif count:
        print(f"Résumé de {count}\u00a0commentaire{'s' if count > 1 else ''} retenu{'s' if count > 1 else ''} mis dans la file d’envoi.")
    else:
        print("Pas de résumé\u00a0: aucun commentaire retenu depuis le dernier.")
    if pruned:
        print(f"{pruned}\u00a0mot{'s' if pruned > 1 else ''} du score appris oublié{'s' if pruned > 1 else ''} (aucune décision depuis deux ans).")


@task(help={"kind": "mot, domaine or adresse", "value": "the word, domain or e-mail address"})
def block(c, kind, value):
    """Block a word, a domain or an e-mail address: a comment holding it is held (see comments.blocked)."""
    _block_list(kind, value, add=True)


@task
def blocked(c):
    """List the block list (words, domains, e-mail addresses)."""
    _block_list("", "", add=True)


@task(help={"kind": "mot, domaine or adresse", "value": "the word, domain or e-mail address"})
def unblock(c, kind, value):
    """Remove a word, a domain or an e-mail address from the block list."""
    _block_list(kind, value, add=False)


def _block_list(kind, value, add):
    import time

    from comments import settings, store
    from comments.spam import blocklist

    with _database("Liste de blocage inaccessible") as (conf, database):
        shared = store.Store(settings.require_database(database))
        with shared.write_transaction() as con:
            if not kind:
                entries = blocklist.entries(con)
            else:
                try:
                    changed = blocklist.add(con, kind, value, time.time()) if add else blocklist.remove(con, kind, value)
                except blocklist.InvalidEntry as e:
                    raise SystemExit(f"Rien n’a changé\u00a0: {e}.")
                kind, value = blocklist.normalise(kind, value)
    if not kind:
        print("\n".join(f"{k} {v}" for k, v in entries) if entries else "La liste de blocage est vide.")
    elif add:
        print(f"Ajouté à la liste de blocage\u00a0: {kind} {value}." if changed else f"Déjà dans la liste de blocage\u00a0: {kind} {value}.")
    else:
        print(f"Retiré de la liste de blocage\u00a0: {kind} {value}." if changed else f"Pas dans la liste de blocage\u00a0: {kind} {value}.")


def _numbers(numbers):
    return ", ".join(f"n°\u00a0{number}" for number in numbers)


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


ns = Collection(pending, approve, delete, spam, spam_delete, spam_approve, spam_summary, block, blocked, unblock, backup, restore)
