"""The sitemap lists exactly the pages search engines may index, as each page's own robots meta says."""

import shutil
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

from support import PROD_SITEURL, ROOT
from publish.build import build

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def listed(site, siteurl):
    """The output files the sitemap's <loc>s name."""
    files = set()
    for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc"):
        path = loc.text[len(siteurl):].lstrip("/")
        files.add(path + "index.html" if path == "" or path.endswith("/") else path)
    return files


def says_noindex(page):
    """What the page's <meta name="robots"> says, read with an HTML parser (not the build's own rule)."""
    metas = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("meta")
    return any(meta.get("name", "").lower() == "robots" and "noindex" in meta.get("content", "").lower()
               for meta in metas)


def indexable_pages(site):
    return {str(page.relative_to(site)) for page in site.rglob("*.html") if not says_noindex(page)}


def test_the_sitemap_lists_every_indexable_page_and_nothing_else(prod_site):
    files = listed(prod_site, PROD_SITEURL)
    assert files == indexable_pages(prod_site)
    # What search consoles reported: robots.txt, and the pages that say noindex.
    assert not {"robots.txt", "404.html", "recherche/index.html"} & files
    assert says_noindex(prod_site / "404.html") and says_noindex(prod_site / "recherche" / "index.html")
    assert {"index.html", "abonnement/index.html", "chroniques/la-juste-mesure/index.html"} <= files


def test_a_page_that_says_noindex_leaves_the_sitemap_by_itself(tmp_path):
    """A new template page with the robots meta is left out, with no setting beside it; its twin without is listed."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    page = '{%% extends "base.html" %%}{%% block head %%}%s{%% endblock %%}{%% block content %%}<p>Essai</p>{%% endblock %%}'
    (theme / "templates" / "cachee.html").write_text(page % '<meta name="ROBOTS" content="nofollow, NoIndex">')
    (theme / "templates" / "visible.html").write_text(page % '<meta name="robots" content="nofollow">')
    site = build(output=tmp_path / "output", overrides={
        "THEME": str(theme),
        "TEMPLATE_PAGES": {"404.html": "404.html", "cachee.html": "cachee/index.html", "visible.html": "visible/index.html"},
    })
    files = listed(site, "")
    assert "visible/index.html" in files and "cachee/index.html" not in files
    assert files == indexable_pages(site)
