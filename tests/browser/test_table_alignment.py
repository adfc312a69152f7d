"""A right-aligned table column shows right-aligned in Chromium under the site's Content-Security-Policy."""

import re
import shutil

import pytest

from support import ROOT, build, chronicle_text, serve_directory

CHRONICLE = chronicle_text("""| Offre | Prix |
| :---- | ---: |
| Une | 10 € |
| Deux | 120 € |
""", title="Un tableau aligné", slug="un-tableau-aligne")


def site_csp():
    """The Content-Security-Policy nginx sends with every page (deploy/nginx/zohe-site.conf)."""
    conf = (ROOT / "deploy" / "nginx" / "zohe-site.conf").read_text(encoding="utf-8")
    return re.search(r'^set \$zohe_csp "([^"]+)";', conf, re.MULTILINE).group(1)


@pytest.fixture(scope="module")
def site_with_table(tmp_path_factory):
    base = tmp_path_factory.mktemp("table")
    shutil.copytree(ROOT / "content", base / "content")
    (base / "content" / "chroniques" / "tableau.md").write_text(CHRONICLE, encoding="utf-8")
    output = build(output=base / "output", overrides={"PATH": str(base / "content")})
    with serve_directory(output) as url:
        yield url


def test_a_right_aligned_column_is_right_aligned_under_the_csp(open_page, site_with_table):
    watched = open_page(width=1280)
    page = watched.page
    csp = site_csp()
    assert "style-src 'self'" in csp  # what blocks an inline style attribute

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": csp})

    page.route(site_with_table + "/**", with_csp)
    page.goto(site_with_table + "/chroniques/un-tableau-aligne/")
    cells = page.locator(".prose table tbody tr").first.locator("td")
    assert cells.nth(1).evaluate("cell => getComputedStyle(cell).textAlign") == "right"
    assert cells.nth(0).evaluate("cell => getComputedStyle(cell).textAlign") == "left"
    # Nothing the policy refused (Chromium reports each refusal as a console error).
    assert watched.errors == []
    assert watched.foreign_requests() == []
