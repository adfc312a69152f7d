"""The real site, built from the real content and theme: every page type, feeds, metadata, links."""

import json
import re
from datetime import datetime, timedelta, timezone
import shutil
from xml.etree import ElementTree

from bs4 import BeautifulSoup
import pytest

from support import PROD_SITEURL, ROOT, build_prod
from publish.build import build
from built_site import broken_links

ATOM = "{http://www.w3.org/2005/Atom}"
CHRONICLES = {
    "la-juste-mesure": "La juste mesure",
    "quelle-est-votre-promesse": "Quelle est votre promesse",
}


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(path):
    # Typography puts narrow no-break spaces in; compare words, not spacing.
    return " ".join(soup(path).get_text(" ").replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "404.html",
        "archives/index.html",
        "archives/2023/index.html",
        "archives/2023/03/index.html",
        "categories/index.html",
        "categories/les-chroniques-de-zohe/index.html",
        "mots-cles/index.html",
        "mots-cles/marketing/index.html",
        "auteurs/index.html",
        "auteurs/jean-nathalie/index.html",
        "chroniques/la-juste-mesure/index.html",
        "chroniques/quelle-est-votre-promesse/index.html",
        "notre-promesse/index.html",
        "adhesion/index.html",
        "abonnement/index.html",
        "a-propos/index.html",
        "mentions-legales/index.html",
        "politique-de-confidentialite/index.html",
        "feeds/chroniques.atom.xml",
        "feeds/chroniques.rss.xml",
        "feeds/categories/les-chroniques-de-zohe.atom.xml",
        "feeds/categories/les-chroniques-de-zohe.rss.xml",
        "sitemap.xml",
        "robots.txt",
        "favicon.svg",
    ],
)
def test_every_page_type_exists(prod_site, page):
    assert (prod_site / page).is_file()


def test_pages_are_french_and_landmarked(prod_site):
    for page in prod_site.rglob("*.html"):
        document = soup(page)
        assert document.html.get("lang") == "fr", page
        assert document.find("main") is not None, page
        assert document.find("title").get_text(strip=True), page


def test_chronicle_shows_title_french_date_author_and_category(prod_site):
    page = prod_site / "chroniques/la-juste-mesure/index.html"
    text = text_of(page)
    assert "La juste mesure" in soup(page).find("h1").get_text()
    assert "14 mars 2023" in text
    assert "Jean & Nathalie" in text
    assert "Les Chroniques de Zôhé" in text
    assert "fbpx" not in text  # the old tracker's leftover is gone


def test_chronicle_carries_canonical_open_graph_and_json_ld(prod_site):
    document = soup(prod_site / "chroniques/la-juste-mesure/index.html")
    url = f"{PROD_SITEURL}/chroniques/la-juste-mesure/"
    assert document.find("link", rel="canonical")["href"] == url
    assert document.find("meta", property="og:url")["content"] == url
    assert document.find("meta", property="og:type")["content"] == "article"
    data = [json.loads(s.string) for s in document.find_all("script", type="application/ld+json")]
    articles = [d for d in data if d.get("@type") in ("Article", "BlogPosting")]
    assert articles, data
    assert articles[0]["headline"].startswith("La juste mesure")
    assert articles[0]["datePublished"].startswith("2023-03-14")


def test_home_lists_the_latest_chronicles_newest_first(prod_site):
    text = text_of(prod_site / "index.html")
    # CHRONICLES is written newest first (14 March, then 7 February 2023).
    positions = [text.find(title) for title in CHRONICLES.values()]
    assert all(position >= 0 for position in positions), positions
    assert positions == sorted(positions), positions


def listed(path):
    """Slugs of the chronicles a listing page links to in its main content, in page order."""
    found = []
    for link in soup(path).find("main").find_all("a", href=True):
        match = re.fullmatch(rf"{re.escape(PROD_SITEURL)}/chroniques/([\w-]+)/", link["href"])
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def french_dates(path):
    """{ISO date: text} of the <time> elements in the main content."""
    return {t["datetime"][:10]: " ".join(t.get_text().replace("\xa0", " ").split())
            for t in soup(path).find("main").find_all("time")}


