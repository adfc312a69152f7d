"""The uploads of the WordPress import: the largest size copied under a safe name, what is missing reported with the strict build passing, video cards, closed discussions, a second run changing nothing."""

from datetime import datetime, timezone
import re
import shutil
import subprocess
import sys

from PIL import Image
import pytest

from support import ROOT, build_prod, environment
from wordpress.importer import import_export
from wordpress.manifest import NAME as MANIFEST
from wordpress_uploads import DOCUMENT, make_uploads

EXPORT = ROOT / "tests" / "wordpress" / "export.xml"
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
NB, NNB = "\u00a0", "\u202f"


def files(folder):
    """Each file's bytes and time of last change: an untouched file keeps both."""
    return {path.relative_to(folder): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def fresh_content(folder):
    content = folder / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    for name in ("la-juste-mesure.md", "quelle-est-votre-promesse.md"):  # as WordPress had them
        (content / "chroniques" / name).unlink()
    return content


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The export imported with its uploads, then built for production (its comments in a database of its own)."""
    folder = tmp_path_factory.mktemp("media")
    content = fresh_content(folder)
    database = folder / "comments.db"
    report = import_export(EXPORT, content=content, uploads=make_uploads(folder / "uploads"), now=NOW,
                           database=database).text()
    with environment(ZOHE_COMMENTS_DB=str(database)):
        site = build_prod(folder / "prod", PATH=str(content))
    return content, report, site


def test_each_upload_is_copied_once_at_its_largest_size_under_a_safe_name(imported):
    content, report, _ = imported
    images = {path.name: Image.open(path).size for path in (content / "images").iterdir() if path.suffix == ".jpg"}
    assert images == {
        "atelier.jpg": (2560, 1707),  # -scaled, the largest of the three sizes present, whichever was linked
        "atelier-2023-01.jpg": (800, 600),  # another month's atelier.jpg, linked by its -150x150
        "dqw4w9wgxcq.jpg": (1280, 720),
        "reunion-bureau.jpg": (1200, 675),  # "Réunion Bureau.JPG"
    }
    assert (content / "documents" / "plaquette.pdf").read_text(encoding="ascii") == DOCUMENT
    page = (content / "pages" / "nous-contacter.md").read_text(encoding="utf-8")
    assert "Notre [plaquette]({static}/documents/plaquette.pdf) dit qui nous sommes." in page
    assert "![L’ancien atelier]({static}/images/atelier-2023-01.jpg)" in page
    assert "![atelier]({static}/images/atelier.jpg)" in page  # the gallery's, described by its name
    for line in (
        f"    · image https://zohe.fr/wp-content/uploads/2023/01/atelier-150x150.jpg{NB}: "
        f"content/images/atelier-2023-01.jpg (écrit), la plus grande des 2 tailles gardées par WordPress "
        f"(atelier.jpg, 800{NB}×{NB}600)",
        f"    · image content/images/atelier.jpg{NB}: sans description dans WordPress, «{NB}atelier{NB}» en tient "
        f"lieu{NNB}; à réécrire",
        f"- fichier joint 203 «{NB}Réunion Bureau{NB}»{NB}: content/images/reunion-bureau.jpg (écrit), la plus grande "
        f"des 2 tailles gardées par WordPress (Réunion Bureau.JPG, 1200{NB}×{NB}675)",
        f"    · ancienne adresse /wp-content/uploads/2024/05/atelier-1024x683.jpg et 3 autres tailles{NB}: "
        "redirigées vers /images/atelier.jpg",
    ):
        assert line + "\n" in report, line


def test_missing_uploads_are_reported_and_taken_out_with_their_words_kept_and_the_strict_build_passes(imported):
    content, report, site = imported
    for line in (
        f"    · image https://zohe.fr/wp-content/uploads/2022/12/equipe-300x200.jpg{NB}: introuvable dans uploads/ "
        f"(aucune de ses tailles){NNB}; retirée, le texte et la légende gardés",
        f"    · image https://zohe.fr/wp-content/uploads/2023/03/balance.png{NB}: introuvable dans uploads/ "
        f"(aucune de ses tailles){NNB}; retirée, le texte et la légende gardés",
        f"    · son https://zohe.fr/wp-content/uploads/2023/01/message.mp3{NB}: introuvable dans uploads/{NNB}; retiré",
        f"- fichier joint 202 «{NB}balance{NB}»{NB}: fichier non copié, introuvable dans uploads/ (aucune de ses tailles)",
        f"    · ancienne adresse https://zohe.fr/wp-content/uploads/2023/03/balance.png{NB}: non redirigée, le fichier "
        "n’est pas copié",
        f"    · lien vers l’ancienne adresse https://zohe.fr/reserve-aux-adherents/, qui n’est aucun article importé{NB}: "
        "laissé tel quel, l’ancienne adresse répond que la page est supprimée (410)",
    ):
        assert line + "\n" in report, line
    page = (content / "pages" / "nous-contacter.md").read_text(encoding="utf-8")
    assert "*L’équipe en 2022*" in page and "equipe" not in page and "balance" not in page and "wp-content" not in page
    # The strict production build (any warning fails it) took it: every image there, none broken.
    html = (site / "nous-contacter" / "index.html").read_text(encoding="utf-8")
    assert "L’équipe en 2022" in html and "wp-content" not in html
    for source in re.findall(r'<img[^>]* src="https://zohe\.example/([^"]+)"', html):
        assert (site / source).is_file(), source
    assert 'href="https://zohe.example/documents/plaquette.pdf"' in html and (site / "documents/plaquette.pdf").exists()


def test_an_embedded_video_becomes_a_card_when_the_uploads_hold_its_thumbnail_else_the_report_says_how(imported):
    _, report, site = imported
    html = (site / "chroniques" / "le-collectif-en-chantier" / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<p class="video-card">.*?</p>', html, re.DOTALL).group(0)
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in card and 'alt="La rencontre de juin"' in card
    assert "dqw4w9wgxcq.jpg" in card and "Regarder sur YouTube" in card
    assert (f"    · vidéo https://vimeo.com/76979871{NB}: lien simple, sans vignette (ni image nommée d’après la vidéo "
            f"dans le dossier des fichiers, ni image mise en avant de l’article){NNB}; pour une carte, enregistrez une "
            "vignette dans content/images/ et écrivez [![La vidéo sur Vimeo]({static}/images/vignette.jpg)]"
            "(https://vimeo.com/76979871)\n") in report


def test_a_post_whose_comments_were_closed_keeps_them_readable_and_takes_no_new_one(imported):
    content, report, site = imported
    assert "\nComments: closed\n" in (content / "chroniques" / "quelle-est-votre-promesse.md").read_text(encoding="utf-8")
    assert (f"    · commentaires fermés dans WordPress{NB}: ceux qui sont importés restent à lire, sans formulaire pour "
            "en ajouter (Comments: closed)\n") in report
    page = site / "chroniques" / "quelle-est-votre-promesse"
    html = (page / "index.html").read_text(encoding="utf-8")
    assert "Merci Paul." in html and "La discussion est close" in html
    assert "<form" not in html and "discussion__reply" not in html and "discussion.js" not in html
    assert "Merci Paul." in (page / "commentaires.atom.xml").read_text(encoding="utf-8")
    assert "<form" in (site / "chroniques" / "le-collectif-en-chantier" / "index.html").read_text(encoding="utf-8")


def test_closed_with_no_comment_kept_the_discussion_is_off_and_its_old_feed_leads_to_the_page(tmp_path):
    export = tmp_path / "export.xml"
    text = EXPORT.read_text(encoding="utf-8")
    start = text.index("<wp:post_id>103</wp:post_id>")
    text = text[:start] + text[start:].replace("<wp:comment_status><![CDATA[open]]>", "<wp:comment_status><![CDATA["
                                               "closed]]>", 1).replace("<wp:comment_approved><![CDATA[1]]>",
                                                                       "<wp:comment_approved><![CDATA[spam]]>", 1)
    export.write_text(text, encoding="utf-8")
    content = fresh_content(tmp_path)
    import_export(export, content=content, now=NOW)
    assert "\nComments: off\n" in (content / "chroniques" / "le-collectif-en-chantier.md").read_text(encoding="utf-8")
    redirects = (tmp_path / "project" / "deploy" / "nginx" / "wordpress-redirects.map").read_text(encoding="utf-8")
    assert '"/le-collectif-en-chantier/feed/" "/chroniques/le-collectif-en-chantier/";' in redirects
    assert '"/la-juste-mesure/feed/" "/chroniques/la-juste-mesure/commentaires.atom.xml";' in redirects


def test_without_the_uploads_each_media_is_reported_and_the_strict_build_passes(tmp_path):
    content = fresh_content(tmp_path)
    report = import_export(EXPORT, content=content, now=NOW).text()
    assert (f"    · image https://zohe.fr/wp-content/uploads/2024/05/atelier-300x200.jpg{NB}: l’import n’a pas reçu le "
            f"dossier des fichiers (--uploads DOSSIER, une copie de wp-content/uploads){NNB}; retirée, le texte et la "
            "légende gardés\n") in report
    assert not (content / "documents").exists() and sorted(p.name for p in (content / "images").iterdir()) == [
        "la-juste-mesure.svg"]
    build_prod(tmp_path / "prod", PATH=str(content))


def test_run_twice_it_changes_nothing_and_an_authors_image_is_kept_unless_forced(tmp_path):
    content = fresh_content(tmp_path)
    uploads = make_uploads(tmp_path / "uploads")
    import_export(EXPORT, content=content, uploads=uploads, now=NOW)
    before = files(content)
    manifest = (content / MANIFEST).read_text(encoding="utf-8")
    assert '"images/atelier.jpg"' in manifest and '"2024/05/atelier.jpg": "images/atelier.jpg"' in manifest
    second = import_export(EXPORT, content=content, uploads=uploads, now=NOW).text()
    assert files(content) == before
    assert "content/images/atelier.jpg (inchangé), la plus grande des 3 tailles" in second

    # An author replaced the photo by a cropped one: kept, and the text still shows it.
    edited = content / "images" / "atelier.jpg"
    Image.new("RGB", (400, 300), (10, 10, 10)).save(edited, "JPEG")
    third = import_export(EXPORT, content=content, uploads=uploads, now=NOW).text()
    assert Image.open(edited).size == (400, 300)
    assert (f"content/images/atelier.jpg modifié depuis l’import, laissé tel quel{NNB}; --force pour le "
            "remplacer") in third
    assert "({static}/images/atelier.jpg)" in (content / "chroniques" / "le-collectif-en-chantier.md").read_text(
        encoding="utf-8")
    import_export(EXPORT, content=content, uploads=uploads, force=True, now=NOW)
    assert Image.open(edited).size == (2560, 1707)


def test_an_uploads_folder_that_does_not_exist_stops_the_import_before_anything_is_written(content, tmp_path):
    before = files(content)
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(EXPORT), "--content", str(content),
                          "--uploads", str(tmp_path / "uplaods"), "--report", str(tmp_path / "r.txt")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (f"Import non fait{NB}: --uploads {tmp_path / 'uplaods'}{NB}: ce dossier n’existe pas{NNB}; donnez la copie "
            "du dossier wp-content/uploads de l’ancien site") in run.stderr
    assert files(content) == before and not (tmp_path / "isso").exists()


def test_an_image_of_the_same_name_already_on_the_site_is_never_replaced(tmp_path):
    content = fresh_content(tmp_path)
    own = content / "images" / "atelier.jpg"  # the collective's own photo, not the import's
    Image.new("RGB", (640, 480), (0, 90, 0)).save(own, "JPEG")
    before = own.read_bytes()
    report = import_export(EXPORT, content=content, uploads=make_uploads(tmp_path / "uploads"), now=NOW).text()
    assert own.read_bytes() == before
    assert "content/images/atelier-2024-05.jpg (écrit), la plus grande des 3 tailles" in report
    assert "content/images/atelier-2023-01.jpg (écrit)" in report
    assert "({static}/images/atelier-2024-05.jpg)" in (content / "chroniques" / "le-collectif-en-chantier.md").read_text(
        encoding="utf-8")
