"""The old WordPress addresses through Debian's nginx with the shipped configuration: one 301 to a page that answers, or 410."""

import shutil
from urllib.parse import quote

from bench.nginx_server import running_nginx
from support import ROOT, build_prod, free_port
from test_nginx import get
from wordpress.importer import import_export
from wordpress_exports import item, write
from wordpress_uploads import make_uploads

EXPORT = ROOT / "tests" / "wordpress" / "export.xml"


def entries(map_file):
    """The map's entries as (key, value), read back from the file nginx reads."""
    found = []
    for line in map_file.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, value = line.rstrip(";").split('" "')
            found.append((key.strip('"'), value.strip('"')))
    return found


def test_every_old_address_answers_one_301_to_a_page_that_answers_or_410(tmp_path):
    """Pages, feeds, listings and uploads: an image under each size WordPress kept, and a PDF, answer their copy."""
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    for name in ("la-juste-mesure.md", "quelle-est-votre-promesse.md"):  # as WordPress had them
        (content / "chroniques" / name).unlink()
    uploads = make_uploads(tmp_path / "uploads")
    import_export(EXPORT, content=content, uploads=uploads)
    map_file = tmp_path / "project" / "deploy" / "nginx" / "wordpress-redirects.map"
    first = map_file.read_bytes()
    report = import_export(EXPORT, content=content, uploads=uploads).text()
    assert map_file.read_bytes() == first  # run twice: the same file
    assert ("ancienne adresse /la-juste-mesure/\u00a0: redirigée vers /chroniques/la-juste-mesure/" in report)
    assert "ancienne adresse /reserve-aux-adherents/\u00a0: supprimée (410)" in report
    assert "ancienne adresse /archives/\u00a0: adresse du site aujourd’hui, non redirigée" in report
    assert "pas encore" not in report

    webroot = tmp_path / "www"
    build_prod(webroot / "current", PATH=str(content))
    found = dict(entries(map_file))
    # Each kind of old address is there.
    for key in ("/la-juste-mesure/", "/2023/03/14/la-juste-mesure/", "?p=101", "?page_id=110", "?attachment_id=201",
                "/la-juste-mesure/balance/", "/feed/", "/la-juste-mesure/feed/", "/category/vie-du-collectif/",
                "/category/vie-du-collectif/feed/", "/tag/marketing/", "/author/pauline/", "/2024/", "/2024/05/",
                "/reserve-aux-adherents/", "/ancienne-annonce/", "?p=109", "/quelle-est-votre-promesse/feed/"):
        assert key in found, key
    # The original of the export's attachment (not in the folder), each size found in the folder (-1024x683 is
    # in no export's list), another month's file of the same name, a name with an accent and a space, a PDF.
    uploaded = {
        "/wp-content/uploads/2024/05/atelier.jpg": "/images/atelier.jpg",
        "/wp-content/uploads/2024/05/atelier-scaled.jpg": "/images/atelier.jpg",
        "/wp-content/uploads/2024/05/atelier-1024x683.jpg": "/images/atelier.jpg",
        "/wp-content/uploads/2024/05/atelier-300x200.jpg": "/images/atelier.jpg",
        "/wp-content/uploads/2023/01/atelier.jpg": "/images/atelier-2023-01.jpg",
        "/wp-content/uploads/2023/01/atelier-150x150.jpg": "/images/atelier-2023-01.jpg",
        "/wp-content/uploads/2024/06/Réunion Bureau.JPG": "/images/reunion-bureau.jpg",
        "/wp-content/uploads/2024/06/Réunion Bureau-300x169.JPG": "/images/reunion-bureau.jpg",
        "/wp-content/uploads/2023/01/plaquette.pdf": "/documents/plaquette.pdf",
    }
    assert {key: found.get(key) for key in uploaded} == uploaded
    assert not [key for key in found if key.startswith("/wp-content/") and ("balance" in key or "equipe" in key)]
    with running_nginx(tmp_path / "nginx", free_port(), webroot, free_port(), redirects=map_file) as base:
        for key, target in found.items():
            path = "/" + key if key.startswith("?") else quote(key)  # as a browser sends it: nginx decodes $uri
            status, headers, _ = get(base, path)
            if target == "gone":
                assert status == 410, path
                continue
            assert (status, headers.get("location")) == (301, target), path
            assert target not in found  # no chain, no loop
            status, _, _ = get(base, target)
            assert status == 200, (path, target)
        # The query-string forms also hold with other arguments, and our own addresses answer as before.
        assert get(base, "/?utm_source=x&p=102")[1].get("location") == "/chroniques/quelle-est-votre-promesse/"
        assert get(base, "/index.php?page_id=110")[1].get("location") == "/nous-contacter/"
        # Typed without its final slash, as WordPress also answered.
        assert get(base, "/la-juste-mesure")[1].get("location") == "/chroniques/la-juste-mesure/"
        assert get(base, "/chroniques/la-juste-mesure/")[0] == 200
        assert get(base, "/archives/")[0] == 200
        assert get(base, "/?p=999")[0] == 200
        # An upload's address as a browser sends it, percent-encoded.
        status, headers, _ = get(base, "/wp-content/uploads/2024/06/R%C3%A9union%20Bureau-300x169.JPG")
        assert (status, headers.get("location")) == (301, "/images/reunion-bureau.jpg")
        assert get(base, "/images/atelier.jpg")[0] == 200


