"""A generated corpus of malformed requests over every route of the comment server, and a raw HTTP client to send them.

What "French" means, precisely: an answer of status 400 or more carries
``Content-Language: fr``, and its body is one of our messages: JSON ``{"message": m}`` or
an HTML page in ``lang="fr"`` whose title is ``m``, with ``m`` in CATALOGUE (every
message of comments.errors, comments.validation, comments.hardening, comments.throttle
and comments.health, each field or parameter name filled in), or one of the moderation
link pages of comments.hardening. And none of the English sentences werkzeug, Isso and
gunicorn write appears in it. A HEAD answer has no body: its header is checked.

Raw sockets, not http.client's request(): it refuses bytes that are not ASCII in the
request line, and these requests are malformed on purpose. Each case is
``(name, method, target, headers, body)``, every field bytes.
"""

import html
import http.client
import json
import re
import socket
from collections import namedtuple

from comments import errors, hardening, health, throttle, validation

Case = namedtuple("Case", "name method target headers body")
Answer = namedtuple("Answer", "status headers body")

URI = b"/chroniques/corpus/"
HUGE = b"99999999999999999999"  # beyond 64 bits
NUMBERS = [HUGE, b"18446744073709551616", b"-1", b"0", b"abc", b"1.5", b"%FF", b"1e999", b"%00", b"\xff"]
# Query values: beyond 64 bits, negative, not a number, not UTF-8, NaN, control characters.
QUERY_VALUES = [HUGE, b"-99999999999999999999", b"-1", b"x", b"%FF", b"\xff", b"nan", b"1e999", b"%00", b""]
NOT_UTF8 = b"\xff\xfe\xc3("

JSON_OBJECT_ROUTES = [(b"POST", b"/new?uri=" + URI), (b"PUT", b"/id/{id}"), (b"POST", b"/preview"),
                      (b"POST", b"/id/{id}/edit/{key}")]
VALID_COMMENT = {"text": "Un commentaire honnête.", "author": "Camille", "email": "camille@example.org",
                 "title": "Une chronique"}
WRONG_TYPES = {
    "text": [5, [], {}, True, 1.5, None],
    "author": [[], 5, {}, True],
    "email": [{}, [], 5, False],
    "website": [5, [], {}, True],
    "parent": ["x", [], {}, 1.5, True, 2**64, -(2**64), 10**400, -1],
    "title": [[], 5, {}],
    "notification": ["x", [], {}, 2**64],
}


def deep(depth, opening, closing):
    return opening * depth + closing * depth


def bodies():
    """Bodies for the routes that expect a JSON object: (name, bytes)."""
    yield "deep-array", deep(100_000, b"[", b"]")
    yield "deep-object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    yield "deep-text", json.dumps({**VALID_COMMENT, "text": None}).encode().replace(b"null", deep(5_000, b"[", b"]"))
    yield "not-utf8", NOT_UTF8
    yield "utf8-then-garbage", b'{"text": "\xe9t\xe9"}'
    yield "lone-surrogate", b'{"text": "\\ud800 trois", "author": "A", "email": "a@example.org"}'
    yield "nan", b'{"text": NaN, "parent": Infinity}'
    yield "huge-number-literal", b'{"text": "abc", "parent": 1' + b"0" * 5000 + b"}"
    yield "truncated", b'{"text": "abc"'
    yield "empty", b""
    yield "null", b"null"
    yield "string", b'"texte"'
    yield "number", b"12"
    yield "bom", b"\xef\xbb\xbf" + json.dumps(VALID_COMMENT).encode()
    yield "utf16", json.dumps(VALID_COMMENT).encode("utf-16")
    for field, values in WRONG_TYPES.items():
        for value in values:
            text = json.dumps({**VALID_COMMENT, field: value}) if not isinstance(value, int) or abs(value) < 2**70 else \
                json.dumps(VALID_COMMENT)[:-1] + f', "{field}": {value}}}'
            yield f"{field}={str(value)[:20]}", text.encode()


