"""The import's comments: into Isso's database under their chronicle's new address, published or waiting as WordPress had them, threading kept, spam, trash, pingbacks and trackbacks left out and reported, never twice, a hostile one inert."""

from datetime import datetime, timezone
import sqlite3
import subprocess
import sys

from isso import config

from comments import moderation
from support import ROOT, build_prod
from wordpress.importer import import_export
from wordpress_exports import comment, item, write

EXPORT = ROOT / "tests" / "wordpress" / "export.xml"
NB, NNB = "\u00a0", "\u202f"
PROMISE = "/chroniques/quelle-est-votre-promesse/"


def rows(database, sql):
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_the_task_brings_the_comments_over_and_the_production_build_shows_the_published_ones(
        content, tmp_path, comments_database):
    report_file = tmp_path / "rapport.txt"
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(EXPORT), "--content", str(content),
                          "--report", str(report_file)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    report = report_file.read_text(encoding="utf-8")

    # Every comment of the export has its line: where it went, or why not.
    for line in (
        f"commentaire 11 de Pauline{NB}: importé dans /chroniques/la-juste-mesure/ (n° 1, publié)",
        f"commentaire 12 de Jean{NB}: importé dans /chroniques/la-juste-mesure/ (n° 2, publié)",
        f"commentaire 13 de Un blog ami{NB}: non importé, rétrolien (pingback)",
        f"commentaire 22 de Casino{NB}: non importé, indésirable (spam) dans WordPress",
        f"commentaire 23 de Ancien{NB}: non importé, à la corbeille dans WordPress",
        f"commentaire 34 de Hugo{NB}: importé dans {PROMISE} (n° 6, en attente de modération)",
        f"commentaire 36 de Un annuaire{NB}: non importé, rétrolien (trackback)",
        f"commentaire 41 de Adhérente{NB}: non importé, son article ne l’est pas",
        f"commentaire 42 de Visiteur{NB}: non importé, son article ne l’est pas",
    ):
        assert f"    · {line}\n" in report
    ids = {line.split()[2] for line in report.splitlines() if line.startswith("    · commentaire ")}
    assert ids == {"11", "12", "13", "21", "22", "23", "31", "32", "33", "34", "35", "36", "41", "42"}

    # Threads by the new address, titled by the post; threading kept (Isso's rule: a reply
    # to a reply hangs under the first comment, as its API would store it).
    database = comments_database
    assert rows(database, "SELECT uri, title FROM threads ORDER BY id") == [
        ("/chroniques/la-juste-mesure/", "La juste mesure"),
        (PROMISE, "Quelle est votre promesse ?"),
        ("/chroniques/le-collectif-en-chantier/", "Le collectif en chantier")]
    by_author = {(author, text[:12]): (parent, mode, email, website) for author, text, parent, mode, email, website
                 in rows(database, "SELECT author, text, parent, mode, email, website FROM comments")}
    assert by_author[("Jean", "Merci Paulin")] == (1, 1, "jean@example.org", None)
    assert by_author[("Lucie", "Une promesse")] == (None, 1, "lucie@example.org", "https://lucie.example.org")
    lucie = rows(database, "SELECT id FROM comments WHERE text LIKE 'Une promesse%'")[0][0]
    assert by_author[("Paul", "D’accord ave")][0] == lucie and by_author[("Lucie", "Merci Paul.")][0] == lucie
    assert rows(database, "SELECT created FROM comments WHERE author = 'Pauline'") == [(1678875120.0,)]
    for gone in ("Casino", "Ancien", "Un blog ami", "Un annuaire", "Adhérente", "Visiteur"):
        assert not rows(database, f"SELECT 1 FROM comments WHERE author = '{gone}'")

    # The hostile one is stored as words: its script gone with its content, its links and website harmless.
    assert rows(database, "SELECT text, website FROM comments WHERE author = 'Pirate'") == [("Joli clic", None)]

    # Pending ones wait for a moderator, as comments.moderation lists them.
    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(database))
    assert [(p.uri, p.author, p.text) for p in moderation.pending(conf)] == [
        (PROMISE, "Hugo", f"Et les petites promesses{NB}?")]

    # The production build bakes the published ones into their chronicle's page, the hostile one inert.
    prod = build_prod(tmp_path / "prod", PATH=str(content))
    page = (prod / "chroniques/quelle-est-votre-promesse/index.html").read_text(encoding="utf-8")
    assert "Une promesse, c’est <em>tenir</em> parole." in page and "Merci Paul." in page
    assert "Et les petites promesses" not in page
    assert "Joli" in page and "clic" in page
    lowered = page.lower()
    assert "alert(" not in lowered and "javascript:" not in lowered and "onerror" not in lowered
    juste = (prod / "chroniques/la-juste-mesure/index.html").read_text(encoding="utf-8")
    assert "Merci Pauline." in juste and "lu chez Zôhé" not in juste