BOTH = ["la-juste-mesure", "quelle-est-votre-promesse"]


@pytest.mark.parametrize("page, title, chronicles, dates", [
    ("categories/les-chroniques-de-zohe/index.html", "Les Chroniques de Zôhé", BOTH,
     {"2023-03-14": "14 mars 2023", "2023-02-07": "7 février 2023"}),
    ("mots-cles/marketing/index.html", "marketing", BOTH,
     {"2023-03-14": "14 mars 2023", "2023-02-07": "7 février 2023"}),
    ("mots-cles/confiance/index.html", "confiance", ["la-juste-mesure"], {"2023-03-14": "14 mars 2023"}),
    ("auteurs/jean-nathalie/index.html", "Jean & Nathalie", BOTH,
     {"2023-03-14": "14 mars 2023", "2023-02-07": "7 février 2023"}),
    ("archives/2023/index.html", "2023", BOTH, {"2023-03-14": "14 mars", "2023-02-07": "7 février"}),
    ("archives/2023/03/index.html", "Mars 2023", ["la-juste-mesure"], {"2023-03-14": "14 mars"}),
    ("archives/2023/02/index.html", "Février 2023", ["quelle-est-votre-promesse"], {"2023-02-07": "7 février"}),
])
def test_listing_pages_show_their_title_chronicles_and_french_dates(prod_site, page, title, chronicles, dates):
    path = prod_site / page
    assert soup(path).find("h1").get_text(strip=True) == title
    assert listed(path) == chronicles
    assert french_dates(path) == dates


def test_year_archive_heads_each_month_in_french(prod_site):
    headings = [h.get_text(strip=True) for h in soup(prod_site / "archives/2023/index.html").find("main").find_all("h2")]
    assert headings == ["Mars", "Février"]


@pytest.mark.parametrize("base", ["", "categories/les-chroniques-de-zohe/", "mots-cles/marketing/", "auteurs/jean-nathalie/"])
def test_pagination_links_between_pages(paginated_site, base):
    first, second = paginated_site / base / "index.html", paginated_site / base / "page/2/index.html"
    assert second.is_file()
    assert not (paginated_site / base / "page/3").exists()
    # One chronicle a page, newest first.
    assert listed(first) == ["la-juste-mesure"] and listed(second) == ["quelle-est-votre-promesse"]
    assert soup(first).find("a", rel="next", href=f"{PROD_SITEURL}/{base}page/2/") is not None
    assert soup(second).find("a", rel="prev", href=f"{PROD_SITEURL}/{base}") is not None
    assert "Page 2 sur 2" in text_of(second)
    assert ", page 2 — " in soup(second).find("title").get_text()


@pytest.fixture(scope="module")
def paginated_site(tmp_path_factory):
    return build_prod(tmp_path_factory.mktemp("paginated") / "output", DEFAULT_PAGINATION=1)


def test_offer_pages_render_their_metadata(prod_site):
    for slug in ("adhesion", "abonnement"):
        page = prod_site / slug / "index.html"
        text = text_of(page)
        assert "€" in text, slug
        document = soup(page)
        items = document.select(".offer li, [class*=offer] li")
        assert len(items) >= 2, slug
        cta = document.select_one("a.cta, .offer a[href^=mailto], [class*=cta]")
        assert cta is not None and cta.get_text(strip=True), slug


def test_archives_group_by_year_and_month_in_french(prod_site):
    text = text_of(prod_site / "archives/index.html")
    assert "2023" in text and "mars" in text


@pytest.mark.parametrize(
    "feed", ["feeds/chroniques.atom.xml", "feeds/categories/les-chroniques-de-zohe.atom.xml"]
)
def test_atom_feeds_list_every_chronicle_with_full_content(prod_site, feed):
    root = ElementTree.parse(prod_site / feed).getroot()
    entries = root.findall(f"{ATOM}entry")
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    for title in CHRONICLES.values():
        assert any(t.startswith(title) for t in titles), titles
    for entry in entries:
        content = entry.find(f"{ATOM}content")
        assert content is not None and len(content.text) > 500
        assert entry.find(f"{ATOM}link").get("href").startswith(PROD_SITEURL)


