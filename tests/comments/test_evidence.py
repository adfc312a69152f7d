"""The evidence the comment server gathers on a new comment (comments.evidence), verdict by verdict, on the real server: what Chromium's readers (tests/deploy/test_spam_evidence.py) do not send."""

import sqlite3
import time
from urllib.parse import urlencode

from bs4 import BeautifulSoup
import pytest

import comment_form
from comments.form_token import FormTokens
from isso_support import FORM_SECRET, SITE, Server, visitor

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MIN_SECONDS = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = Server(tmp_path_factory.mktemp("evidence"), env={"ZOHE_FORM_MIN_SECONDS": str(MIN_SECONDS)}).start()
    yield started
    started.stop()


def token(uri, age):
    """A token of this server's for ``uri``, issued ``age`` seconds ago (the tests know the operator's secret)."""
    return FormTokens(FORM_SECRET.encode(), None).issue(uri, time.time() - age)


def post(server, uri, text, **extra):
    data = {"uri": uri, "title": "Une chronique", "text": text, "author": "Camille", "email": "camille@example.org",
            **extra}
    return server.client().post("/formulaire", body=urlencode(data), headers={**FORM, **visitor()}, origin=SITE)


def evidence(server, text):
    with sqlite3.connect(server.dbpath) as db:
        return db.execute("SELECT honeypot, token, proof FROM zohe_evidence JOIN comments "
                          "ON comments.id = zohe_evidence.comment WHERE comments.text = ?", (text,)).fetchone()


def test_each_verdict_is_kept_with_its_comment(server, uri):
    cases = {
        "Un robot pressé.": ({"jeton": token(uri, 0), "sujet": ""}, ("empty", "fast", "missing")),
        "Un robot qui remplit tout.": ({"jeton": token(uri, 10), "sujet": "Offre"}, ("filled", "ok", "missing")),
        "Le jeton d’une autre chronique.": ({"jeton": token("/chroniques/autre/", 10)}, ("absent", "invalid", "missing")),
        "Un jeton inventé.": ({"jeton": "123.abc.def", "altcha": "pas du base64"}, ("absent", "invalid", "invalid")),
        "Aucun jeton.": ({}, ("absent", "missing", "missing")),
    }
    for text, (extra, expected) in cases.items():
        assert post(server, uri, text, **extra).status == 303
        assert evidence(server, text) == expected, text


def test_a_refusal_gives_a_fresh_token_that_keeps_the_time_of_the_first(server, uri):
    """Correcting a field right away is not "too fast": the refusal's token is dated as the page's."""
    r = post(server, uri, "x", jeton=token(uri, 10), sujet="")
    assert r.status == 400
    fresh = BeautifulSoup(r.text, "html.parser").select_one(f"input[name={comment_form.TOKEN}]")["value"]
    assert FormTokens(FORM_SECRET.encode(), None).read(fresh, uri) <= time.time() - 10
    assert post(server, uri, "Corrigé aussitôt.", jeton=fresh, sujet="").status == 303
    assert evidence(server, "Corrigé aussitôt.") == ("empty", "ok", "missing")


def test_a_script_told_of_an_old_token_gets_a_fresh_one_in_json(server, uri):
    r = server.client().post("/formulaire", body=urlencode({
        "uri": uri, "title": "T", "text": "Long à écrire.", "author": "Camille", "email": "camille@example.org",
        "jeton": token(uri, 4 * 3600)}), headers={**FORM, **visitor(), "Accept": "application/json"}, origin=SITE)
    assert r.status == 400
    answer = r.json()
    assert "restée ouverte longtemps" in answer["message"] and answer["fields"] == {}
    assert FormTokens(FORM_SECRET.encode(), None).read(answer[comment_form.TOKEN], uri) is not None
    assert evidence(server, "Long à écrire.") is None


def test_the_token_route_answers_a_hidden_field_for_site_paths_only(server, uri):
    r = server.client().get(f"/jeton?uri={uri}")
    assert r.status == 200 and r.header("Cache-Control") == "no-store"
    value = BeautifulSoup(r.text, "html.parser").select_one(f"input[type=hidden][name={comment_form.TOKEN}]")["value"]
    assert FormTokens(FORM_SECRET.encode(), None).read(value, uri) is not None
    assert server.client().get("/jeton?uri=https://ailleurs.example/").status == 404
