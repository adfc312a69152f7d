"""The built site in real headless Chromium: a reader's journey, layouts, colour schemes, accessibility."""

import re

import pytest

NNBSP = "\u202f"
FRENCH_DATE = re.compile(
    r"\b\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}\b"
)
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def first_chronicle(page, site):
    """From the home page, follow the first chronicle's title link, as a reader would."""
    page.goto(site + "/")
    link = page.locator(".card__title a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/chroniques/[^/]+/$"))
    return title


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_reader_follows_a_chronicle(open_page, site, width, scheme):
    watched = open_page(width=width, scheme=scheme)
    page = watched.page
    page.goto(site + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().startswith("Les Chroniques de")
    assert page.evaluate(OVERFLOW) <= 0, "the home page scrolls sideways"
    assert re.search(r"\b[01] réponse\b|\b\d+ réponses\b", page.locator(".card").first.inner_text())
    watched.screenshot(f"home-{width}-{scheme}")

    title = first_chronicle(page, site)
    assert page.locator("main h1").inner_text() == title
    assert FRENCH_DATE.search(page.locator(".chronicle .byline").inner_text())
    assert page.locator(".prose p").count() > 2
    heading = page.locator("#discussion h2")
    assert heading.inner_text() == f"Rejoindre la discussion{NNBSP}?"
    assert page.evaluate(OVERFLOW) <= 0, f"the chronicle scrolls sideways at {width}px"
    # Reading width stays comfortable on wide screens (about 70 characters).
    if width >= 1280:
        assert page.locator(".prose").bounding_box()["width"] <= 760
    watched.screenshot(f"chronicle-{width}-{scheme}")

    assert watched.errors == []
    assert watched.foreign_requests() == []
    # The page runs our discussion script, which asks the comment server for the thread.
    assert any(re.search(r"/js/discussion(\.[0-9a-f]+)?\.js$", url) for url in watched.requests)
    assert any(url.startswith(watched.comments_url + "/?uri=") for url in watched.requests)
    assert not any("embed.min.js" in url for url in watched.requests)


def test_dark_mode_changes_the_colours(open_page, site):
    colours = {}
    for scheme in ("light", "dark"):
        watched = open_page(scheme=scheme)
        watched.page.goto(site + "/chroniques/la-juste-mesure/")
        colours[scheme] = watched.page.evaluate(
            """() => [document.documentElement, document.body, document.querySelector('main h1')]
                     .map(el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color])"""
        )
    assert colours["light"][0][0] != colours["dark"][0][0], "background"
    assert colours["light"][2][1] != colours["dark"][2][1], "title colour"


PAGES = [
    "/",
    "/chroniques/quelle-est-votre-promesse/",
    "/adhesion/",
    "/notre-promesse/",
    "/archives/",
    "/archives/2023/",
    "/archives/2023/03/",
    "/categories/",
    "/categories/les-chroniques-de-zohe/",
    "/mots-cles/",
    "/mots-cles/marketing/",
    "/auteurs/",
    "/auteurs/jean-nathalie/",
    "/nulle-part/ni/ailleurs/",
]


@pytest.mark.parametrize("width", [320, 1920])
def test_no_page_scrolls_sideways(open_page, site, width):
    watched = open_page(width=width)
    for path in PAGES:
        response = watched.page.goto(site + path)
        assert response.status == (404 if path.startswith("/nulle-part") else 200), path
        # Every page has its stylesheet (the 404 page too, at any depth).
        assert watched.page.evaluate("document.styleSheets.length") >= 1, path
        assert watched.page.evaluate(
            "getComputedStyle(document.querySelector('.skip-link')).position"
        ) == "absolute", path
        assert watched.page.evaluate(OVERFLOW) <= 0, f"{path} at {width}px"
        watched.screenshot(f"page-{width}-{path.strip('/') or 'accueil'}")
    assert watched.foreign_requests() == []


AXE_PAGES = {
    "home": "/",
    "chronicle": "/chroniques/la-juste-mesure/",
    "offer": "/adhesion/",
    "404": "/cette-page-n-existe-pas/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_accessibility(open_page, site, axe_script, name, scheme):
    watched = open_page(scheme=scheme)
    page = watched.page
    response = page.goto(site + AXE_PAGES[name])
    assert response.status == (404 if name == "404" else 200)
    page.add_script_tag(path=axe_script)
    results = page.evaluate("() => axe.run()")
    assert results["passes"], "axe checked nothing"
    grave = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert grave == []
    watched.screenshot(f"axe-{name}-{scheme}")
    if name == "404":
        # The 404 page's own status is the one expected error.
        watched.errors = [e for e in watched.errors if "404" not in e]
    assert watched.errors == []
    assert watched.foreign_requests() == []
