"""Isso's admin page made fit for production: sessions that a logout or a new password ends, and no inline script.

Isso's admin cookie is a signed ``{"logged": true}``, valid for 24 hours whatever happens:
its logout only deletes it in the browser (from JavaScript, which an HttpOnly cookie
forbids), a new admin password leaves it valid, and a validly signed cookie that is not
such a dict (an edit cookie's value) made the admin page answer 500. Here ``/login/``,
``/logout/`` and ``/admin/`` are ours up to Isso's rendering: a login opens a session in
the database (comments.store), the cookie carries only its random id, and Isso renders
the admin page only for a session still open, given for that one request a cookie of
its own kind; any other cookie gets the login page.

Isso's login page is English, its field without a label and its document without a language:
ours is French, with a labelled field, a button and, after a wrong password, a sentence
saying so.

Isso's admin page calls its script from inline ``onClick`` attributes, which the comment
server's Content-Security-Policy (comments.csp) refuses. They are rewritten into data
attributes that our own script, ``admin.js`` beside this module, reads and dispatches to
the same functions of Isso's ``admin.js``; our stylesheet, ``admin.css``, follows Isso's.
The page then gets landmarks, labels and buttons (comments.admin_accessibility) and its
English words in French (comments.admin_french).
"""

import hashlib
import hmac
import html
import json
import re
import secrets
import time
from pathlib import Path

from werkzeug.http import dump_cookie
from werkzeug.wrappers import Request

from comments import admin_accessibility, admin_french, store as stores, web

COOKIE = "admin-session"
# As long as Isso's own admin cookie lasted (isso/views/comments.py, API.admin), never longer.
MAX_AGE = 24 * 60 * 60
LOGIN_PATH, LOGOUT_PATH, ADMIN_PATH = "/login/", "/logout/", "/admin/"
# Relative to /login/ and /logout/, whatever prefix the proxy gives (X-Script-Name).
ADMIN_LINK = "../admin/"
HERE = Path(__file__).resolve().parent
# Our script and stylesheet for Isso's admin page, served by this layer: {path: (type, bytes)}.
SCRIPT_PATH, STYLESHEET_PATH = "/js/zohe-admin.js", "/css/zohe-admin.css"
ASSETS = {SCRIPT_PATH: ("text/javascript; charset=utf-8", (HERE / "admin.js").read_bytes()),
          STYLESHEET_PATH: ("text/css; charset=utf-8", (HERE / "admin.css").read_bytes())}
# The cookie's Path is the public prefix nginx announces; anything odd falls back to "/".
PREFIX = re.compile(r"(?:/[\w.~-]+)*")

# Isso 0.14's inline handlers (isso/templates/admin.html) and their replacements.
CALL = re.compile(r'onClick="javascript:(validate_com|delete_com|start_edit|stop_edit|send_edit)\(([^")]*)\)"')
ARGUMENT = re.compile(r"\s*(?:(\d+)|'([^']*)')\s*(?:,|$)")
NAVIGATE = re.compile(r"""onClick="javascript:window\.location='([^'"]*)';\"""")
TOOLTIP = 'onclick="toggleTooltip(this)"'
LOGOUT_BUTTON = 'onClick="javascript:log_out()"'
ISSO_SCRIPT = re.compile(r'<script src="([^"]*)/js/admin\.js"></script>')
ISSO_STYLESHEET = re.compile(r'<link type="text/css" href="([^"]*)/css/admin\.css" rel="stylesheet">')
# Isso's search form sends to /admin/ at the root, outside the proxy's prefix.
SEARCH_FORM = '<form action="/admin/" method="get">'
# Posted relative to /admin/ and /login/ alike, whatever prefix the proxy gives.
LOGIN_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
    "<title>Administration des commentaires — Zôhé</title></head><body><main>"
    "<h1>Administration des commentaires</h1>{refused}"
    '<form method="post" action="../login/"><p><label for="mot-de-passe">Mot de passe</label> '
    '<input id="mot-de-passe" type="password" name="password" autocomplete="current-password" required autofocus>'
    '</p><p><button type="submit">Se connecter</button></p></form></main></body></html>'
)
WRONG_PASSWORD = '<p role="alert">Ce mot de passe n’est pas le bon.</p>'


def fingerprint(password, key):
    """A keyed, slow fingerprint of the admin password: sessions are bound to it, the password itself is never stored.

    Keyed with Isso's signing key and slow (scrypt, computed once at start), so that a
    copy of the database makes guessing the password no cheaper than the login page.
    """
    return hashlib.scrypt(password.encode("utf-8"), salt=key.encode("utf-8"), n=2**14, r=8, p=1).hex()


def _sha256(text):
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()


def digest(session_id):
    return _sha256(session_id).hex()


