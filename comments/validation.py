"""Parses and checks what a request carries before any of our layers or Isso reads it: comment numbers in the path, numbers in the query, JSON bodies and the type of each field.

Isso trusts all of these, and each gave a 500 (measured with tests/comments/malformed.py):
a comment number or a ``limit``/``parent`` beyond SQLite's 64 bits (OverflowError), a
JSON body nested too deeply for Python's parser (RecursionError), ``NaN``, a text that is
a number, a list or an object, a string with a lone surrogate that SQLite cannot store,
a ``notification`` that is a list. Each is refused here with a 4xx and a French message.
"""

import json
import math
import re

from werkzeug.wrappers import Request

from comments import moderation_links, web

# SQLite's integers: what a comment number or a query number may be.
SQLITE_MAX_INT = 2**63 - 1

# The JSON shape each write expects; anything else is a 400 before Isso sees it.
BODY_SHAPES = [
    ("POST", re.compile(r"^/new$"), dict),
    ("PUT", re.compile(r"^/id/\d+$"), dict),
    ("POST", re.compile(r"^/preview$"), dict),
    ("POST", moderation_links.EDIT, dict),
    ("POST", re.compile(r"^/count$"), list),
]
# The parsed body, for the layers inside this one (comments.hardening.RequestGuard).
PARSED_BODY = "zohe.json_body"

# A comment's fields as Isso stores them (isso/views/comments.py, API.ACCEPT).
TEXT_FIELDS = ("text", "author", "email", "website", "title")
# Any number in a comment's path: Isso's routes read it as an integer (/id/<int:id>/…).
COMMENT_NUMBER = re.compile(r"^/id/(\d+)(?:/|$)")
# At most 19 digits: int() of a longer string is slow, then refused by the range anyway.
INTEGER = re.compile(r"[+-]?\d{1,19}")
# Query values Isso converts with int() or hands to SQLite as numbers, by route: their
# type and, for integers, the largest SQLite takes.
QUERY_NUMBERS = {
    "/": {"limit": int, "nested_limit": int, "offset": int, "parent": int, "after": float},
    "/feed": {"limit": int},
    "/latest": {"limit": int},
    # Isso multiplies the admin page's number by its page size, 100.
    "/admin/": {"page": (int, SQLITE_MAX_INT // 100), "mode": int, "asc": int},
}

MESSAGES = {
    "too_large": "Requête trop volumineuse.",
    "bad_json": "Requête invalide\u00a0: le contenu n’est pas du JSON lisible.",
    "object_required": "Requête invalide\u00a0: un objet JSON est attendu.",
    "list_required": "Requête invalide\u00a0: une liste d’adresses de pages est attendue.",
    "text_field": "Requête invalide\u00a0: le champ «\u00a0{field}\u00a0» doit être du texte.",
    "parent": "Requête invalide\u00a0: le champ «\u00a0parent\u00a0» doit être le numéro d’un commentaire.",
    "notification": "Requête invalide\u00a0: le champ «\u00a0notification\u00a0» doit valoir vrai ou faux.",
    "query_number": "Requête invalide\u00a0: le paramètre «\u00a0{name}\u00a0» doit être un nombre.",
    "no_comment": "Ce commentaire n’existe pas.",
}


class Refused(Exception):
    """A request this module refuses: its status and French message."""

    def __init__(self, status, key, **details):
        super().__init__(status, key)
        self.status, self.message = status, MESSAGES[key].format(**details)


def body_shape(method, path):
    """The JSON type (dict or list) the body of this write must have, or None when it has no JSON body."""
    return next((shape for m, rx, shape in BODY_SHAPES if method == m and rx.match(path)), None)


def parse_json(body):
    """The value of a JSON body: strict UTF-8, no NaN or Infinity, every string storable by SQLite."""

    def refuse_constant(name):
        raise ValueError(f"{name} is not JSON")

    try:
        data = json.loads(body.decode("utf-8"), parse_constant=refuse_constant)
        # Lone surrogates ("\ud800") are valid JSON escapes but no UTF-8 text: SQLite refused them.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise Refused("400 Bad Request", "bad_json") from None
    return data


def check_comment_fields(data):
    """The fields Isso stores must have the types its database takes."""
    for field in TEXT_FIELDS:
        if data.get(field) is not None and not isinstance(data[field], str):
            raise Refused("400 Bad Request", "text_field", field=field)
    parent = data.get("parent")
    if parent is not None and not (type(parent) is int and 0 < parent <= SQLITE_MAX_INT):
        raise Refused("400 Bad Request", "parent")
    if data.get("notification") not in (None, True, False):  # 0 and 1 compare equal to False and True
        raise Refused("400 Bad Request", "notification")


def check_body(environ, method, path):
    shape = body_shape(method, path)
    if shape is None:
        return
    body = web.read_body(environ)
    if body is None:
        raise Refused("413 Request Entity Too Large", "too_large")
    data = parse_json(body)
    if shape is list:
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise Refused("400 Bad Request", "list_required")
    else:
        if not isinstance(data, dict):
            raise Refused("400 Bad Request", "object_required")
        check_comment_fields(data)
    environ[PARSED_BODY] = data


def check_path(path):
    number = COMMENT_NUMBER.match(path)
    if number and int(number.group(1)) > SQLITE_MAX_INT:
        raise Refused("404 Not Found", "no_comment")


def check_query(environ, path):
    numbers = QUERY_NUMBERS.get(path)
    if not numbers or not environ.get("QUERY_STRING"):
        return
    args = Request(environ).args
    for name, kind in numbers.items():
        for value in args.getlist(name):
            if not valid_number(value, kind):
                raise Refused("400 Bad Request", "query_number", name=name)


def valid_number(value, kind):
    kind, largest = kind if isinstance(kind, tuple) else (kind, SQLITE_MAX_INT)
    if kind is int:
        return INTEGER.fullmatch(value) is not None and -largest - 1 <= int(value) <= largest
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


class RequestValidation:
    """Refuses, with a French 4xx, a request whose path, query or body Isso would fail on."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = web.route_path(environ)
        try:
            check_path(path)
            check_query(environ, path)
            check_body(environ, method, path)
        except Refused as refusal:
            return web.error(start_response, refusal.status, refusal.message)
        return self.app(environ, start_response)
