"""Deterministic budgets of the built site: one round trip for what blocks rendering, 50 KB in all, 10 KB of scripts, no third party."""

import pytest

from support import PROD_SITEURL
from bench.weight import CRITICAL_BUDGET, SCRIPTS_BUDGET, TOTAL_BUDGET, foreign_requests, page_weight

COMMENTS_URL = PROD_SITEURL + "/isso"
PAGES = [
    "index.html",
    "chroniques/la-juste-mesure/index.html",
    "chroniques/quelle-est-votre-promesse/index.html",
    "notre-promesse/index.html",
    "adhesion/index.html",
    "archives/index.html",
    "404.html",
    # Pagefind's Component UI and its stylesheet included (the index it fetches on typing is not).
    "recherche/index.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_fits_the_budgets(prod_site, page):
    weight = page_weight(prod_site, page, siteurl=PROD_SITEURL, exclude=(COMMENTS_URL,))
    assert any(f.endswith(".css") for f in weight.files), weight.files
    assert weight.critical["brotli"] <= CRITICAL_BUDGET, weight
    assert weight.total["brotli"] <= TOTAL_BUDGET, weight


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("chroniques/")])
def test_a_chronicles_scripts_weigh_at_most_10_kb_brotli(prod_site, page):
    """Every script of a chronicle, the discussion script included, the comment server's too if any were loaded."""
    weight = page_weight(prod_site, page, siteurl=PROD_SITEURL)
    assert weight.foreign_scripts == []  # none the site cannot weigh (Isso's embed was one)
    assert any("/js/discussion" in f for f in weight.files), weight.files
    assert 0 < weight.scripts["brotli"] <= SCRIPTS_BUDGET, weight.scripts


def test_no_request_leaves_the_site_or_the_comment_server(prod_site):
    assert list(foreign_requests(prod_site, [PROD_SITEURL, COMMENTS_URL])) == []
