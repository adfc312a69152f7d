"""`invoke serve` as an author uses it: the open chronicle reloads with the edit, and commenting works."""

import time

import pytest
from playwright.sync_api import expect

import support


@pytest.fixture
def live_preview(tmp_path):
    """The real preview (`publish.serve.serve`) of a copy of the content, with its comment server."""
    with support.live_preview(tmp_path) as preview:
        yield preview


def test_an_edited_chronicle_reloads_in_the_open_browser(browser, live_preview):
    page = browser.new_page()
    # Frames are collected from the socket's creation: livereload.js may say where it is before
    # page.goto returns, too early for a wait started afterwards.
    sent = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append(str(payload))))
    try:
        page.goto(live_preview["url"] + "/chroniques/la-juste-mesure/")
        # livereload counts a browser once it has said where it is.
        for _ in range(200):  # at most 10 s
            if any('"info"' in frame for frame in sent):
                break
            page.wait_for_timeout(50)
        assert any('"info"' in frame for frame in sent), sent
        source = live_preview["content"] / "chroniques" / "la-juste-mesure.md"
        source.write_text(
            source.read_text(encoding="utf-8") + "\nUne retouche visible dans l'aperçu !\n", encoding="utf-8"
        )
        expect(page.get_by_text("Une retouche visible dans l’aperçu")).to_be_visible(timeout=15_000)
        # Then the full build, which reloads the page once more, with the edit still there.
        live_preview["wait_for"]("Site reconstruit.")
        expect(page.get_by_text("Une retouche visible dans l’aperçu")).to_be_visible(timeout=15_000)
    finally:
        page.close()


@pytest.fixture
def chronicle(browser, live_preview):
    """A page with scripts, open on a chronicle of the preview."""
    page = browser.new_page()
    page.goto(live_preview["url"] + "/chroniques/la-juste-mesure/")
    yield page
    page.close()


def test_the_preview_comment_form_talks_to_its_own_comment_server(chronicle, live_preview):
    # The form posts to the preview's comment server on its port, and the script reads the thread there.
    with chronicle.expect_response(lambda r: r.url.startswith(live_preview["comments"] + "/?uri="), timeout=15_000) as thread:
        chronicle.reload()
    assert thread.value.status in (200, 404)
    form = chronicle.locator("#discussion-formulaire")
    expect(form).to_be_visible()
    assert form.get_attribute("action") == live_preview["comments"] + "/formulaire"


def test_a_reader_without_javascript_gets_a_form_token_in_the_preview_too(browser, live_preview, tmp_path):
    """The preview has no nginx: its own server includes the token (publish.preview_token), and the post carries it."""
    import sqlite3

    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_preview["url"] + "/chroniques/la-juste-mesure/")
        assert page.locator("input[name=jeton]").count() == 1 and "<!--#" not in page.content()
        form = page.locator("#discussion-formulaire")
        form.get_by_label("Votre réponse").fill("Écrit dans l’aperçu, sans script.")
        form.get_by_label("Nom").fill("Camille")
        form.get_by_label("E-mail").fill("camille@example.org")
        time.sleep(1.5)  # a reader's time, longer than the fixture's ZOHE_FORM_MIN_SECONDS
        form.get_by_role("button", name="Envoyer").click()
        page.wait_for_url("**#reponse-en-attente")
        with sqlite3.connect(tmp_path / "comments.db") as db:
            assert db.execute("SELECT token FROM zohe_evidence JOIN comments ON comments.id = zohe_evidence.comment "
                              "WHERE comments.text = ?", ("Écrit dans l’aperçu, sans script.",)).fetchone() == ("ok",)
    finally:
        context.close()


def test_a_reader_with_javascript_solves_the_proof_against_the_preview_comment_server(chronicle):
    """proof.js reads its challenge from the comment server on its own port: allowed across origins for the preview's site only."""
    form = chronicle.locator("#discussion-formulaire")
    form.get_by_label("Votre réponse").focus()
    expect(form.locator("input[name=altcha]")).not_to_have_value("", timeout=20_000)


def test_stopping_the_preview_mid_build_leaves_its_cache_whole(live_preview):
    import pickle

    source = live_preview["content"] / "chroniques" / "la-juste-mesure.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nUne dernière retouche.\n", encoding="utf-8")
    live_preview["wait_for"]("reconstruction du reste")
    process = live_preview["process"]
    process.terminate()  # while the full build runs
    assert process.wait(timeout=60) == 0
    caches = sorted(live_preview["cache"].glob("content-*/*Generator-Readers"))
    assert caches
    for cache in caches:
        with open(cache, "rb") as handle:  # GZIP_CACHE is off
            assert pickle.load(handle)
