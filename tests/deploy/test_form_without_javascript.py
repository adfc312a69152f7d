"""The discussion form with JavaScript off, in Chromium, as readers get it: the production build behind the shipped nginx configuration, the real comment server under /isso/, its moderation e-mail to a real SMTP sink.

The comment server's database holds one approved comment before the build, so the
chronicle is published with it baked in, as after a moderator's approval.
"""

import json
from pathlib import Path
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

import comment_form
import comment_rules
from comments import moderation
from comments.discussions import CLOSED
import open_discussions
from support import ROOT, post_seed, thread_comments, serve_directory

CHRONICLE = "/chroniques/la-juste-mesure/"
BAKED_TEXT = "Un avis déjà publié sur la page."
ADMIN_PASSWORD = "form-test-admin-password"


class Production:
    def __init__(self, base, dbpath, sink, release):
        self.base, self.dbpath, self.sink, self.release = base, dbpath, sink, release

    def comments(self):
        """(id, mode, parent, author, email, text) of the chronicle's comments, oldest first."""
        return thread_comments(self.dbpath, CHRONICLE, "comments.id, mode, parent, author, email, text")


def approved_comment(server, site, conf):
    """One approved comment, for the build to bake."""
    seeded = post_seed(server, site, CHRONICLE, {"text": BAKED_TEXT, "author": "Pauline",
                                                  "email": "pauline@example.org", "title": "La juste mesure"})
    assert moderation.approve(conf, seeded) is True