def rewrite_handlers(page):
    """Isso's admin page without inline event handlers: data attributes for our script instead."""

    def call(match):
        arguments = [int(m[1]) if m[1] else html.unescape(m[2]) for m in ARGUMENT.finditer(match[2])]
        return f'data-zohe-call="{match[1]}" data-zohe-args="{html.escape(json.dumps(arguments))}"'

    page = CALL.sub(call, page)
    page = NAVIGATE.sub(lambda match: f'data-zohe-href="{match[1]}"', page)
    page = page.replace(TOOLTIP, 'data-zohe-call="toggleTooltip"')
    # Scripts cannot delete an HttpOnly cookie: the button logs out through the server.
    page = page.replace(LOGOUT_BUTTON, 'href="../logout/"')
    page = page.replace(SEARCH_FORM, '<form action="./" method="get">')
    page = ISSO_STYLESHEET.sub(
        lambda match: f'{match[0]}<link href="{match[1]}{STYLESHEET_PATH}" rel="stylesheet">', page)
    return ISSO_SCRIPT.sub(lambda match: f'{match[0]}<script src="{match[1]}{SCRIPT_PATH}"></script>', page)


class AdminSessions:
    """Answers the admin login and logout, opens Isso's admin page to open sessions only, serves our script and styles."""

    def __init__(self, app, conf, store, signer, secure_cookies=False, clock=time.time):
        self.app = app
        self.store = store
        # Isso's own signer: the admin page opens for a cookie it signed.
        self.signer = signer
        self.enabled = conf.getboolean("admin", "enabled")
        self.password = conf.get("admin", "password")
        self.fingerprint = fingerprint(self.password, stores.session_key(store.path))
        self.secure_cookies = secure_cookies
        self.clock = clock

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = web.route_path(environ)
        if path in ASSETS and method in ("GET", "HEAD"):
            return self.asset(start_response, *ASSETS[path])
        if not self.enabled:  # Isso answers its "disabled" page
            return self.app(environ, start_response)
        if path == LOGIN_PATH and method == "POST":
            return self.login(environ, start_response)
        if path == LOGOUT_PATH and method == "GET":
            return self.logout(environ, start_response)
        if path == ADMIN_PATH and method in ("GET", "HEAD"):
            return self.admin(environ, start_response)
        return self.app(environ, start_response)

    def login(self, environ, start_response):
        """A right password opens a session and goes to the admin page; anything else gets the login page again.

        comments.throttle, outside this layer, counts every answer but the redirect as a failure.
        """
        given = Request(environ).form.get("password", "")
        if not (self.password and hmac.compare_digest(_sha256(given), _sha256(self.password))):
            return self.login_page(start_response, refused=True)
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        self.store.open_admin_session(digest(session_id), self.fingerprint, now + MAX_AGE, now)
        return self.redirect(start_response, "302 Found", self.cookie(environ, session_id, MAX_AGE))

    def logout(self, environ, start_response):
        for session_id in Request(environ).cookies.getlist(COOKIE):
            self.store.close_admin_session(digest(session_id))
        return self.redirect(start_response, "303 See Other", self.cookie(environ, "", 0))

    def admin(self, environ, start_response):
        """Isso's admin page for an open session, our login page for anything else; never cached."""
        if not self.session_open(environ):
            return self.login_page(start_response)
        inner = {key: value for key, value in environ.items() if key != "HTTP_COOKIE"}
        # Its page, mode and asc numbers were checked outside (comments.validation).
        inner["HTTP_COOKIE"] = f"{COOKIE}={self.signer.dumps({'logged': True})}"
        status, headers, body = web.call_buffered(self.app, inner)
        page = admin_accessibility.accessible(rewrite_handlers(body.decode("utf-8")))
        body = admin_french.translate(page).encode("utf-8")
        headers = [(k, v) for k, v in headers if k.lower() != "cache-control"] + [("Cache-Control", "no-store")]
        start_response(status, web.replace_body_headers(headers, body))
        return [body]

    @staticmethod
    def login_page(start_response, refused=False):
        body = LOGIN_PAGE.format(refused=WRONG_PASSWORD if refused else "").encode("utf-8")
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                  ("Content-Length", str(len(body))), web.FRENCH])
        return [body]

    def session_open(self, environ):
        now = self.clock()
        return any(
            self.store.admin_session_open(digest(session_id), self.fingerprint, now)
            for session_id in Request(environ).cookies.getlist(COOKIE)
        )

    def cookie(self, environ, value, max_age):
        prefix = (environ.get("HTTP_X_SCRIPT_NAME") or "").rstrip("/")
        path = prefix + "/" if PREFIX.fullmatch(prefix) else "/"
        return dump_cookie(COOKIE, value, max_age=max_age, expires=None if max_age else 0, path=path,
                           secure=self.secure_cookies, httponly=True, samesite="Strict")

    @staticmethod
    def redirect(start_response, status, cookie):
        start_response(status, [("Location", ADMIN_LINK), ("Set-Cookie", cookie), ("Cache-Control", "no-store"),
                                ("Content-Length", "0")])
        return [b""]

    @staticmethod
    def asset(start_response, content_type, body):
        start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-cache"),
                                  ("Content-Length", str(len(body)))])
        return [body]
