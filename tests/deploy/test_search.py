"""Site search in Chromium: the published search page, with its real Pagefind index, served by nginx under its Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import ROOT

AXE = next(Path(ROOT / ".venv").glob("lib/python*/site-packages/axe_playwright_python/axe.min.js")).read_text(encoding="utf-8")
# Recorded from the first script of the page on: every violation of the page's policy.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
FIELD = "#recherche input[type=search]"


@pytest.fixture
def reader(browser, nginx):
    """reader(**context options) -> a page whose policy violations, script errors and requests elsewhere than
    the site fail the test."""
    contexts, pages, problems = [], [], []

    def open_(**options):
        context = browser.new_context(locale="fr-FR", **options)
        context.set_default_timeout(15_000)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: not request.url.startswith(nginx) and problems.append(request.url))
        contexts.append(context)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        if page.context.pages and page.evaluate("() => typeof window.__csp") == "object":
            problems.extend(page.evaluate("() => window.__csp"))
    for context in contexts:
        context.close()
    assert problems == []


def search(page, base, words):
    """Open the search page, type `words`; return the results (each drawn once scrolled into view)."""
    page.goto(base + "/recherche/")
    page.locator(FIELD).fill(words)
    results = page.locator(".pf-result")
    # The summary names the words once Pagefind has drawn their results (not those of a word typed so far).
    summary = page.locator(".pf-summary")
    expect(summary).to_contain_text(re.compile(r"^\d+ résultats? pour " + re.escape(words) + "$"))
    expect(results).to_have_count(int(summary.inner_text().split()[0]))
    return results


def found(results):
    """{address: (title, excerpt)} of the results, each scrolled into view: Pagefind draws a placeholder
    for a result, and loads its title and excerpt when the reader reaches it."""
    shown = {}
    for index in range(results.count()):
        # Pagefind replaces the placeholder's element when the result comes: scrolled by a script,
        # then read through locators, which find the new one.
        results.nth(index).evaluate("result => result.scrollIntoView()")
        link = results.nth(index).locator(".pf-result-link")
        expect(link).to_be_visible()
        shown[link.get_attribute("href")] = (link.inner_text(), results.nth(index).locator(".pf-result-excerpt").inner_text())
    return shown


@pytest.mark.parametrize("word", ["marketing", "mesure"])
def test_a_word_of_la_juste_mesure_finds_it(nginx, reader, word):
    page = reader()
    results = search(page, nginx, word)
    expect(page).to_have_title(re.compile("^Rechercher — "))
    assert "/chroniques/la-juste-mesure/" in found(results)
    page.locator(".pf-result-link", has_text="La juste mesure").click()
    expect(page.locator("h1")).to_have_text("La juste mesure")


def test_a_plural_finds_the_singular(nginx, reader):
    """Pages carry lang="fr" and the index is French: Pagefind stems the words (Snowball's French)."""
    results = found(search(reader(), nginx, "promesses"))
    assert {"/chroniques/quelle-est-votre-promesse/", "/notre-promesse/"} <= set(results)


def test_a_word_typed_without_its_accents_finds_it(nginx, reader):
    """Pagefind 1.5 indexes each word under its form without diacritics: "ete" finds "été"."""
    page = reader()
    results = search(page, nginx, "ete")
    assert "/chroniques/quelle-est-votre-promesse/" in found(results)
    marked = page.locator(".pf-result", has=page.locator('a[href="/chroniques/quelle-est-votre-promesse/"]')).locator("mark")
    assert "été" in marked.all_inner_texts()


@pytest.mark.parametrize("words", ["promesse", "mesure", "offre"])
def test_an_excerpt_is_the_text_of_the_document_not_its_header(nginx, reader, words):
    """Only the document's text is indexed (data-pagefind-body): not a chronicle's category, title and
    byline, nor an offer's summary box, which every excerpt near the top began with
    ("Zôhé. Quelle est votre promesse ? Publiée le 7 février 2023 par…")."""
    results = found(search(reader(), nginx, words))
    assert results
    for address, (title, excerpt) in results.items():
        # Pagefind's excerpts keep no no-break space.
        assert not excerpt.startswith(re.sub(r"[\u00a0\u202f]", " ", title)), (address, excerpt)
        assert not excerpt.startswith(("Zôhé.", "Les Chroniques de Zôhé")), (address, excerpt)
        for furniture in ("Publiée le", "L’offre en bref", "Ce qui est compris"):
            assert furniture not in excerpt, (address, excerpt)


def test_a_word_of_a_title_alone_finds_its_page(nginx, reader):
    """Pagefind 1.5 searches a page's title (its first <h1>) though the title is not in the indexed
    text: the text of "Politique de confidentialité" never says "confidentialité"."""
    assert "/politique-de-confidentialite/" in found(search(reader(), nginx, "confidentialité"))


def test_the_results_wear_the_sites_fonts_and_accent(nginx, reader):
    page = reader(color_scheme="dark")
    found(search(page, nginx, "promesse"))
    # A link of the page's own text, for the accent.
    page.evaluate("() => { const a = document.createElement('a'); a.href = '#'; document.querySelector('.page-header').append(a); }")
    style = page.evaluate("""() => {
        const css = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
        return {
            title: css(".pf-result-title", "fontFamily"), heading: css("h1", "fontFamily"),
            input: css("#recherche input", "fontFamily"), nav: css(".site-nav a", "fontFamily"),
            mark: css(".pf-result-excerpt mark", "color"), markBackground: css(".pf-result-excerpt mark", "backgroundColor"),
            link: css(".page-header a", "color"), card: css(".pf-result-card", "backgroundColor"),
            surface: css(".site-header", "backgroundColor"),
        };
    }""")
    assert style["title"] == style["heading"] and style["input"] == style["nav"]
    assert style["mark"] == style["link"] and style["markBackground"] == "rgba(0, 0, 0, 0)"
    assert style["card"] == style["surface"]


def test_the_field_has_a_visible_label(nginx, reader):
    page = reader()
    page.goto(nginx + "/recherche/")
    label = page.locator("#recherche label")
    expect(label).to_be_visible()
    expect(label).to_have_text("Chercher dans les chroniques et les pages")
    assert label.bounding_box()["width"] > 100
    expect(page.get_by_role("searchbox", name="Chercher dans les chroniques et les pages")).to_be_visible()


def test_the_navigation_says_the_search_page_is_the_current_one(nginx, reader):
    page = reader()
    page.goto(nginx + "/recherche/")
    expect(page.locator(".site-nav [aria-current=page]")).to_have_text("Recherche")


def test_without_javascript_the_page_says_where_to_look(nginx, reader):
    """Playwright's text and role matching skip <noscript>: its text and links are read as the browser lays them out."""
    page = reader(java_script_enabled=False)
    page.goto(nginx + "/recherche/")
    said = page.locator("#recherche").inner_text()
    assert said.startswith("La recherche a besoin de JavaScript, qui est désactivé dans votre navigateur."), said
    links = page.locator("#recherche a")
    assert dict(zip(links.all_inner_texts(), links.evaluate_all("links => links.map(a => new URL(a.href).pathname)"))) == {
        "archives": "/archives/", "mots-clés": "/mots-cles/", "catégories": "/categories/"}
    assert all(link.is_visible() for link in links.all())
    links.first.click()
    expect(page).to_have_url(nginx + "/archives/")


def as_without_javascript(route):
    """The search page as a browser without JavaScript lays it out: the <noscript> content in place, no script.

    With scripting disabled no timer fires, and axe cannot run; so the page is served with
    its real headers (its policy) and these two changes to a browser that runs axe.
    """
    response = route.fetch()
    page = re.sub(r"</?noscript>", "", response.text())
    route.fulfill(response=response, body=re.sub(r"<script\b[^>]*>\s*</script>", "", page))


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_search_page(nginx, reader, scheme, javascript):
    """axe-core, every impact, with results shown (or the words for a reader without JavaScript).

    axe is evaluated by the browser's debugging protocol, which the page's policy does not
    govern: the page keeps its real Content-Security-Policy.
    """
    page = reader(color_scheme=scheme)
    if javascript:
        found(search(page, nginx, "promesse"))
    else:
        page.route(nginx + "/recherche/", as_without_javascript)
        page.goto(nginx + "/recherche/")
        assert page.locator("#recherche a").count() == 3
        assert page.evaluate("() => document.scripts.length") == 0
    page.evaluate(AXE)
    results = page.evaluate("() => axe.run()")
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results["violations"]] == []
    assert results["passes"]