@pytest.fixture(scope="module")
def production(tmp_path_factory, start_production, moderation_mail):
    """nginx with the shipped conf in front of the production build and the comment server, one origin."""
    isso = {"general": {"notify": "smtp"},
            "smtp": {"host": "127.0.0.1", "port": moderation_mail[0], "security": "none", "to": "moderation@zohe.test"}}
    env = {"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD}
    root = tmp_path_factory.mktemp("form-production")
    with start_production(root, isso, env, approved_comment) as (base, dbpath, *_):
        yield Production(base, dbpath, moderation_mail[1], root / "www" / "current")


@pytest.fixture
def page(browser):
    """A French reader whose browser runs no script at all."""
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(15_000)
    statuses = []
    context.on("response", lambda response: statuses.append((response.status, response.url)))
    page = context.new_page()
    yield page
    assert [s for s in statuses if s[0] >= 500] == []
    context.close()


def fill(page, text, author="Camille Martin", email="camille@example.org"):
    page.get_by_label("Votre réponse").fill(text)
    page.get_by_label("Nom").fill(author)
    page.get_by_label("E-mail").fill(email)


def test_a_reader_without_javascript_posts_and_is_told_it_awaits_moderation(production, page):
    page.goto(production.base + CHRONICLE)
    notice = page.locator("#" + comment_form.PENDING)
    expect(notice).to_be_hidden()
    fill(page, "Écrit sans JavaScript\u202f: le formulaire marche quand même.")
    page.get_by_role("button", name="Envoyer").click()

    page.wait_for_url(production.base + CHRONICLE + "#" + comment_form.PENDING)
    expect(notice).to_be_visible()
    expect(notice).to_have_text(comment_form.NOTICES[comment_form.PENDING])
    comment_id, mode, parent, author, email, text = production.comments()[-1]
    assert (mode, parent, author, email) == (2, None, "Camille Martin", "camille@example.org")
    assert text == "Écrit sans JavaScript\u202f: le formulaire marche quand même."
    # The sink is the session's: another database's comment may have had this id.
    _, message = production.sink.wait_for(
        lambda to, msg: f"/id/{comment_id}/" in msg.get_content() and "Camille Martin" in msg.get_content())
    assert "le formulaire marche quand même" in message.get_content()
    # Not published: the page the reader comes back to does not show it.
    expect(page.locator("#isso-root")).not_to_contain_text("le formulaire marche")


def test_a_reader_without_javascript_replies_to_a_baked_comment(production, page):
    page.goto(production.base + CHRONICLE)
    baked = page.locator(".isso-comment", has_text=BAKED_TEXT)
    baked.get_by_role("link", name="Répondre").click()

    assert urlsplit(page.url).path == "/isso" + comment_form.REPLY_PATH
    expect(page.locator("h1")).to_have_text("Répondre à Pauline")
    expect(page.locator("blockquote")).to_contain_text(BAKED_TEXT)
    fill(page, "Une réponse à Pauline, sans script.", author="Jean")
    page.get_by_role("button", name="Envoyer").click()

    page.wait_for_url(production.base + CHRONICLE + "#" + comment_form.PENDING)
    expect(page.locator("#" + comment_form.PENDING)).to_be_visible()
    parent_id = next(row[0] for row in production.comments() if row[5] == BAKED_TEXT)
    _, mode, parent, author, _, text = production.comments()[-1]
    assert (mode, parent, author, text) == (2, parent_id, "Jean", "Une réponse à Pauline, sans script.")


def test_a_refusal_says_what_to_fix_next_to_the_field_and_keeps_the_text(production, page):
    text = "Un texte que je ne veux pas retaper\u202f!"
    page.goto(production.base + CHRONICLE)
    fill(page, text, email="camille@exemple")  # accepted by the browser's type="email", refused by the server
    page.get_by_role("button", name="Envoyer").click()

    email = page.get_by_label("E-mail")
    expect(page.locator("h1")).to_have_text("Votre réponse n’est pas encore envoyée")
    expect(page.locator("#discussion-email-erreur")).to_have_text(comment_rules.MESSAGES["email_invalid"])
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_value("camille@exemple")
    expect(page.get_by_label("Votre réponse")).to_have_value(text)
    expect(page.locator("#discussion-erreurs")).to_contain_text("E-mail\u00a0: Cette adresse e-mail n’est pas valide")
    assert not any(row[5] == text for row in production.comments())

    # Corrected on the refusal page itself (under the comment server's policy), it is sent.
    email.fill("camille@exemple.fr")
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(production.base + CHRONICLE + "#" + comment_form.PENDING)
    assert production.comments()[-1][4:] == ("camille@exemple.fr", text)


def test_a_form_on_another_site_cannot_post_a_comment(production, page, tmp_path):
    """A foreign page's form, posting to our comment server from the reader's browser: refused, in French."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>Ailleurs</title>'
        f'<form method="post" action="{production.base}/isso{comment_form.POST_PATH}">'
        f'<input type="hidden" name="uri" value="{CHRONICLE}"><input type="hidden" name="title" value="T">'
        '<input type="hidden" name="author" value="Robot"><input type="hidden" name="email" value="robot@example.org">'
        '<input type="hidden" name="text" value="Publicité postée depuis un autre site.">'
        "<button>Gagner</button></form>", encoding="utf-8")
    before = production.comments()
    with serve_directory(tmp_path) as elsewhere:
        page.goto(elsewhere + "/")
        page.get_by_role("button", name="Gagner").click()
        expect(page.locator("main")).to_contain_text("ce formulaire ne vient pas du site Zôhé")
    assert production.comments() == before


def test_a_page_read_before_its_discussion_closed_tells_the_reader_and_keeps_the_text(production, page):
    """The form of a page loaded before a publication closed its discussion: refused in French, nothing stored."""
    listed = production.release / open_discussions.FILE
    before = listed.read_bytes()
    assert CHRONICLE in json.loads(before)["open"]
    # Not for readers: nginx serves no dotfile of the release.
    with pytest.raises(urllib.error.HTTPError) as hidden:
        urllib.request.urlopen(production.base + "/" + open_discussions.FILE, timeout=10)
    assert hidden.value.code == 404
    text = "Écrit sur une page ouverte avant la clôture."
    page.goto(production.base + CHRONICLE)
    fill(page, text)
    # What the next build writes when the chronicle says "Comments: closed".
    open_discussions.write(production.release, {})
    try:
        page.get_by_role("button", name="Envoyer").click()
        expect(page.locator("#discussion-erreurs")).to_contain_text(CLOSED)
        expect(page.get_by_label("Votre réponse")).to_have_value(text)
    finally:
        listed.write_bytes(before)
    assert not any(row[5] == text for row in production.comments())


def test_a_body_too_large_for_nginx_is_refused_in_french(production):
    """nginx stops a body over 256 KiB before the comment server: its answer is French too."""
    from comments.form_post import MESSAGES

    request = urllib.request.Request(
        f"{production.base}/isso{comment_form.POST_PATH}", data=b"text=" + b"a" * 300_000, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": production.base})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413
    body = refused.value.read().decode("utf-8")
    assert '<html lang="fr">' in body and MESSAGES["too_large"] in body


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_and_its_pages_are_accessible(production, browser, scheme):
    """axe-core on the form in each state: empty on the chronicle, a reply, a refusal (axe needs scripts: CSP bypassed for it)."""
    axe = next(Path(ROOT / ".venv").glob("lib/python*/site-packages/axe_playwright_python/axe.min.js"))
    context = browser.new_context(locale="fr-FR", color_scheme=scheme, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()

    def violations(selector):
        page.add_script_tag(path=str(axe))
        results = page.evaluate("(selector) => axe.run(selector)", selector)
        return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]

    try:
        page.goto(production.base + CHRONICLE)
        assert violations("#discussion-formulaire") == []

        page.locator(".isso-comment", has_text=BAKED_TEXT).first.wait_for()
        parent_id = next(row[0] for row in production.comments() if row[5] == BAKED_TEXT)
        page.goto(f"{production.base}/isso{comment_form.REPLY_PATH}?uri={CHRONICLE}&parent={parent_id}")
        assert violations("html") == []

        fill(page, "Un texte gardé.", email="camille@exemple")
        page.get_by_role("button", name="Envoyer").click()
        expect(page.locator("#discussion-email-erreur")).not_to_be_empty()
        assert violations("html") == []
    finally:
        context.close()
