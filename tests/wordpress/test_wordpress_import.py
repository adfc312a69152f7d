"""`invoke import.wordpress`: a WordPress export written for the project becomes chronicles and pages that pass the strict build, every item accounted for, run twice without a change, never over an author's edit."""

from datetime import datetime, timezone
import re
import subprocess
import sys

import pytest

from support import PROD_SITEURL, ROOT, build, build_prod
from wordpress.export import ExportError, read_export
from wordpress.importer import import_export
from wordpress.manifest import NAME as MANIFEST
from wordpress_uploads import make_uploads

EXPORT = ROOT / "tests" / "wordpress" / "export.xml"
ORIGINALS = ROOT.parent / "shared" / "originals"
NB, NNB = "\u00a0", "\u202f"


def files(folder):
    """Each file's bytes and time of last change: an untouched file keeps both (the preview watches the times)."""
    return {path.relative_to(folder): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_task_imports_every_post_and_page_and_the_strict_build_passes(content, tmp_path):
    # As WordPress had them, the two migrated texts come over too: take the hand-made copies away.
    for name in ("la-juste-mesure.md", "quelle-est-votre-promesse.md"):
        (content / "chroniques" / name).unlink()
    report_file = tmp_path / "rapport.txt"
    uploads = make_uploads(tmp_path / "uploads")
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(EXPORT), "--content", str(content),
                          "--uploads", str(uploads), "--report", str(report_file)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = report_file.read_text(encoding="utf-8")
    assert report in run.stdout

    # Every item of the export has its one line, imported or left out with the reason.
    ids = re.findall(r"<wp:post_id>(\d+)</wp:post_id>", EXPORT.read_text(encoding="utf-8"))
    assert sorted(re.findall(r"^- [^\d\n]*?(\d+)", report, re.MULTILINE)) == sorted(ids)
    assert report.startswith(f"Import de export.xml{NB}: 19 éléments, 13 importés, 6 laissés de côté\n")
    for line in (
        f"- chronique 101 «{NB}La juste mesure{NB}»{NB}: content/chroniques/la-juste-mesure.md (écrit)",
        f"    · commentaire 11 de Pauline{NB}: importé dans /chroniques/la-juste-mesure/ (n° 1, publié)",
        f"    · ancienne adresse /la-juste-mesure/{NB}: redirigée vers /chroniques/la-juste-mesure/",
        f"- chronique 104 «{NB}Notre charte, en brouillon{NB}»{NB}: "
        "content/chroniques/notre-charte-en-brouillon.md (écrit, brouillon)",
        f"    · en attente de relecture dans WordPress{NB}: importé en brouillon",
        f"    · privé dans WordPress{NB}: importé en brouillon",
        f"    · programmé le 2035-06-01 10:00, plus d’un an après aujourd’hui (refusé par la construction){NB}: "
        "importé en brouillon",
        f"- chronique 108 «{NB}Réservé aux adhérents{NB}»{NB}: protégé par un mot de passe, non importé "
        f"(le site n’en a pas){NNB}; publiez-le à la main s’il doit être lu de tous",
        f"- chronique 109 «{NB}Ancienne annonce{NB}»{NB}: à la corbeille",
        f"    · code court [contact-form-7] retiré, WordPress seul le comprenait{NNB}; à revoir "
        "(ce qu’il entourait est gardé)",
        f"    · image https://zohe.fr/wp-content/uploads/2024/05/atelier-300x200.jpg{NB}: content/images/atelier.jpg "
        f"(écrit), la plus grande des 3 tailles gardées par WordPress (atelier-scaled.jpg, 2560{NB}×{NB}1707)",
        f"    · vidéo https://www.youtube.com/watch?v=dQw4w9WgXcQ{NB}: carte, sa vignette content/images/dqw4w9wgxcq.jpg "
        f"(écrit), la seule taille gardée par WordPress (dQw4w9WgXcQ.jpg, 1280{NB}×{NB}720)",
        f"    · son https://zohe.fr/wp-content/uploads/2023/01/message.mp3{NB}: introuvable dans uploads/{NNB}; retiré",
        f"    · lien vers l’ancienne adresse https://zohe.fr/category/vie-du-collectif/, qui n’est aucun article "
        f"importé{NB}: laissé tel quel, l’ancienne adresse est redirigée vers /categories/vie-du-collectif/",
        f"    · lien vers chroniques/notre-charte-en-brouillon.md, qui n’est pas publié, remplacé par son texte",
        f"    · lien vers le fichier https://zohe.fr/wp-content/uploads/2023/01/plaquette.pdf{NB}: "
        "content/documents/plaquette.pdf (écrit)",
        f"- fichier joint 201 «{NB}atelier{NB}»{NB}: content/images/atelier.jpg (écrit), la plus grande des 3 tailles "
        f"gardées par WordPress (atelier-scaled.jpg, 2560{NB}×{NB}1707)",
        f"- élément de menu 301{NB}: le menu du site est dans le thème (theme/templates/base.html)",
        f"- révision 401 «{NB}La juste mesure{NB}»{NB}: ancienne version d’un article, seule la dernière est importée",
        f"- page 113 «{NB}Archives{NB}»{NB}: content/pages/archives-2.md (écrit)",
        f"    · adresse «{NB}archives{NB}» déjà prise sur le site{NB}: «{NB}archives-2{NB}»",
        f"- page 111 «{NB}Nos tarifs 2025{NB}»{NB}: content/pages/nos-tarifs-2025.md (écrit, brouillon)",
    ):
        assert line + "\n" in report, line

    chantier = (content / "chroniques" / "le-collectif-en-chantier.md").read_text(encoding="utf-8")
    assert chantier.split("\n\n")[0].splitlines() == [
        "Title: Le collectif en chantier",
        "Date: 2024-05-21 09:30",  # 07:30 GMT on the site's clock
        "Author: Pauline",  # dc:creator's display name
        "Category: Vie du collectif",
        "Tags: collectif, atelier, Les Chroniques de Zôhé",
        "Summary: Un an après La juste mesure, ce que le collectif a appris en chemin.",
        "Slug: le-collectif-en-chantier",
    ]
    assert "Depuis [La juste mesure]({filename}/chroniques/la-juste-mesure.md), le collectif" in chantier
    assert "[Nous contacter]({filename}/pages/nous-contacter.md)" in chantier
    # Linked by its dated address, /2023/02/07/quelle-est-votre-promesse/, which WordPress answered too.
    assert "[notre promesse]({filename}/chroniques/quelle-est-votre-promesse.md)" in chantier
    assert "\n- écouter avant de proposer\u00a0;\n" in chantier and "\n## Ce que nous avons appris\n" in chantier
    assert "![Les associé·e·s autour de la table]({static}/images/atelier.jpg)\n\n*L’atelier du printemps*" in chantier
    # The block's caption, over the thumbnail named after the video in the uploads: a card.
    assert "[![La rencontre de juin]({static}/images/dqw4w9wgxcq.jpg)](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" \
        in chantier
    assert "[La vidéo sur Vimeo](https://vimeo.com/76979871)" in chantier
    assert "(le brouillon)" in chantier
    assert "[autres nouvelles](https://zohe.fr/category/vie-du-collectif/)" in chantier
    chantier = chantier.replace("https://zohe.fr/category/vie-du-collectif/", "")
    for leftover in ("<!--", "wp:", "[caption", "[embed", "<figure", "zohe.fr", "[contact-form-7"):
        assert leftover not in chantier

    # The migrated text as WordPress had it: its words kept, its fbpx gone.
    juste = (content / "chroniques" / "la-juste-mesure.md").read_text(encoding="utf-8")
    header, body = juste.split("\n\n", 1)
    assert header.splitlines()[:5] == ["Title: La juste mesure", "Date: 2023-03-14 09:00", "Author: Jean & Nathalie",
                                       "Category: Les Chroniques de Zôhé", "Tags: modèle économique, marketing"]
    assert "fbpx" not in juste and body.startswith("## LA JUSTE MESURE\n\nTous les modèles économiques")
    original = (ORIGINALS / "la-juste-mesure.txt").read_text(encoding="utf-8").split("LA JUSTE MESURE", 1)[1]
    assert body.rstrip().split("\n\n")[1:] == [p.strip() for p in original.strip().split("\n\n")]
    promesse = (content / "chroniques" / "quelle-est-votre-promesse.md").read_text(encoding="utf-8")
    assert "Summary: Pour changer, il faut des objectifs." in promesse
    assert promesse.rstrip().endswith("ce que nous voulons qu’ils sachent sur nous\u00a0».")

    pending = (content / "chroniques" / "relire-avant-de-publier.md").read_text(encoding="utf-8")
    assert pending.startswith("Title: Relire avant de publier, l’étape oubliée\n")
    private = (content / "chroniques" / "notes-privees-du-bureau.md").read_text(encoding="utf-8")
    # Its one video's thumbnail is the post's featured image.
    assert "[![La vidéo sur YouTube]({static}/images/reunion-bureau.jpg)](https://www.youtube.com/watch?v=Zx9kM2pQ0aE)" \
        in private and "iframe" not in private
    assert ("    · cadre intégré https://www.openstreetmap.org/export/embed.html?bbox=4.8,45.7,4.9,45.8"
            f"{NB}: remplacé par un lien (rien ne vient d’un autre site)\n") in report
    scheduled = (content / "chroniques" / "la-rentree-du-collectif.md").read_text(encoding="utf-8")
    assert "Date: 2027-01-20 09:00\n" in scheduled and "Status" not in scheduled
    assert not (content / "chroniques" / "reserve-aux-adherents.md").exists()
    assert not (content / "chroniques" / "ancienne-annonce.md").exists()

    # The strict builds (any warning fails them) take the import as it is.
    dev = build(output=tmp_path / "dev", overrides={"PATH": str(content)})
    assert (dev / "brouillons/notre-charte-en-brouillon/index.html").exists()
    prod = build_prod(tmp_path / "prod", PATH=str(content))
    page = (prod / "chroniques/le-collectif-en-chantier/index.html").read_text(encoding="utf-8")
    assert f'href="{PROD_SITEURL}/chroniques/la-juste-mesure/"' in page
    assert (prod / "nous-contacter/index.html").exists() and (prod / "archives-2/index.html").exists()
    for hidden in ("chroniques/notre-charte-en-brouillon", "chroniques/notes-privees-du-bureau", "nos-tarifs-2025"):
        assert not (prod / hidden).exists()


def test_run_twice_it_changes_nothing_and_never_overwrites_an_authors_edit(content):
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    first = import_export(EXPORT, content=content, now=now).text()
    # The two texts migrated by hand are the authors' own: kept, and said so.
    assert (f"content/chroniques/la-juste-mesure.md existait déjà sans venir de l’import, laissé tel quel{NNB}; "
            "--force pour le remplacer") in first
    before = files(content)
    assert (content / MANIFEST).exists()

    second = import_export(EXPORT, content=content, now=now).text()
    assert files(content) == before
    assert "content/chroniques/le-collectif-en-chantier.md (inchangé)" in second

    edited = content / "chroniques" / "le-collectif-en-chantier.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("douze", "treize"), encoding="utf-8")
    third = import_export(EXPORT, content=content, now=now).text()
    assert "treize" in edited.read_text(encoding="utf-8")
    assert (f"content/chroniques/le-collectif-en-chantier.md modifié depuis l’import, laissé tel quel{NNB}; "
            "--force pour le remplacer") in third

    # The export changed and the author did not: the import's own file is brought up to date.
    changed = content.parent / "changed.xml"
    changed.write_text(EXPORT.read_text(encoding="utf-8").replace("Réservé aux associé·e·s.", "Pour le bureau."),
                       encoding="utf-8")
    assert "content/chroniques/notes-privees-du-bureau.md (mis à jour, brouillon)" in import_export(
        changed, content=content, now=now).text()

    forced = import_export(EXPORT, content=content, force=True, now=now).text()
    assert "douze" in edited.read_text(encoding="utf-8")
    assert "content/chroniques/le-collectif-en-chantier.md (mis à jour)" in forced
    assert "content/chroniques/la-juste-mesure.md (mis à jour)" in forced


def test_an_export_that_is_not_one_is_refused_in_french_and_reads_nothing_else(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe", encoding="utf-8")
    entity = EXPORT.read_text(encoding="utf-8").replace(
        '<?xml version="1.0" encoding="UTF-8" ?>',
        f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret}">]>'
    ).replace("<title>Zôhé</title>", "<title>&secret;</title>").replace(
        "<![CDATA[Le collectif en chantier]]>", "&secret;")
    (tmp_path / "entity.xml").write_text(entity, encoding="utf-8")
    export = read_export(tmp_path / "entity.xml")
    assert all("mot de passe" not in (item.title + item.content) for item in export.items)

    with pytest.raises(ExportError, match=rf"^absent\.xml{NB}: fichier introuvable{NNB}; vérifiez le chemin donné$"):
        read_export(tmp_path / "absent.xml")
    (tmp_path / "cut.xml").write_text(EXPORT.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(ExportError, match=rf"^cut\.xml, ligne \d+{NB}: ce n’est pas un fichier XML complet et valide{NNB}; exportez de nouveau "
                       r"depuis WordPress \(Outils › Exporter\)$"):
        read_export(tmp_path / "cut.xml")
    (tmp_path / "feed.xml").write_text('<rss version="2.0"><channel><title>x</title></channel></rss>',
                                       encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(tmp_path / "feed.xml"),
                          "--content", str(tmp_path / "content"), "--report", str(tmp_path / "r.txt")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (f"Import non fait{NB}: feed.xml{NB}: ce n’est pas un export WordPress (WXR){NNB}; "
            "exportez de nouveau depuis WordPress (Outils › Exporter)") in run.stderr
    assert not (tmp_path / "content").exists()


def test_the_parsed_export_keeps_what_the_later_parts_of_the_import_need():
    """Comments (threading, status, type), attachments and every item's old link are read now, for the comments,
    media and redirects to come."""
    export = read_export(EXPORT)
    assert (export.site_url, export.blog_url) == ("https://zohe.fr", "https://zohe.fr")
    items = {item.id: item for item in export.items}
    juste = items["101"]
    assert juste.link == "https://zohe.fr/la-juste-mesure/" and juste.author == "Jean & Nathalie"
    assert juste.date_gmt == datetime(2023, 3, 14, 8, tzinfo=timezone.utc)
    assert [(c.id, c.author, c.parent, c.type, c.approved) for c in juste.comments] == [
        ("11", "Pauline", "0", "comment", "1"), ("12", "Jean", "11", "comment", "1"),
        ("13", "Un blog ami", "0", "pingback", "1")]
    assert juste.comments[0].email == "pauline@example.org" and juste.comments[0].url == "https://pauline.example.org"
    assert juste.comments[0].date_gmt == datetime(2023, 3, 15, 10, 12, tzinfo=timezone.utc)
    assert [c.approved for c in items["103"].comments] == ["1", "spam", "trash"]
    assert (items["201"].attachment_url, items["201"].parent) == (
        "https://zohe.fr/wp-content/uploads/2024/05/atelier.jpg", "103")
    assert items["201"].postmeta["_wp_attached_file"] == "2024/05/atelier.jpg"
    assert items["104"].date_gmt is None and items["104"].date_local == datetime(2024, 6, 2, 14, 5)
    assert (items["108"].password, items["109"].status, items["301"].type) == ("zohe2024", "trash", "nav_menu_item")
    assert items["103"].categories == ["Vie du collectif", "Les Chroniques de Zôhé"]
    assert items["103"].tags == ["collectif", "atelier"]


def test_an_unreadable_manifest_stops_the_import_before_anything_is_written(content, tmp_path):
    (content / MANIFEST).write_text("{ abîmé", encoding="utf-8")
    before = files(content)
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(EXPORT), "--content", str(content),
                          "--report", str(tmp_path / "r.txt")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (f"Import non fait{NB}: content/.wordpress-import.json{NB}: illisible, l’import ne sait plus quels "
            f"fichiers il a écrits{NNB}; rétablissez-le avec git (git checkout -- content/.wordpress-import.json), "
            "ou supprimez-le, et l’import gardera tels quels les fichiers déjà là") in run.stderr
    assert files(content) == before


def test_a_report_that_cannot_be_written_is_said_after_it_is_printed(content, tmp_path):
    missing = tmp_path / "absent" / "rapport.txt"
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(EXPORT), "--content", str(content),
                          "--report", str(missing)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"Rapport non écrit dans {missing}{NB}: ce dossier n’existe pas{NNB}; il est affiché ci-dessus" in run.stderr
    assert "content/chroniques/le-collectif-en-chantier.md (écrit)" in run.stdout
    assert (content / "chroniques" / "le-collectif-en-chantier.md").exists()


def test_a_map_key_nginx_would_misread_is_never_written():
    """Only paths and the query keys become map entries: "~" would make nginx read a regular expression, a control character would break the file."""
    from wordpress.redirects import Redirects

    redirects = Redirects(folders={"images"})
    assert redirects.add("/la-juste-mesure/", "/chroniques/la-juste-mesure/")
    assert redirects.add("?p=101", "/chroniques/la-juste-mesure/")
    for key in ("~/wp-content/uploads/a(.jpg", "wp-content/uploads/a.jpg", "/a\nb/", "/a\x7fb/", ""):
        assert not redirects.add(key, "/images/a.jpg"), key
    assert not redirects.add("/ancienne/", "/images/a\n.jpg")
    text = redirects.text()
    assert sorted(line.split('"')[1] for line in text.splitlines() if line.startswith('"')) == ["/la-juste-mesure/", "?p=101"]