@pytest.mark.parametrize(
    "feed", ["feeds/chroniques.rss.xml", "feeds/categories/les-chroniques-de-zohe.rss.xml"]
)
def test_rss_feeds_parse_and_list_the_chronicles(prod_site, feed):
    root = ElementTree.parse(prod_site / feed).getroot()
    items = root.findall("./channel/item")
    assert len(items) == len(CHRONICLES)
    titles = [item.find("title").text for item in items]
    for title in CHRONICLES.values():
        assert any(t.startswith(title) for t in titles), titles
    for item in items:
        assert len(item.find("description").text) > 500
        assert item.find("link").text.startswith(f"{PROD_SITEURL}/chroniques/")


def test_sitemap_lists_chronicles_and_pages(prod_site):
    text = (prod_site / "sitemap.xml").read_text(encoding="utf-8")
    ElementTree.fromstring(text.encode())
    for slug in CHRONICLES:
        assert f"{PROD_SITEURL}/chroniques/{slug}/" in text
    assert f"{PROD_SITEURL}/notre-promesse/" in text


def test_sitemap_dates_listing_pages_by_the_latest_chronicle_not_the_build(prod_site):
    """A listing changes when a chronicle does: dated so, the sitemap is the same at every build."""
    text = (prod_site / "sitemap.xml").read_text(encoding="utf-8")
    dates = {url: datetime.fromisoformat(date) for url, date in re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", text)}
    chronicles = [date for url, date in dates.items() if "/chroniques/" in url]
    listings = {dates[f"{PROD_SITEURL}/{path}"] for path in ("", "archives/", "mots-cles/marketing/", "auteurs/")}
    # The content's pages carry no date: the newest chronicle is the site's latest change.
    assert len(chronicles) == len(CHRONICLES) and listings == {max(chronicles)}


def test_robots_txt_allows_everything_and_names_the_production_sitemap(prod_site):
    text = (prod_site / "robots.txt").read_text(encoding="utf-8")
    assert text.endswith("sitemap.xml\n")
    lines = text.splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {PROD_SITEURL}/sitemap.xml" in lines
    assert (prod_site / "sitemap.xml").is_file()


def test_every_internal_link_and_asset_resolves(prod_site, dev_site):
    comments = (PROD_SITEURL + "/isso/",)
    assert list(broken_links(prod_site, siteurl=PROD_SITEURL, elsewhere=comments)) == []
    assert list(broken_links(dev_site)) == []


def test_the_link_check_sees_a_broken_link(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html">b</a> <img src="/img/absente.webp"> <a href="https://ailleurs.fr/x">x</a>'
        '<a href="mailto:x@y.fr">m</a> <a href="#haut">h</a> <link rel="stylesheet" href="/c.css">'
    )
    (tmp_path / "c.css").write_text("")
    assert sorted(url for _page, url in broken_links(tmp_path)) == ["/img/absente.webp", "b.html"]


GOOD = """Title: {title}
Date: {date}
Author: Jean & Nathalie
Summary: Un résumé.
{extra}
Texte de la chronique.
"""


def test_drafts_show_in_the_preview_and_never_in_production(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "chroniques" / "brouillon.md").write_text(
        GOOD.format(title="Un brouillon secret", date="2024-01-01", extra="Status: draft\n"),
        encoding="utf-8",
    )
    dev = build(output=tmp_path / "dev", overrides={"PATH": str(content)})
    prod = build_prod(tmp_path / "prod", PATH=str(content))
    assert "Un brouillon secret" in (dev / "brouillons/un-brouillon-secret/index.html").read_text()
    leaked = [p for p in prod.rglob("*") if p.is_file() and b"brouillon secret" in p.read_bytes()]
    assert leaked == []


def test_a_draft_by_a_new_author_with_a_new_tag_previews_without_broken_links(tmp_path):
    # Author and tag pages exist only for published chronicles: a draft must not link to them.
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "chroniques" / "nouvelle-plume.md").write_text(
        GOOD.format(title="Une nouvelle plume", date="2024-01-01",
                    extra="Status: draft\nTags: marketing, tout nouveau\n").replace("Jean & Nathalie", "Camille"),
        encoding="utf-8",
    )
    (content / "chroniques" / "plume-connue.md").write_text(
        GOOD.format(title="Une plume connue", date="2024-01-02", extra="Status: draft\n"), encoding="utf-8"
    )
    dev = build(output=tmp_path / "dev", overrides={"PATH": str(content)})  # the link check passes
    # A draft by an author who has published links to their page.
    known = soup(dev / "brouillons/une-plume-connue/index.html")
    assert [a.get_text() for a in known.select(".byline a[rel=author]")] == ["Jean & Nathalie"]
    draft = soup(dev / "brouillons/une-nouvelle-plume/index.html")
    assert "Camille" in draft.select_one(".byline").get_text() and draft.select(".byline a[rel=author]") == []
    assert [a.get_text() for a in draft.select(".tags a[rel=tag]")] == ["marketing"]
    assert "tout nouveau" in draft.select_one(".tags").get_text()
    home = soup(dev / "index.html")
    assert "Une nouvelle plume" in home.get_text() and not home.select("a[href*='auteurs/camille']")
    # Published chronicles keep their links.
    chronicle = soup(dev / "chroniques/la-juste-mesure/index.html")
    assert chronicle.select(".byline a[rel=author]") and len(chronicle.select(".tags a[rel=tag]")) == 5


