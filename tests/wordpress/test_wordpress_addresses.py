"""Where each imported item goes: a published item's address never depends on drafts, an item keeps its file from one run to the next, every slug a safe one, every metadata value on its line."""

import json

from wordpress.importer import import_export
from wordpress.manifest import NAME as MANIFEST
from wordpress_exports import comment, item, write

NB, NNB = "\u00a0", "\u202f"
# WordPress leaves a draft's post_name empty until it is published: the draft asks for its title's slug.
DRAFT = item("50", "", "<p>Brouillon abandonné.</p>", title="La mesure", status="draft", date="2023-01-01 09:00:00")
PUBLISHED = item("60", "la-mesure", "<p>Le vrai texte publié.</p>", title="La mesure",
                 comments=[comment("500", "0", "Un avis")])


def project(tmp_path):
    """An empty content/ in a project folder: the import writes deploy/nginx/ beside it."""
    content = tmp_path / "project" / "content"
    content.mkdir(parents=True)
    return content


def redirects(content):
    """The map's entries, key → target."""
    text = (content.parent / "deploy" / "nginx" / "wordpress-redirects.map").read_text(encoding="utf-8")
    return dict(line.rstrip(";").strip('"').split('" "') for line in text.splitlines() if line.startswith('"'))


def chronicles(content):
    return sorted(path.name for path in (content / "chroniques").iterdir())


def test_a_draft_first_in_the_export_never_takes_the_published_posts_address(tmp_path):
    content = project(tmp_path)
    report = import_export(write(tmp_path / "a.xml", DRAFT, PUBLISHED), content=content).text()
    assert f"- chronique 60 «{NB}La mesure{NB}»{NB}: content/chroniques/la-mesure.md (écrit)\n" in report
    assert f"- chronique 50 «{NB}La mesure{NB}»{NB}: content/chroniques/la-mesure-2.md (écrit, brouillon)\n" in report
    assert f"    · commentaire 500 de Alice 500{NB}: importé dans /chroniques/la-mesure/ (n° 1, publié)\n" in report
    assert redirects(content)["/la-mesure/"] == "/chroniques/la-mesure/"
    assert "Le vrai texte publié." in (content / "chroniques" / "la-mesure.md").read_text(encoding="utf-8")

    # The draft deleted in WordPress: the post stays where it is, once; the draft's file is said, not deleted.
    second = import_export(write(tmp_path / "b.xml", PUBLISHED), content=content).text()
    assert "content/chroniques/la-mesure.md (inchangé)" in second
    assert chronicles(content) == ["la-mesure-2.md", "la-mesure.md"]
    assert (f"content/chroniques/la-mesure-2.md{NB}: écrit par un import précédent, aucun élément importé cette fois "
            f"n’y va (supprimé, à la corbeille ou renommé dans WordPress){NNB}; laissé tel quel, supprimez-le s’il "
            "n’a plus lieu d’être\n") in second


def test_an_item_keeps_its_file_address_and_thread_from_one_run_to_the_next(tmp_path):
    """Its WordPress slug changed (or the post that held the slug was deleted): no second copy under the new name."""
    content = project(tmp_path)
    first = item("70", "la-mesure", "<p>Premier.</p>", title="La mesure")
    second = item("60", "la-mesure-2", "<p>Second.</p>", title="La mesure, suite",
                  comments=[comment("500", "0", "Un avis")])
    import_export(write(tmp_path / "a.xml", first, second), content=content)
    assert json.loads((content / MANIFEST).read_text(encoding="utf-8"))["items"] == {
        "60": "chroniques/la-mesure-2.md", "70": "chroniques/la-mesure.md"}

    renamed = second.replace("<![CDATA[la-mesure-2]]>", "<![CDATA[la-mesure]]>").replace(
        "https://zohe.fr/la-mesure-2/", "https://zohe.fr/la-mesure/")
    report = import_export(write(tmp_path / "b.xml", renamed), content=content).text()
    assert f"- chronique 60 «{NB}La mesure, suite{NB}»{NB}: content/chroniques/la-mesure-2.md (inchangé)\n" in report
    assert (f"    · garde l’adresse «{NB}la-mesure-2{NB}» de l’import précédent («{NB}la-mesure{NB}» dans WordPress)\n"
            in report)
    assert f"    · commentaire 500 de Alice 500{NB}: déjà importé (n° 1 dans /chroniques/la-mesure-2/)\n" in report
    assert chronicles(content) == ["la-mesure-2.md", "la-mesure.md"]
    assert "content/chroniques/la-mesure.md" in report and "écrit par un import précédent" in report
    assert redirects(content)["/la-mesure/"] == "/chroniques/la-mesure-2/"


