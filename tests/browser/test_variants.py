"""What the real content does not show yet: drafts in the preview, pagination, a chronicle without
discussion; built from a copy of the content with one draft and one more chronicle added."""

import re
import shutil

import pytest

from .conftest import ROOT, _root_conftest

DRAFT = """Title: Une chronique en chantier
Date: 2023-04-02 09:00
Author: Jean & Nathalie
Category: Les Chroniques de Zôhé
Slug: en-chantier
Status: draft
Summary: Un brouillon que seul l’aperçu montre.

Pas encore prête.
"""

QUIET = """Title: Une chronique sans discussion
Date: 2023-01-10 09:00
Author: Jean & Nathalie
Category: Les Chroniques de Zôhé
Slug: sans-discussion
Comments: off
Summary: Une chronique dont l’auteur a fermé les commentaires.

Celle-ci se lit en silence.
"""


@pytest.fixture(scope="module")
def variant_site(request, tmp_path_factory):
    from publish.build import build

    work = tmp_path_factory.mktemp("variant")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "chroniques" / "en-chantier.md").write_text(DRAFT, encoding="utf-8")
    (content / "chroniques" / "sans-discussion.md").write_text(QUIET, encoding="utf-8")
    output = build(
        prod=False,
        output=work / "output",
        overrides={"PATH": str(content), "DEFAULT_PAGINATION": 1},
    )
    with _root_conftest(request.config).serve_directory(output) as base_url:
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
    assert not any("embed.min.js" in url for url in watched.requests)
    # Its neighbours still have theirs.
    watched.page.goto(variant_site + "/chroniques/la-juste-mesure/")
    assert watched.page.locator("#isso-thread").count() == 1
