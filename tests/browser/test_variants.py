"""What the real content does not show yet: drafts in the preview, pagination, a chronicle without
discussion, reply counts; built from a copy of the content with one draft and one more chronicle
added, and an Isso database holding a few approved comments."""

import json
import re
import shutil
import time

import pytest

from support import serve_directory

from .conftest import ROOT

def chronicle(title, date, slug, switch, summary, body):
    """A chronicle's Markdown source by Jean & Nathalie; ``switch`` is one more metadata line."""
    return (f"Title: {title}\nDate: {date}\nAuthor: Jean & Nathalie\nCategory: Les Chroniques de Zôhé\n"
            f"Slug: {slug}\n{switch}\nSummary: {summary}\n\n{body}\n")


DRAFT = chronicle("Une chronique en chantier", "2023-04-02 09:00", "en-chantier", "Status: draft",
                  "Un brouillon que seul l’aperçu montre.", "Pas encore prête.")
QUIET = chronicle("Une chronique sans discussion", "2023-01-10 09:00", "sans-discussion", "Comments: off",
                  "Une chronique dont l’auteur a fermé les commentaires.", "Celle-ci se lit en silence.")


# Approved comments per thread: 3 and 1, to see both French plural forms.
REPLIES = {"/chroniques/la-juste-mesure/": 3, "/chroniques/quelle-est-votre-promesse/": 1}


def make_comments(path):
    """An Isso database written by Isso's own code."""
    from isso import config
    from isso.db import SQLite3

    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(path))
    db = SQLite3(str(path), conf)
    for uri, count in REPLIES.items():
        db.threads.new(uri, uri)
        for number in range(count):
            db.comments.add(uri, {
                "text": f"Réponse {number + 1}.", "author": f"Lectrice {number + 1}",
                "email": "lectrice@exemple.fr", "website": None, "parent": None, "mode": 1,
                "remote_addr": "127.0.0.0", "created": time.time() - 3600 + number,
            })


@pytest.fixture(scope="module")
def variant_site(request, tmp_path_factory):
    from publish.build import build

    work = tmp_path_factory.mktemp("variant")
    make_comments(work / "comments.db")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "chroniques" / "en-chantier.md").write_text(DRAFT, encoding="utf-8")
    (content / "chroniques" / "sans-discussion.md").write_text(QUIET, encoding="utf-8")
    output = build(
        prod=False,
        output=work / "output",
        overrides={
            "PATH": str(content),
            "DEFAULT_PAGINATION": 1,
            "BAKED_COMMENTS": {"database": work / "comments.db"},
        },
    )
    with serve_directory(output) as base_url:
        yield base_url


def test_home_marks_drafts_and_paginates(open_page, variant_site):
    watched = open_page()
    page = watched.page
    page.goto(variant_site + "/")
    draft = page.locator(".card--draft")
    assert draft.count() == 1
    assert draft.locator(".badge").inner_text().lower() == "brouillon"
    assert "Une chronique en chantier" in draft.inner_text()
    watched.screenshot("variant-home-drafts")

    # One chronicle a page: follow "older" to the end, then back to the home.
    status = page.locator(".pagination__status")
    total = int(re.search(r"sur (\d+)", status.inner_text()).group(1))
    assert total >= 3
    seen = [page.locator("#dernieres ~ .cards .card__title").inner_text()]
    for number in range(2, total + 1):
        page.locator("a[rel=next]").click()
        page.wait_for_url(re.compile(rf"/page/{number}/$"))
        assert status.inner_text() == f"Page {number} sur {total}"
        seen.append(page.locator(".cards .card__title").first.inner_text())
        # Drafts are listed on the first page only.
        assert page.locator(".card--draft").count() == 0
    assert page.locator("a[rel=next]").count() == 0
    assert len(set(seen)) == total
    for _ in range(2, total + 1):
        page.locator("a[rel=prev]").click()
    page.wait_for_url(variant_site + "/")
    assert watched.errors == []
    assert watched.foreign_requests() == []


def test_draft_page_is_marked_and_has_no_discussion(open_page, variant_site):
    watched = open_page()
    page = watched.page
    page.goto(variant_site + "/")
    page.locator(".card--draft .card__title a").click()
    page.wait_for_url(re.compile(r"/brouillons/en-chantier/$"))
    assert "Brouillon" in page.locator(".chronicle .badge").text_content()
    assert page.locator("#discussion").count() == 0


def test_comments_off_removes_the_discussion(open_page, variant_site):
    watched = open_page()
    watched.page.goto(variant_site + "/chroniques/sans-discussion/")
    assert watched.page.locator("main h1").inner_text() == "Une chronique sans discussion"
    assert watched.page.locator("#discussion, #isso-thread").count() == 0
    assert not any("embed.min.js" in url or "/js/discussion" in url for url in watched.requests)
    # No feed of replies either, announced or written.
    assert watched.page.locator("link[rel=alternate][title^='Réponses']").count() == 0
    assert watched.page.request.get(variant_site + "/chroniques/sans-discussion/commentaires.atom.xml").status == 404
    # Its neighbours still have theirs.
    watched.page.goto(variant_site + "/chroniques/la-juste-mesure/")
    assert watched.page.locator("#isso-thread").count() == 1


def test_reply_counts_take_french_plurals(open_page, variant_site):
    watched = open_page()
    page = watched.page
    for path in ("/archives/", "/archives/2023/"):
        page.goto(variant_site + path)
        counts = {
            link.get_attribute("href").split("#")[0].strip("./").split("/")[-1]: link.text_content()
            for link in page.locator("a[href$='#discussion']").all()
        }
        assert counts["la-juste-mesure"].startswith("3 réponses"), counts
        assert counts["quelle-est-votre-promesse"].startswith("1 réponse "), counts
    # A chronicle whose discussion is off is listed with no count and no link to a discussion.
    for path in ("/archives/", "/archives/2023/"):
        page.goto(variant_site + path)
        assert page.locator("a[href$='sans-discussion/']").count() == 1, path
        assert page.locator("a[href*='sans-discussion/#']").count() == 0, path
    # Nor on its card, on whichever page of the home it falls (one chronicle a page here).
    page.goto(variant_site + "/")
    cards = 0
    while True:
        cards += page.locator(".card a[href$='sans-discussion/']").count()
        assert page.locator(".card a[href*='sans-discussion/#']").count() == 0, page.url
        older = page.locator("a[rel=next]")
        if older.count() == 0:
            break
        with page.expect_navigation():
            older.click()
    assert cards >= 1


def test_chronicle_metadata_lists_its_comments(open_page, variant_site):
    watched = open_page()
    page = watched.page
    page.goto(variant_site + "/chroniques/la-juste-mesure/")
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert data["@type"] == "Article" and data["headline"] == "La juste mesure"
    assert data["commentCount"] == 3
    assert [c["author"]["name"] for c in data["comment"]] == ["Lectrice 1", "Lectrice 2", "Lectrice 3"]
    # Its comment feed is announced and served.
    feed = page.evaluate("document.querySelector(\"link[rel=alternate][title^='Réponses']\").href")
    answer = page.request.get(feed)
    assert answer.ok and "Lectrice 3" in answer.text()
