"""The evidence a new comment carries (honeypot, form token, proof of work), gathered from real readers in Chromium through nginx with the shipped configuration and kept with each comment in zohe_evidence.

The token reaches the page through nginx's include (comments/form_token.py), the proof
through theme/static/js/proof.js; what the comment server found is read from the table
where it keeps it, under the comment's number, after the form's POST /formulaire went
inside as POST /new: the evidence reached the layers where the spam policy decides.
"""

import base64
import json
import sqlite3
import time
import urllib.request

import pytest
from playwright.sync_api import expect

import comment_form
from comments.form_post import MESSAGES
from comments.form_token import MAX_AGE, FormTokens

CHRONICLE = "/chroniques/la-juste-mesure/"
SECRET = "evidence-test-secret-0123456789abcdef"
MIN_SECONDS = 1.0
ENV = {"ISSO_ADMIN_PASSWORD": "evidence-test-admin-password", "ZOHE_FORM_SECRET": SECRET,
       "ZOHE_FORM_MIN_SECONDS": str(MIN_SECONDS)}


class Production:
    def __init__(self, base, dbpath):
        self.base, self.dbpath = base, dbpath

    def evidence_of(self, text):
        """(honeypot, token, proof) kept for the comment whose text is ``text``."""
        with sqlite3.connect(self.dbpath) as db:
            rows = db.execute("SELECT honeypot, token, proof FROM zohe_evidence JOIN comments "
                              "ON comments.id = zohe_evidence.comment WHERE comments.text = ?", (text,)).fetchall()
        assert len(rows) == 1, rows
        return rows[0]


@pytest.fixture(scope="module")
def production(tmp_path_factory, start_production):
    with start_production(tmp_path_factory.mktemp("evidence"), env=ENV) as (base, dbpath, *_):
        yield Production(base, dbpath)


def reader(browser, scripts):
    context = browser.new_context(locale="fr-FR", java_script_enabled=scripts)
    context.set_default_timeout(20_000)
    return context, context.new_page()


def write(page, text):
    """Fill our form (Isso's, shown when scripts run, has fields of the same names)."""
    form = page.locator("#" + comment_form.FORM_ID)
    form.get_by_label("Votre réponse").fill(text)
    form.get_by_label("Nom").fill("Camille Martin")
    form.get_by_label("E-mail").fill("camille@example.org")


def send_after_reading(page):
    """Wait as a reader does (longer than the server's "too fast" for these tests), then send."""
    time.sleep(MIN_SECONDS + 0.5)
    page.locator("#" + comment_form.FORM_ID).get_by_role("button", name="Envoyer").click()
    page.wait_for_url("**#" + comment_form.PENDING)


def test_a_reader_without_javascript_carries_an_empty_honeypot_and_a_sound_token(production, browser):
    context, page = reader(browser, scripts=False)
    try:
        page.goto(production.base + CHRONICLE)
        # nginx replaced the include with a token of this chronicle; the page is no shared cache's.
        token = page.locator(f'input[name="{comment_form.TOKEN}"]')
        assert FormTokens(SECRET.encode(), None).read(token.get_attribute("value"), CHRONICLE) is not None
        assert "<!--#" not in page.content()
        write(page, "Un lecteur sans script, qui prend son temps.")
        send_after_reading(page)
        assert production.evidence_of("Un lecteur sans script, qui prend son temps.") == ("empty", "ok", "missing")
    finally:
        context.close()


def test_a_page_posted_twice_carries_a_replayed_token(production, browser):
    """The same page's token, sent a second time (a bot replaying one page): "replayed"."""
    context, page = reader(browser, scripts=False)
    try:
        with urllib.request.urlopen(production.base + CHRONICLE, timeout=10) as answer:
            assert answer.headers["Cache-Control"] == "private, no-cache"
            html = answer.read().decode("utf-8")
        # The browser gets that one page both times, as from a copy kept by a robot.
        page.route(production.base + CHRONICLE, lambda route: route.fulfill(body=html, content_type="text/html"))
        for text in ("Premier envoi de cette page.", "Second envoi de la même page."):
            page.goto(production.base + CHRONICLE)
            write(page, text)
            send_after_reading(page)
        assert production.evidence_of("Premier envoi de cette page.")[1] == "ok"
        assert production.evidence_of("Second envoi de la même page.")[1] == "replayed"
    finally:
        context.close()