@pytest.mark.parametrize("unpublished", ["Status: draft", "dated tomorrow"])
def test_a_link_to_a_chronicle_production_does_not_publish_fails_naming_both_files(tmp_path, unpublished):
    """With no URL of its own, Pelican pointed such a link at the home page, and the check passed."""
    from publish.build import BuildError

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    date, extra = (("2024-01-01", "Status: draft\n") if unpublished == "Status: draft"
                   else (f"{tomorrow:%Y-%m-%d %H:%M}", ""))
    (content / "chroniques" / "a-venir.md").write_text(
        GOOD.format(title="À venir", date=date, extra=extra), encoding="utf-8")
    page = content / "pages" / "a-propos.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nLire [bientôt]({filename}/chroniques/a-venir.md).\n",
                    encoding="utf-8")
    # The preview shows it (as a draft, or published early), so its link check passes.
    dev = build(output=tmp_path / "dev", overrides={"PATH": str(content)})
    assert 'a-venir/">bientôt</a>' in (dev / "a-propos" / "index.html").read_text(encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_prod(tmp_path / "prod", PATH=str(content), TIMEZONE="UTC")
    line = page.read_text(encoding="utf-8").splitlines().index("Lire [bientôt]({filename}/chroniques/a-venir.md).") + 1
    assert (f"content/pages/a-propos.md, ligne {line}\u00a0: lien vers content/chroniques/a-venir.md, que cette "
            "construction ne publie pas (un brouillon, ou daté dans le futur)\u202f; ajoutez le lien une fois ce "
            "document en ligne") in str(failure.value)
    assert not (tmp_path / "prod").exists()


def test_future_chronicle_is_published_by_the_first_build_on_its_date(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for title, when in (("Demain paraîtra", now + timedelta(days=1)),
                        ("Tout juste paru", now - timedelta(minutes=2))):
        (content / "chroniques" / f"{when:%Y%m%d%H%M}.md").write_text(
            GOOD.format(title=title, date=f"{when:%Y-%m-%d %H:%M}", extra=""), encoding="utf-8"
        )
    prod = build_prod(tmp_path / "prod", PATH=str(content), TIMEZONE="UTC")
    home = (prod / "index.html").read_text(encoding="utf-8")
    assert "Tout juste paru" in home
    assert "Demain paraîtra" not in home
    assert not (prod / "chroniques/demain-paraitra").exists()


def test_production_plugins_do_not_leak_into_a_later_preview_build(prod_site, tmp_path):
    # Pelican never disconnects plugins; the build must, or precompression runs in the preview.
    assert list(prod_site.rglob("*.br"))
    dev = build(output=tmp_path / "dev")
    assert list(dev.rglob("*.br")) == [] and list(dev.rglob("*.gz")) == []