def test_every_slug_is_a_safe_one_and_its_old_address_still_redirects(tmp_path):
    """Percent-encoded (an emoji, Japanese), hostile (a path out of content/), with a space: one rule, Pelican's."""
    content = project(tmp_path)
    report = import_export(write(
        tmp_path / "a.xml",
        item("10", "%e2%9c%a8-nouveau", "<p>Un.</p>", title="✨ Nouveau"),
        item("11", "%e6%97%a5%e6%9c%ac", "<p>Deux.</p>", title="日本"),
        item("12", "../../pwned", "<p>Trois.</p>"),
        item("13", "Mon Titre", "<p>Quatre.</p>"),
        item("14", "%f0%9f%8c%b1", "<p>Cinq.</p>", title="🌱", kind="page"),
    ), content=content).text()
    assert chronicles(content) == ["mon-titre.md", "nouveau.md", "pwned.md", "ri-ben.md"]
    assert sorted(path.name for path in (content / "pages").iterdir()) == ["page-14.md"]
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.md")) == [
        f"project/content/{folder}/{name}" for folder, name in (
            ("chroniques", "mon-titre.md"), ("chroniques", "nouveau.md"), ("chroniques", "pwned.md"),
            ("chroniques", "ri-ben.md"), ("pages", "page-14.md"))]
    assert "Slug: nouveau\n" in (content / "chroniques" / "nouveau.md").read_text(encoding="utf-8")
    assert "content/chroniques/nouveau.md (écrit)" in report
    # The old addresses, as nginx's $uri has them (decoded), to the new ones.
    found = redirects(content)
    assert found["/✨-nouveau/"] == "/chroniques/nouveau/" and found["/日本/"] == "/chroniques/ri-ben/"
    assert found["/Mon Titre/"] == "/chroniques/mon-titre/" and found["?p=14"] == "/page-14/"
    assert not [key for key in found if "%" in key or "/../" in key]
    assert (f"    · ancienne adresse /../../pwned/{NB}: non redirigée, aucune requête n’arrive à nginx sous cette "
            "forme\n") in report


def test_a_hostile_category_or_tag_cannot_add_a_metadata_key(tmp_path):
    content = project(tmp_path)
    hostile = "Économie\nStatus: draft\nTemplate: offer"
    import_export(write(tmp_path / "a.xml", item("70", "cat", "<p>Texte.</p>", categories=[hostile, "Vie\r\nSave_as: x"],
                                                 title="Un titre\nStatus: draft")), content=content)
    header = (content / "chroniques" / "cat.md").read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    assert [line.split(":")[0] for line in header] == ["Title", "Date", "Author", "Category", "Tags", "Summary", "Slug"]
    assert "Category: Économie Status: draft Template: offer" in header
    assert "Tags: Vie Save_as: x" in header


def test_a_published_post_takes_its_address_back_from_a_draft_imported_before(tmp_path):
    """A draft's address was never public: the post published since under that slug takes it, the draft moves."""
    content = project(tmp_path)
    import_export(write(tmp_path / "a.xml", DRAFT), content=content)
    assert chronicles(content) == ["la-mesure.md"]
    report = import_export(write(tmp_path / "b.xml", DRAFT, PUBLISHED), content=content).text()
    assert f"- chronique 60 «{NB}La mesure{NB}»{NB}: content/chroniques/la-mesure.md (mis à jour)\n" in report
    assert f"- chronique 50 «{NB}La mesure{NB}»{NB}: content/chroniques/la-mesure-2.md (écrit, brouillon)\n" in report
    assert "Le vrai texte publié." in (content / "chroniques" / "la-mesure.md").read_text(encoding="utf-8")
    assert "écrit par un import précédent" not in report
