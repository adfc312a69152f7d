"""The spam policy on evidence from the real form route (comments.evidence, comments.form_post): a reader's post reaches the moderators, a robot's is held, unmailed."""

import sqlite3
import time
from urllib.parse import urlencode

import pytest

from comments.form_token import FormTokens
from isso_support import FORM_SECRET, SITE, Server, mailed_links, visitor

pytestmark = pytest.mark.timeout(120)
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp_sink):
    port, _ = smtp_sink
    started = Server(
        tmp_path_factory.mktemp("spam-form"), env={"ZOHE_FORM_MIN_SECONDS": "2"}, spam={"enabled": "true"},
        general={"notify": "smtp"}, smtp={"host": "127.0.0.1", "port": port, "security": "none", "to": "moderation@zohe.test"},
    ).start()
    yield started
    started.stop()


def token(uri, age):
    return FormTokens(FORM_SECRET.encode(), None).issue(uri, time.time() - age)


def post(server, uri, text, **extra):
    data = {"uri": uri, "title": "Une chronique", "text": text, "author": "Camille", "email": "camille@example.org", **extra}
    r = server.client().post("/formulaire", body=urlencode(data), headers={**FORM, **visitor()}, origin=SITE)
    assert r.status == 202, r.text
    return r.json()["id"]


def held(server, number):
    with sqlite3.connect(server.dbpath) as db:
        row = db.execute("SELECT reasons FROM zohe_held WHERE id = ?", (number,)).fetchone()
    return row[0] if row else None


def test_a_reader_of_the_form_reaches_the_moderators(server, smtp_sink, uri):
    _, sink = smtp_sink
    number = post(server, uri, "Une lecture juste, merci.", jeton=token(uri, 10), sujet="")
    assert held(server, number) is None
    mailed_links(sink, server, number, "Une lecture juste")


@pytest.mark.parametrize("extra, sign", [
    ({"sujet": "Offre"}, "honeypot"),
    ({"sujet": "", "fast": True}, "token-fast"),
    ({"sujet": "", "jeton": "123.abc.def"}, "token-invalid"),
    ({"sujet": ""}, "no-evidence"),  # no token, no proof
])
def test_a_robot_of_the_form_is_held(server, uri, extra, sign):
    extra = dict(extra)
    if extra.pop("fast", False) or "jeton" not in extra and sign != "no-evidence":
        extra.setdefault("jeton", token(uri, 0 if sign == "token-fast" else 10))
    number = post(server, uri, f"Un robot ({sign}).", **extra)
    assert sign in (held(server, number) or "")


def test_a_replayed_token_is_held(server, uri):
    used = token(uri, 10)
    assert held(server, post(server, uri, "Premier envoi.", jeton=used, sujet="")) is None
    assert "token-replayed" in held(server, post(server, uri, "Même jeton.", jeton=used, sujet=""))
