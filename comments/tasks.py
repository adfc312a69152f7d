"""Invoke tasks for the comment server (``invoke comments.pending``, ``comments.approve ID``, …); the logic lives in comments.moderation and comments.backup."""

from invoke import Collection, task

from comments import backup as backups
from comments import moderation, settings


def _comment_id(value):
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"Numéro de commentaire invalide\u00a0: {value}")


@task
def pending(c):
    """List the comments awaiting moderation (thread, author, date, text)."""
    print(moderation.format_pending(moderation.pending(settings.load())))


@task(help={"id": "number of the comment (see comments.pending)"})
def approve(c, id):
    """Publish a pending comment."""
    try:
        changed = moderation.approve(settings.load(), _comment_id(id))
    except moderation.NoSuchComment:
        raise SystemExit(f"Aucun commentaire n°\u00a0{id}.")
    print(f"Commentaire n°\u00a0{id} publié." if changed else f"Le commentaire n°\u00a0{id} était déjà publié.")


@task(help={"id": "number of the comment (see comments.pending)"})
def delete(c, id):
    """Delete a comment (pending or published)."""
    try:
        moderation.delete(settings.load(), _comment_id(id))
    except moderation.NoSuchComment:
        raise SystemExit(f"Aucun commentaire n°\u00a0{id}.")
    print(f"Commentaire n°\u00a0{id} supprimé.")


@task(help={"keep": "how many snapshots to keep (1 or more)", "directory": "where to write them (default: var/backups)"})
def backup(c, keep=backups.KEEP, directory=None):
    """Write a consistent snapshot of the live database, keeping the newest ones."""
    try:
        path = backups.backup(settings.dbpath(settings.load()), directory, int(keep))
    except backups.InvalidKeep:
        raise SystemExit(
            f"Sauvegarde refusée\u00a0: --keep vaut {keep}, il faut au moins 1 "
            "(sinon la sauvegarde à peine écrite serait effacée)."
        )
    print(f"Sauvegarde écrite\u00a0: {path}")


@task(help={"file": "the snapshot to put back"})
def restore(c, file):
    """Put a snapshot back after checking it (the current database is saved first)."""
    try:
        safety = backups.restore(file, settings.dbpath(settings.load()))
    except backups.InvalidBackup as e:
        raise SystemExit(f"Restauration refusée\u00a0: {e}")
    if safety:
        print(f"Base précédente sauvegardée\u00a0: {safety}")
    print(f"Base restaurée depuis {file}.")


ns = Collection(pending, approve, delete, backup, restore)
