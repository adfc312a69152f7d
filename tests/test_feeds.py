"""The feeds a reader subscribes to: French, titled as the pages are, RSS guids that are not links, and the offer's links to them.

A production build of the real content with one more chronicle, whose title and category
need the French typography (an ordinal, a colon, a question mark), so that every feed,
the category's too, has a title to get wrong.
"""

import shutil
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
import pytest

from support import PROD_SITEURL, ROOT, build_prod
import built_site  # noqa: E402  (plugins/ is on sys.path once support imported publish)

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

CHRONICLE = """Title: Le 2ème essai : pourquoi ?
Date: 2024-05-02 10:00
Author: Zôhé
Category: Pourquoi pas ?
Tags: essai
Summary: Un résumé d’essai.
Slug: deuxieme-essai

Un texte d’essai.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("feeds")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "chroniques" / "deuxieme-essai.md").write_text(CHRONICLE, encoding="utf-8")
    return build_prod(base / "output", PATH=str(content))


def feeds(site):
    """Every feed of the build, parsed: {path relative to the output: root element}."""
    return {
        str(path.relative_to(site)): ET.parse(path).getroot()
        for path in sorted(site.rglob("*.xml"))
        if path.name != "sitemap.xml"
    }


def title_and_items(root):
    """A feed's own title and its items' (title, link), Atom or RSS alike."""
    if root.tag == f"{ATOM}feed":
        items = [(entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
                 for entry in root.iter(f"{ATOM}entry")]
        return root.findtext(f"{ATOM}title"), items
    channel = root.find("channel")
    return channel.findtext("title"), [(item.findtext("title"), item.findtext("link")) for item in channel.iter("item")]


def heading(site, url):
    """The <h1> of the page at `url`, as a reader reads it."""
    path = built_site.output_file(url, str(site / "index.html"), str(site), PROD_SITEURL)
    page = BeautifulSoup(open(path, encoding="utf-8").read(), "html.parser")
    return page.h1.get_text()


def test_every_feed_is_found(site):
    assert {
        "feeds/chroniques.atom.xml", "feeds/chroniques.rss.xml",
        "feeds/categories/les-chroniques-de-zohe.atom.xml", "feeds/categories/pourquoi-pas.rss.xml",
        "chroniques/deuxieme-essai/commentaires.atom.xml",
    } <= set(feeds(site))


def test_every_feed_declares_french(site):
    for name, root in feeds(site).items():
        if root.tag == f"{ATOM}feed":
            assert root.get(XML_LANG) == "fr", name
        else:
            assert root.find("channel").findtext("language") == "fr", name


def test_feed_titles_read_as_the_pages_show_them(site):
    for name, root in feeds(site).items():
        title, items = title_and_items(root)
        if name.startswith("feeds/categories/pourquoi-pas."):
            # The separator of the pages' <title>, not a hyphen; the category typeset.
            assert title == "Zôhé — Pourquoi pas\u202f?", name
        elif name.startswith("feeds/"):
            assert title in ("Zôhé", "Zôhé — Les Chroniques de Zôhé"), name
        for item_title, link in items:
            if "#" not in link:  # a chronicle, not a comment
                assert item_title == heading(site, link), (name, link)
    essay = heading(site, f"{PROD_SITEURL}/chroniques/deuxieme-essai/")
    assert essay == "Le 2e essai\u00a0: pourquoi\u202f?"
    comments = feeds(site)["chroniques/deuxieme-essai/commentaires.atom.xml"]
    assert title_and_items(comments)[0] == f"Commentaires\u00a0: {essay}"


def test_rss_guids_are_tag_uris_that_no_reader_takes_for_links(site):
    guids = [guid for root in feeds(site).values() if root.tag == "rss" for guid in root.iter("guid")]
    assert len(guids) >= 4
    for guid in guids:
        assert guid.text.startswith("tag:") and guid.get("isPermaLink") == "false", ET.tostring(guid)


def test_the_subscription_offer_links_to_the_feeds(site):
    page = site / "abonnement" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    paragraph = next(p for p in soup.find_all("p") if "flux" in p.get_text())
    links = {link.get_text(): link["href"] for link in paragraph.find_all("a")}
    assert set(links) == {"Atom", "RSS"}
    roots = {}
    for text, href in links.items():
        target = built_site.output_file(href, str(page), str(site), PROD_SITEURL)
        assert target and (site / target).is_file(), href
        roots[text] = ET.parse(target).getroot().tag
    assert roots == {"Atom": f"{ATOM}feed", "RSS": "rss"}