def test_a_second_run_adds_no_comment_and_says_each_is_already_there(content, comments_database):
    import_export(EXPORT, content=content)
    before = rows(comments_database, "SELECT * FROM comments ORDER BY id")
    second = import_export(EXPORT, content=content).text()
    assert rows(comments_database, "SELECT * FROM comments ORDER BY id") == before
    assert f"    · commentaire 11 de Pauline{NB}: déjà importé (n° 1 dans /chroniques/la-juste-mesure/)\n" in second
    # A comment a moderator deleted since is not brought back.
    sqlite3.connect(comments_database).execute("DELETE FROM comments WHERE author = 'Pauline'").connection.commit()
    third = import_export(EXPORT, content=content).text()
    assert (f"    · commentaire 11 de Pauline{NB}: importé lors d’un import précédent, supprimé depuis par la "
            f"modération{NNB}; pas réimporté\n") in third
    assert len(rows(comments_database, "SELECT * FROM comments")) == len(before) - 1


def test_a_database_that_cannot_be_created_stops_the_import_with_a_french_line(content, tmp_path, monkeypatch):
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(blocker / "comments.db"))
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(EXPORT), "--content", str(content),
                          "--report", str(tmp_path / "r.txt")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (f"Import non fait{NB}: base des commentaires {blocker / 'comments.db'} (ZOHE_COMMENTS_DB){NB}: impossible "
            f"de l’ouvrir ni de la créer{NNB}; vérifiez ce chemin et ses droits d’écriture") in run.stderr
    assert not (content / "chroniques" / "le-collectif-en-chantier.md").exists()


def test_a_reply_hangs_under_its_parent_only_in_its_own_thread_whatever_the_dates(tmp_path, comments_database):
    """A parent in another post would hide the reply from every page; a reply dated before its parent still hangs under it."""
    content = tmp_path / "project" / "content"
    content.mkdir(parents=True)
    export = write(tmp_path / "fils.xml",
                   item("11", "premier", "<p>Un.</p>", comments=[comment("100", "0", "Au premier billet")]),
                   item("12", "autre", "<p>Deux.</p>", comments=[
                       comment("101", "100", "Réponse égarée", date="2023-03-16 10:00:00"),
                       comment("103", "102", "Réponse écrite avant", date="2023-03-17 09:00:00"),
                       comment("102", "0", "Question", date="2023-03-17 11:00:00")]))
    report = import_export(export, content=content).text()
    assert (f"    · commentaire 101 de Alice 101{NB}: importé dans /chroniques/autre/ (n° 2, publié, il répond au "
            f"commentaire 100 d’un autre article{NB}: il vient en premier niveau)\n") in report
    stored = {text: (uri, parent) for text, uri, parent in rows(
        comments_database, "SELECT c.text, t.uri, c.parent FROM comments AS c JOIN threads AS t ON t.id = c.tid")}
    question = rows(comments_database, "SELECT id FROM comments WHERE text = 'Question'")[0][0]
    assert stored == {"Au premier billet": ("/chroniques/premier/", None), "Réponse égarée": ("/chroniques/autre/", None),
                      "Question": ("/chroniques/autre/", None), "Réponse écrite avant": ("/chroniques/autre/", question)}
    assert f"    · commentaire 103 de Alice 103{NB}: importé dans /chroniques/autre/ (n° 4, publié)\n" in report


def test_a_comment_without_a_gmt_date_keeps_its_local_one(tmp_path, comments_database):
    """WordPress's local date is the blog's clock, the site's TIMEZONE (Europe/Paris); no date at all is said."""
    content = tmp_path / "project" / "content"
    content.mkdir(parents=True)
    export = write(tmp_path / "dates.xml", item("11", "premier", "<p>Un.</p>", comments=[
        comment("100", "0", "Zéro", date="2023-07-01 12:00:00", date_gmt="0000-00-00 00:00:00"),
        comment("101", "0", "Vide", date="2023-01-10 08:30:00", date_gmt=""),
        comment("102", "0", "Sans date", date="", date_gmt="")]))
    report = import_export(export, content=content).text()
    created = dict(rows(comments_database, "SELECT text, created FROM comments"))
    assert created["Zéro"] == datetime(2023, 7, 1, 10, tzinfo=timezone.utc).timestamp()  # summer: GMT+2
    assert created["Vide"] == datetime(2023, 1, 10, 7, 30, tzinfo=timezone.utc).timestamp()  # winter: GMT+1
    assert f"    · commentaire 100 de Alice 100{NB}: importé dans /chroniques/premier/ (n° 2, publié)\n" in report
    assert (f"    · commentaire 102 de Alice 102{NB}: importé dans /chroniques/premier/ (n° 3, publié, sans date dans "
            f"WordPress{NB}: daté du jour de l’import)\n") in report
