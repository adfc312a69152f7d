"""The `invoke import.*` tasks: bring another site's content over (WordPress's export today)."""

from pathlib import Path

from invoke import Exit, task

from wordpress.comments import CommentsDatabaseError
from wordpress.export import ExportError
from wordpress.manifest import ManifestError
from wordpress.media import UploadsError

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "import-wordpress.txt"


@task(help={"uploads": "a copy of the old site's wp-content/uploads: the files the content uses are copied from it",
            "force": "replace the files an author edited since the last import",
            "report": f"where to write the report (default: {REPORT.name})",
            "content": "the content folder to import into (default: content/)"})
def wordpress(c, export, uploads=None, force=False, report=None, content=None):
    """Import a WordPress export (Tools › Export) into content/; print and write the report."""
    from wordpress.importer import import_export

    try:
        result = import_export(Path(export), content=content and Path(content), uploads=uploads, force=force)
    except (ExportError, ManifestError, CommentsDatabaseError, UploadsError) as error:
        raise Exit(f"Import non fait\u00a0: {error}", code=1)
    text = result.text()
    target = Path(report) if report else REPORT
    print(text, end="")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        why = "ce dossier n’existe pas" if not target.parent.is_dir() else "écriture refusée"
        raise Exit(f"Rapport non écrit dans {target}\u00a0: {why}\u202f; il est affiché ci-dessus, "
                   "l’import est fait", code=1) from error
    print(f"Rapport écrit dans {target}")
