"""Site search in Chromium: the published search page, served by nginx under its Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("word", ["marketing", "mesure"])
def test_a_word_of_la_juste_mesure_finds_it(nginx, page, word):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(nginx + "/recherche/")
    expect(page).to_have_title(re.compile("^Rechercher — "))
    field = page.locator(".pagefind-ui__search-input")
    # Pagefind's UI picks its French strings from the page's lang="fr".
    expect(field).to_have_attribute("placeholder", "Rechercher")
    field.fill(word)
    result = page.locator(".pagefind-ui__result-link", has_text="La juste mesure")
    expect(result).to_be_visible()
    assert result.get_attribute("href") == "/chroniques/la-juste-mesure/"
    expect(page.locator(".pagefind-ui__message")).to_contain_text(re.compile(r"résultats? pour"))
    # Everything came from the site itself, and the Content-Security-Policy blocked nothing.
    assert all(url.startswith(nginx) for url in requests), requests
    assert problems == []
    result.click()
    expect(page.locator("h1")).to_have_text("La juste mesure")