def test_nginx_accepts_the_shipped_configuration_with_the_empty_map(tmp_path):
    """The map committed before any import: nginx -t passes (running_nginx checks it) and nothing redirects."""
    current = tmp_path / "www" / "current"
    current.mkdir(parents=True)
    (current / "index.html").write_text("accueil", encoding="utf-8")
    (current / "404.html").write_text("introuvable", encoding="utf-8")
    shipped = ROOT / "deploy" / "nginx" / "wordpress-redirects.map"
    assert entries(shipped) == []
    with running_nginx(tmp_path / "nginx", free_port(), tmp_path / "www", free_port()) as base:
        assert get(base, "/?p=101")[0] == 200
        assert get(base, "/la-juste-mesure/")[0] == 404


def test_an_old_address_with_accents_is_matched_as_readers_send_it(tmp_path):
    """WordPress writes non-ASCII slugs percent-encoded; nginx matches $uri decoded: the map holds the decoded path."""
    export = tmp_path / "export.xml"
    export.write_text(EXPORT.read_text(encoding="utf-8").replace(
        "<link>https://zohe.fr/le-collectif-en-chantier/</link>",
        "<link>https://zohe.fr/l%c3%a9t%c3%a9-du-collectif/</link>"), encoding="utf-8")
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    import_export(export, content=content)
    map_file = tmp_path / "project" / "deploy" / "nginx" / "wordpress-redirects.map"
    assert dict(entries(map_file))["/lété-du-collectif/"] == "/chroniques/le-collectif-en-chantier/"
    current = tmp_path / "www" / "current"
    current.mkdir(parents=True)
    (current / "404.html").write_text("introuvable", encoding="utf-8")
    with running_nginx(tmp_path / "nginx", free_port(), tmp_path / "www", free_port(), redirects=map_file) as base:
        for sent in ("/l%c3%a9t%c3%a9-du-collectif/", "/l%C3%A9t%C3%A9-du-collectif/"):
            status, headers, _ = get(base, sent)
            assert (status, headers.get("location")) == (301, "/chroniques/le-collectif-en-chantier/"), sent


def test_an_old_address_that_is_one_of_our_pages_keeps_our_page(tmp_path):
    """A WordPress post once at /notre-promesse/, where the site now has its own page: that page is not redirected."""
    export = tmp_path / "export.xml"
    export.write_text(EXPORT.read_text(encoding="utf-8").replace(
        "<link>https://zohe.fr/le-collectif-en-chantier/</link>", "<link>https://zohe.fr/notre-promesse/</link>"),
        encoding="utf-8")
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    report = import_export(export, content=content).text()
    found = dict(entries(tmp_path / "project" / "deploy" / "nginx" / "wordpress-redirects.map"))
    assert "/notre-promesse/" not in found and "/notre-promesse/feed/" in found
    assert found["/le-collectif-en-chantier/"] == "/chroniques/le-collectif-en-chantier/"
    assert "ancienne adresse /notre-promesse/\u00a0: adresse du site aujourd’hui, non redirigée" in report


def test_a_percent_encoded_slug_gets_a_plain_address_and_its_old_one_redirects_there(tmp_path):
    """WordPress keeps an emoji's or a non-Latin slug percent-encoded: the new address is a plain one that nginx
    serves, and the old one, sent by a browser percent-encoded, answers one 301 to it."""
    export = write(tmp_path / "export.xml",
                   item("10", "%e2%9c%a8-nouveau", "<p>Un texte nouveau.</p>", title="✨ Nouveau",
                        categories=[("Économie ✨", "%c3%a9conomie-%e2%9c%a8")]),
                   item("11", "Mon Titre", "<p>Un titre.</p>"))
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    import_export(export, content=content)
    map_file = tmp_path / "project" / "deploy" / "nginx" / "wordpress-redirects.map"
    found = dict(entries(map_file))
    assert found["/✨-nouveau/"] == "/chroniques/nouveau/" and found["/Mon Titre/"] == "/chroniques/mon-titre/"
    category = found["/category/économie-✨/"]
    assert category.startswith("/categories/") and not [key for key in found if "%" in key]
    webroot = tmp_path / "www"
    build_prod(webroot / "current", PATH=str(content))
    with running_nginx(tmp_path / "nginx", free_port(), webroot, free_port(), redirects=map_file) as base:
        for sent, target in (("/%e2%9c%a8-nouveau/", "/chroniques/nouveau/"), ("/%E2%9C%A8-nouveau", "/chroniques/nouveau/"),
                             ("/Mon%20Titre/", "/chroniques/mon-titre/"), ("/?p=10", "/chroniques/nouveau/"),
                             ("/category/%c3%a9conomie-%e2%9c%a8/", category)):
            status, headers, _ = get(base, sent)
            assert (status, headers.get("location")) == (301, target), sent
            assert get(base, target)[0] == 200, target
