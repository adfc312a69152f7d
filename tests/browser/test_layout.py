"""Keyboard use, landmarks and print: what a reader relies on beyond the looks."""

from .conftest import SCREENSHOTS

CHRONICLE = "/chroniques/la-juste-mesure/"


def test_skip_link_is_first_and_visible_on_focus(open_page, site):
    watched = open_page()
    page = watched.page
    page.goto(site + CHRONICLE)
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0, "the skip link hides until focused"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_landmarks_and_navigation(open_page, site):
    watched = open_page()
    page = watched.page
    page.goto(site + CHRONICLE)
    for selector in ("body > header", "body > main", "body > footer", "header nav", "footer nav"):
        assert page.locator(selector).count() == 1, selector
    nav = page.locator("header nav").inner_text()
    for label in ("Chroniques", "Notre promesse", "À propos"):
        assert label in nav
    footer = page.locator("body > footer").inner_text()
    for label in ("Mentions légales", "Politique de confidentialité", "Flux Atom", "Flux RSS"):
        assert label in footer
    # The feeds are announced in the head and served.
    feeds = page.locator("link[rel=alternate]")
    assert feeds.count() >= 2
    for href in feeds.evaluate_all("links => links.map(l => l.href)"):
        assert page.request.get(href).ok, href


def test_print_keeps_the_text_only(open_page, site):
    watched = open_page()
    page = watched.page
    page.goto(site + CHRONICLE)
    page.emulate_media(media="print")
    hidden = ".site-header, .site-footer, .discussion, .neighbours"
    assert page.locator(hidden).evaluate_all(
        "els => els.every(el => getComputedStyle(el).display === 'none')"
    )
    assert page.locator("main h1").is_visible()
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "print-chronicle.pdf"))