def test_a_page_left_open_for_hours_keeps_the_text_and_sends_it_again(production, browser):
    """A token older than MAX_AGE: the French message, the text kept, a fresh token that goes through."""
    context, page = reader(browser, scripts=False)
    old = FormTokens(SECRET.encode(), None).issue(CHRONICLE, time.time() - MAX_AGE - 60)
    try:
        with urllib.request.urlopen(production.base + CHRONICLE, timeout=10) as answer:
            html = answer.read().decode("utf-8")
        start = html.index(f'name="{comment_form.TOKEN}" value="') + len(f'name="{comment_form.TOKEN}" value="')
        html = html[:start] + old + html[html.index('"', start):]
        page.route(production.base + CHRONICLE, lambda route: route.fulfill(body=html, content_type="text/html"))
        page.goto(production.base + CHRONICLE)
        text = "Écrit pendant des heures\u202f: surtout ne pas le perdre."
        write(page, text)
        page.get_by_role("button", name="Envoyer").click()

        expect(page.locator("#" + comment_form.SUMMARY_ID)).to_contain_text(MESSAGES["old_token"])
        expect(page.get_by_label("Votre réponse")).to_have_value(text)
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_url("**#" + comment_form.PENDING)
        assert production.evidence_of(text) == ("empty", "ok", "missing")
    finally:
        context.close()


def send_with_script(page):
    """Wait for the proof, then as a reader does, then send: the discussion script posts inline."""
    expect(page.locator(f'input[name="{comment_form.PROOF}"]')).not_to_have_value("")
    time.sleep(MIN_SECONDS + 0.5)
    page.locator("#" + comment_form.FORM_ID).get_by_role("button", name="Envoyer").click()


def test_a_reader_with_javascript_sends_a_solved_proof_each_time(production, browser):
    """A refusal, the corrected send, then a second comment from the same page: a sound token and a proof each time."""
    context, page = reader(browser, scripts=True)
    first, second = "Avec JavaScript, la preuve se calcule pendant que j’écris.", "Et une seconde réponse, de la même page."
    try:
        page.goto(production.base + CHRONICLE)
        form = page.locator("#" + comment_form.FORM_ID)
        form.get_by_label("Votre réponse").focus()
        write(page, first)
        form.get_by_label("E-mail").fill("camille@exemple")  # the server refuses it
        send_with_script(page)
        expect(page.locator("#discussion-email-erreur")).not_to_be_empty()
        form.get_by_label("E-mail").fill("camille@example.org")
        send_with_script(page)
        expect(page.locator("#" + comment_form.PENDING)).to_be_visible()
        expect(form.get_by_label("Votre réponse")).to_have_value("")  # sent: the script empties it
        form.get_by_label("Votre réponse").fill(second)
        send_with_script(page)
        expect(form.get_by_label("Votre réponse")).to_have_value("")
        assert production.evidence_of(first) == ("empty", "ok", "ok")
        assert production.evidence_of(second) == ("empty", "ok", "ok")
    finally:
        context.close()


def post_json(production, text, **evidence):
    """A client of the JSON API, as Isso's script or a bot posts: POST /isso/new with the evidence's keys."""
    body = json.dumps({"text": text, "author": "Robot", "email": "robot@example.org", "title": "T", **evidence})
    request = urllib.request.Request(f"{production.base}/isso/new?uri={CHRONICLE}", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Origin": production.base})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status in (201, 202)


def test_a_forged_or_replayed_proof_is_told_apart(production):
    with urllib.request.urlopen(production.base + "/isso" + comment_form.PROOF_PATH, timeout=10) as answer:
        challenge = json.load(answer)
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    solved = next(n for n in range(challenge["maxNumber"] + 1) if __import__("hashlib").sha256(
        f"{challenge['salt']}{n}".encode()).hexdigest() == challenge["challenge"])
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}

    def encoded(number):
        return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()

    post_json(production, "Une preuve juste, une fois.", altcha=encoded(solved))
    post_json(production, "La même preuve, rejouée.", altcha=encoded(solved))
    post_json(production, "Une preuve inventée.", altcha=encoded(solved + 1))
    post_json(production, "Sans rien du formulaire.")
    assert production.evidence_of("Une preuve juste, une fois.") == ("absent", "missing", "ok")
    assert production.evidence_of("La même preuve, rejouée.")[2] == "replayed"
    assert production.evidence_of("Une preuve inventée.")[2] == "invalid"
    assert production.evidence_of("Sans rien du formulaire.") == ("absent", "missing", "missing")
