"""A generated corpus of malformed requests, sent raw to the real server (gunicorn, 2 workers, moderation on): no answer is a 5xx, every error answer is French.

What "French" means is defined once, in malformed.french_error.
"""

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from comments import store
from isso_support import ADMIN_PASSWORD, Server, cookie_pair
import malformed
from malformed import french_error, is_admin_session_case

pytestmark = pytest.mark.timeout(120)

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The server, holding one pending comment, and the corpus made for it: (server, cases)."""
    with Server(tmp_path_factory.mktemp("malformed")) as server:
        created = server.client().new("/chroniques/corpus/", "Le commentaire que le corpus vise.")
        assert created.status == 202, created.text
        comment_id = created.json()["id"]
        key = URLSafeTimedSerializer(store.session_key(server.dbpath)).dumps(comment_id)
        cookie = cookie_pair(created, str(comment_id)).split("=", 1)[1]
        yield server, malformed.corpus(comment_id, cookie, key)


def failures(server, cases):
    found = []
    for case in cases:
        answer = malformed.send(server.port, case)
        wrong = f"status {answer.status}" if answer.status >= 500 else None
        if answer.status >= 400:
            wrong = wrong or french_error(answer, case.method)
        if wrong:
            found.append(f"{case.name}: {case.method.decode()} {case.target[:80]!r} -> {wrong}")
    return found


def test_the_corpus_covers_every_route(corpus):
    _, cases = corpus
    assert len(cases) >= 200
    targets = {case.target for case in cases}
    for route in (rb"^/new", rb"^/id/\d+$", rb"^/id/\d+/like", rb"^/id/\d+/dislike", rb"^/id/\d+/activate/",
                  rb"^/id/\d+/delete/", rb"^/id/\d+/edit/", rb"^/id/\d+/unsubscribe/", rb"^/preview", rb"^/count",
                  rb"^/\?", rb"^/config", rb"^/feed", rb"^/latest", rb"^/login/", rb"^/admin/", rb"^/logout/",
                  rb"^/js/", rb"^/health"):
        assert any(re.match(route, target) for target in targets), route
    methods = {case.method for case in cases}
    assert {b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"OPTIONS", b"PATCH", b"TRACE", b"FOO"} <= methods


def test_no_malformed_request_gets_a_5xx_or_an_english_answer(corpus):
    server, cases = corpus
    found = failures(server, [case for case in cases if not is_admin_session_case(case)])
    assert not found, "\n".join(found)
    # The server still takes comments after all that.
    assert server.client().new("/chroniques/corpus/", "Toujours là après le corpus.").status == 202


def test_a_moderators_admin_page_numbers_get_no_5xx(corpus):
    """Isso reads the admin page's query only for a moderator who is logged in: page 10**17 overflowed SQLite."""
    server, _ = corpus
    client = server.client(origin=server.base)
    login = client.post("/login/", body=f"password={ADMIN_PASSWORD}",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    session = {b"Cookie": cookie_pair(login, "admin-session").encode()}
    cases = [malformed.Case(f"admin {name}={value!r}", b"GET", b"/admin/?" + name + b"=" + value, session, b"")
             for name in (b"page", b"mode", b"asc")
             for value in (b"100000000000000000", malformed.HUGE, b"-99999999999999999999", b"x", b"%FF", b"")]
    assert not failures(server, cases)
    page = malformed.send(server.port, malformed.Case("admin", b"GET", b"/admin/?page=0&mode=2", session, b""))
    assert page.status == 200 and "Se déconnecter".encode() in page.body


def test_forged_admin_sessions_get_no_5xx(corpus):
    """Isso's admin view took any signed cookie's value for a session (a TypeError, 500); comments.admin keeps sessions of its own."""
    server, cases = corpus
    found = failures(server, [case for case in cases if is_admin_session_case(case)])
    assert not found, "\n".join(found)
