"""The comment feed the build writes beside each chronicle, and the count it adds to Pelican's own feeds."""

from xml.etree import ElementTree

from bs4 import BeautifulSoup

from support import APPROVED_AUTHORS, ATOM, PROD_SITEURL, URI, baked_page, baked_site, build_prod  # noqa: F401  (baked_site: fixture `site`)


def test_the_comment_feed_holds_exactly_the_approved_comments_in_order(site):
    root = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    authors = [entry.find(f"{ATOM}author/{ATOM}name").text for entry in entries]
    assert authors == APPROVED_AUTHORS
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert all(link.startswith(f"{PROD_SITEURL}{URI}#isso-") for link in links)


def test_the_comment_feed_speaks_french_typography(site):
    root = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    assert root.findtext(f"{ATOM}title") == "Commentaires\u00a0: La juste mesure"
    assert root.findtext(f"{ATOM}subtitle") == "Les réponses approuvées à «\u202fLa juste mesure\u202f»"
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert titles[0] == "Pauline sur «\u202fLa juste mesure\u202f»"
    assert all(title.endswith(" sur «\u202fLa juste mesure\u202f»") for title in titles)


def test_baked_text_is_inert(site):
    root = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    for entry in root.findall(f"{ATOM}entry"):
        html = BeautifulSoup(entry.find(f"{ATOM}content").text, "html.parser")
        assert html.find("script") is None
        for tag in html.find_all(True):
            assert not [a for a in tag.attrs if a.startswith("on")], tag
            for attr in ("href", "src"):
                assert not tag.get(attr, "").lower().startswith(("javascript:", "data:")), tag


def test_a_missing_database_means_no_comments_yet(tmp_path):
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": tmp_path / "absent.db"})
    root = ElementTree.parse(output / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    assert root.findall(f"{ATOM}entry") == []


def test_pelicans_feeds_end_each_chronicle_with_its_count(site):
    for name, content_tag in (("chroniques.atom.xml", f"{ATOM}content"), ("chroniques.rss.xml", "description")):
        root = ElementTree.parse(site / "feeds" / name).getroot()
        items = root.findall(f"{ATOM}entry") or root.findall("channel/item")
        by_link = {}
        for item in items:
            link = item.find(f"{ATOM}link")
            by_link[link.get("href") if link is not None else item.findtext("link")] = item.findtext(content_tag)
        assert by_link[f"{PROD_SITEURL}{URI}"].endswith(
            f'<p>Discussion\u00a0: <a href="{PROD_SITEURL}{URI}#discussion">4 réponses</a></p>'
        ), name
        assert by_link[f"{PROD_SITEURL}/chroniques/quelle-est-votre-promesse/"].endswith(">0 réponse</a></p>"), name
    # The page itself is not changed by it.
    assert "Discussion\u00a0:" not in baked_page(site).select_one(".prose").get_text()