def corpus(comment_id, edit_cookie, moderation_key):
    """Every malformed request, for a server holding comment ``comment_id`` (its edit cookie, a moderation key)."""
    cid, key = str(comment_id).encode(), moderation_key.encode()
    json_headers = {b"Content-Type": b"application/json"}
    cases = []

    def add(name, method, target, headers=None, body=b""):
        target = target.replace(b"{id}", cid).replace(b"{key}", key)
        cases.append(Case(name, method, target, dict(headers or {}), body))

    # Bodies on every route that reads a JSON object.
    for method, target in JSON_OBJECT_ROUTES:
        for name, body in bodies():
            add(f"body {name}", method, target, json_headers, body)
    for name, body in [("deep", deep(100_000, b"[", b"]")), ("not-utf8", NOT_UTF8), ("object", b'{"a": 1}'),
                       ("numbers", b"[1, 2]"), ("huge", b"[" + HUGE + b"]"), ("nested", b'[["/a/"]]')]:
        add(f"count body {name}", b"POST", b"/count", json_headers, body)

    # Numbers in the path: beyond 64 bits, negative, not numbers, not UTF-8.
    for number in NUMBERS:
        add("id GET", b"GET", b"/id/" + number)
        add("id PUT", b"PUT", b"/id/" + number, json_headers, b'{"text": "Modifi\xc3\xa9."}')
        add("id DELETE", b"DELETE", b"/id/" + number, json_headers)
        for vote in (b"like", b"dislike"):
            add(f"id {vote}", b"POST", b"/id/" + number + b"/" + vote, json_headers)
        for action in (b"activate", b"delete", b"edit"):
            add(f"moderate GET {action}", b"GET", b"/id/" + number + b"/" + action + b"/{key}")
            add(f"moderate POST {action}", b"POST", b"/id/" + number + b"/" + action + b"/{key}")
        add("unsubscribe", b"GET", b"/id/" + number + b"/unsubscribe/a%40example.org/{key}")

    # Keys, e-mails in paths.
    for junk in (b"x", NOT_UTF8, b"%FF%FE", b"a" * 5000, b"%00", b"..", b"W1siYSJdXQ.x.y"):
        for action in (b"activate", b"delete", b"edit"):
            add(f"key {action}", b"GET", b"/id/{id}/" + action + b"/" + junk)
            add(f"key POST {action}", b"POST", b"/id/{id}/" + action + b"/" + junk, json_headers, b'{"text": "abc"}')
        add("unsubscribe junk", b"GET", b"/id/{id}/unsubscribe/" + junk + b"/" + junk)

    # Query values on every route that reads one.
    for value in QUERY_VALUES:
        for name in (b"limit", b"nested_limit", b"after", b"offset", b"parent", b"plain", b"sort"):
            add(f"thread {name}", b"GET", b"/?uri=" + URI + b"&" + name + b"=" + value)
        add("feed limit", b"GET", b"/feed?uri=" + URI + b"&limit=" + value)
        add("latest limit", b"GET", b"/latest?limit=" + value)
        add("uri value", b"GET", b"/?uri=" + value)
        add("new uri", b"POST", b"/new?uri=" + value, json_headers, json.dumps(VALID_COMMENT).encode())
        add("admin page", b"GET", b"/admin/?page=" + value + b"&mode=" + value + b"&asc=" + value)
        add("id plain", b"GET", b"/id/{id}?plain=" + value)
    add("query not utf8", b"GET", b"/config?" + NOT_UTF8)
    add("query many", b"GET", b"/?" + b"&".join(b"uri=" + URI for _ in range(2000)))
    add("thread no uri", b"GET", b"/")
    add("new no uri", b"POST", b"/new", json_headers, json.dumps(VALID_COMMENT).encode())

    # Paths that are not UTF-8, or not routes, on every prefix.
    for path in (b"/" + NOT_UTF8, b"/js/" + NOT_UTF8, b"/js/../../../etc/passwd", b"/js/%2e%2e/%2e%2e/isso.cfg",
                 b"/css/nothing.css", b"/img/\x00", b"/%FF", b"/admin/" + NOT_UTF8, b"/config/", b"/demo/",
                 b"/info", b"/nothing", b"//config", b"/id/", b"/id/{id}/", b"/id/{id}/nothing/x", b"/health/x",
                 b"/login", b"/logout"):
        add("path", b"GET", path)

    # Odd methods on every route.
    routes = [b"/", b"/new?uri=" + URI, b"/count", b"/preview", b"/config", b"/feed?uri=" + URI, b"/latest?limit=1",
              b"/id/{id}", b"/id/{id}/like", b"/id/{id}/activate/{key}", b"/login/", b"/admin/", b"/logout/",
              b"/js/embed.min.js", b"/health"]
    for method in (b"PATCH", b"OPTIONS", b"TRACE", b"PROPFIND", b"FOO", b"HEAD", b"DELETE", b"PUT", b"POST"):
        for route in routes:
            add(f"method {method}", method, route, json_headers, b"{}")

    # Forged and malformed cookies and headers.
    cookies = [b"admin-session=forged", b"admin-session=" + NOT_UTF8, b"admin-session=W1siYSJdXQ.x.y",
               b"admin-session=" + edit_cookie.encode(), cid + b"=forged", cid + b"=" + NOT_UTF8,
               cid + b"=" + edit_cookie.encode() + b"x", b"\xff=\xff", b"=;;;=", b"a" * 8000 + b"=1"]
    for cookie in cookies:
        for method, route in ((b"GET", b"/admin/"), (b"GET", b"/id/{id}"), (b"PUT", b"/id/{id}"),
                              (b"DELETE", b"/id/{id}"), (b"GET", b"/?uri=" + URI)):
            body = b'{"text": "Modifi\xc3\xa9."}' if method == b"PUT" else b""
            add(f"cookie {method} {route[:10]}", method, route, {**json_headers, b"Cookie": cookie}, body)
    for name, value in [(b"Origin", NOT_UTF8), (b"Origin", b"http://[::1"), (b"Referer", b"http://%zz"),
                        (b"X-Forwarded-For", NOT_UTF8), (b"X-Forwarded-For", b"999.999.1.1, , ,"),
                        (b"X-Script-Name", NOT_UTF8), (b"X-Script-Name", b"/../.."), (b"Content-Type", NOT_UTF8),
                        (b"Content-Type", b"application/json; charset=latin-1"), (b"Host", NOT_UTF8),
                        (b"X-Forwarded-Proto", b"gopher"), (b"X-Forwarded-Host", NOT_UTF8)]:
        add(f"header {name}", b"POST", b"/new?uri=" + URI, {**json_headers, name: value},
            json.dumps(VALID_COMMENT).encode())
    add("login not form", b"POST", b"/login/", {b"Content-Type": b"application/x-www-form-urlencoded"}, b"x=" + NOT_UTF8)
    add("login no password", b"POST", b"/login/", {b"Content-Type": b"application/x-www-form-urlencoded"}, b"")
    add("login multipart", b"POST", b"/login/", {b"Content-Type": b"multipart/form-data"}, b"--x\r\n")
    return cases


def send(port, case, timeout=30):
    """Send one case on its own connection; the server's whole answer."""
    headers = {b"Host": b"127.0.0.1", b"Connection": b"close", **case.headers}
    if case.body or case.method in (b"POST", b"PUT", b"PATCH"):
        headers[b"Content-Length"] = str(len(case.body)).encode()
    head = case.method + b" " + case.target + b" HTTP/1.1\r\n"
    head += b"".join(name + b": " + value + b"\r\n" for name, value in headers.items()) + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(head + case.body)
        response = http.client.HTTPResponse(connection, method=case.method.decode("latin-1"))
        response.begin()
        return Answer(response.status, response.headers, response.read())


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


def is_admin_session_case(case):
    return ADMIN_SESSION.match(case.target) and b"Cookie" in case.headers
