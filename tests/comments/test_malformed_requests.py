"""A generated corpus of malformed requests, sent raw to the real server (gunicorn, 2 workers, moderation on): no answer is a 5xx, every error answer is French.

What "French" means here, precisely: an answer of status 400 or more carries
``Content-Language: fr``, and its body is one of our messages: JSON ``{"message": m}`` or
an HTML page in ``lang="fr"`` whose title is ``m``, with ``m`` in CATALOGUE (every
message of comments.errors, comments.validation, comments.hardening, comments.throttle
and comments.health, each field or parameter name filled in), or one of the moderation
link pages of comments.hardening. And none of the English sentences werkzeug, Isso and
gunicorn write appears in it. A HEAD answer has no body: its header is checked.
"""

import html
import json
import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from comments import errors, hardening, health, store, throttle, validation
from isso_support import Server, cookie_pair
import malformed

pytestmark = pytest.mark.timeout(120)

CATALOGUE = (
    set(errors.BY_STATUS.values())
    | {errors.OTHER_REFUSAL}
    | {french for _, french in errors.ISSO_REASONS}
    | set(hardening.MESSAGES.values())
    | {throttle.MESSAGE}
    | set(health.MESSAGES.values())
    | {text for key, text in validation.MESSAGES.items() if "{" not in text}
    | {validation.MESSAGES["text_field"].format(field=field) for field in validation.TEXT_FIELDS}
    | {validation.MESSAGES["query_number"].format(name=name)
       for names in validation.QUERY_NUMBERS.values() for name in names}
)
MODERATION_TITLES = {title for title, _ in hardening.MODERATION_REFUSALS.values()}
ENGLISH = ["Bad Request", "Not Found", "Method Not Allowed", "Forbidden", "Internal Server Error", "URI Too Long",
           "The requested URL", "The browser", "is missing", "should be", "must be", "Invalid", "Request Line",
           "not allowed", "Unauthorized", "Too Large"]

# Isso's admin view reads any validly signed admin-session cookie as a dict: the edit
# cookie Isso itself hands every commenter (a list) gives a TypeError. The admin session
# code is being rewritten on another branch; these cases are checked apart (below).
ADMIN_SESSION = re.compile(rb"^/admin/")


def french_error(answer, method):
    """None when an error answer is French as defined above, else what is wrong with it."""
    if answer.headers.get("Content-Language") != "fr":
        return f"no Content-Language: fr ({answer.headers.get('Content-Type')})"
    if method == b"HEAD":
        return None
    text = answer.body.decode("utf-8", "replace")
    english = [sentence for sentence in ENGLISH if sentence in text]
    if english:
        return f"English: {english}"
    if answer.headers.get("Content-Type", "").startswith("application/json"):
        message = json.loads(answer.body).get("message")
        return None if message in CATALOGUE else f"not one of our messages: {message!r}"
    title = re.search(r"<title>(.*?)</title>", text)
    if '<html lang="fr">' in text and title and html.unescape(title.group(1)) in CATALOGUE | MODERATION_TITLES:
        return None
    return f"not one of our pages: {text[:120]!r}"


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


def is_admin_session_case(case):
    return ADMIN_SESSION.match(case.target) and b"Cookie" in case.headers


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


@pytest.mark.xfail(strict=True, reason="Isso's admin view takes any signed cookie's value for a session "
                                       "(a TypeError, 500): fixed by the admin session rewrite of another branch")
def test_forged_admin_sessions_get_no_5xx(corpus):
    server, cases = corpus
    found = failures(server, [case for case in cases if is_admin_session_case(case)])
    assert not found, "\n".join(found)
