"""Admin sessions on the real server: only a session still open in the database opens the admin page; any other cookie gets the login page, never a 5xx."""

import re
import sqlite3
import uuid

import pytest
from itsdangerous import URLSafeTimedSerializer

from comments import admin_accessibility, store
from isso_support import ADMIN_PASSWORD, Server, cookie_pair

pytestmark = pytest.mark.timeout(60)


def visitor():
    """A fresh address for each login, so that the throttle never mixes tests up."""
    number = uuid.uuid4().int
    return {"X-Forwarded-For": f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250 + 1}"}


def login(server, password=ADMIN_PASSWORD, headers=None):
    client = server.client(origin=server.base)
    return client.post("/login/", body=f"password={password}",
                       headers={"Content-Type": "application/x-www-form-urlencoded", **visitor(), **(headers or {})})


def admin_page(server, cookie, headers=None):
    """'admin' or 'login': which page GET /admin/ shows with this Cookie header."""
    r = server.client().get("/admin/", headers={"Cookie": cookie, **(headers or {})} if cookie else headers)
    assert r.status == 200, (cookie, r.status, r.text[:300])
    assert r.header("Cache-Control") == "no-store"
    admin, form = 'id="isso-root"' in r.text, 'name="password"' in r.text
    assert admin != form, r.text[:300]
    return "admin" if admin else "login"


def sessions(server):
    con = sqlite3.connect(server.dbpath)
    try:
        return con.execute("SELECT digest, fingerprint, expires FROM zohe_admin_sessions").fetchall()
    finally:
        con.close()


def test_the_cookie_is_httponly_strict_secure_and_a_day_long_at_most(moderated):
    r = login(moderated)
    assert r.status == 302 and r.header("Location") == "../admin/"
    cookie = r.header("Set-Cookie")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= attributes.keys(), cookie
    assert attributes["samesite"] == "SameSite=Strict" and attributes["path"] == "Path=/"
    assert 0 < int(attributes["max-age"].split("=")[1]) <= 24 * 3600
    # Random, and only its digest is kept.
    value = cookie_pair(r, "admin-session").split("=", 1)[1]
    assert len(value) >= 40 and value != cookie_pair(login(moderated), "admin-session").split("=", 1)[1]
    assert value not in {row[0] for row in sessions(moderated)}
    assert admin_page(moderated, f"admin-session={value}") == "admin"


def test_behind_the_proxy_the_cookie_is_for_its_prefix_only(moderated):
    r = login(moderated, headers={"X-Script-Name": "/isso"})
    assert "Path=/isso/" in r.header("Set-Cookie")
    prefixed = {"X-Script-Name": "/isso", "Cookie": cookie_pair(r, "admin-session")}
    out = moderated.client().get("/logout/", headers=prefixed)
    assert out.status == 303 and out.header("Location") == "../admin/"
    assert "Path=/isso/" in out.header("Set-Cookie") and "Max-Age=0" in out.header("Set-Cookie")


def test_forged_foreign_and_stale_cookies_get_the_login_page(moderated):
    signer = URLSafeTimedSerializer(store.session_key(moderated.dbpath))
    forged = [
        "",
        "admin-session=",
        "admin-session=abc",
        "admin-session=" + "A" * 4000,
        "admin-session=\"quoted; value\"",
        # What Isso's own login issued: a signed {"logged": true}, valid 24 hours.
        "admin-session=" + signer.dumps({"logged": True}),
        # Validly signed but not a dict: an edit cookie's value, a number, a string.
        "admin-session=" + signer.dumps([1, "0" * 40]),
        "admin-session=" + signer.dumps(1),
        "admin-session=" + signer.dumps("logged"),
    ]
    for cookie in forged:
        assert admin_page(moderated, cookie) == "login", cookie


def test_an_expired_session_gets_the_login_page(moderated):
    cookie = cookie_pair(login(moderated), "admin-session")
    assert admin_page(moderated, cookie) == "admin"
    con = sqlite3.connect(moderated.dbpath)
    with con:
        con.execute("UPDATE zohe_admin_sessions SET expires = expires - 24 * 3600")
    con.close()
    assert admin_page(moderated, cookie) == "login"


def test_logout_ends_the_session_on_the_server(moderated):
    cookie = cookie_pair(login(moderated), "admin-session")
    other = cookie_pair(login(moderated), "admin-session")
    out = moderated.client().get("/logout/", headers={"Cookie": cookie})
    assert out.status == 303 and "Max-Age=0" in out.header("Set-Cookie")
    # The cookie, kept and replayed, opens nothing; another session stays open.
    assert admin_page(moderated, cookie) == "login"
    assert admin_page(moderated, other) == "admin"


def test_a_new_admin_password_ends_every_session_and_none_is_stored(tmp_path):
    server = Server(tmp_path).start()
    try:
        cookie = cookie_pair(login(server), "admin-session")
        assert admin_page(server, cookie) == "admin"
    finally:
        server.stop()
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("comments.db*"))
    assert ADMIN_PASSWORD.encode() not in stored
    server = Server(tmp_path, env={"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD + "-nouveau"})
    server.start()
    try:
        assert admin_page(server, cookie) == "login"
        assert login(server).status == 200  # the old password is refused
        assert admin_page(server, cookie_pair(login(server, ADMIN_PASSWORD + "-nouveau"), "admin-session")) == "admin"
    finally:
        server.stop()


def test_the_admin_page_refuses_a_bad_number_in_french_and_shows_the_rest(moderated):
    cookie = cookie_pair(login(moderated), "admin-session")
    for query in ("page=abc", "mode=x", "asc=", "page=99999999999999999999"):
        r = moderated.client().get("/admin/?" + query, headers={"Cookie": cookie})
        assert r.status == 400 and r.header("Content-Language") == "fr", query
    r = moderated.client().get("/admin/?mode=1&page=0&order_by=tid", headers={"Cookie": cookie})
    assert r.status == 200 and 'id="isso-root"' in r.text


def test_the_admin_page_has_no_inline_handler_and_loads_our_script(moderated):
    client = moderated.client()
    client.new(f"/chroniques/admin-{uuid.uuid4().hex}/", "En attente.")
    r = client.get("/admin/", headers={"Cookie": cookie_pair(login(moderated), "admin-session")})
    assert r.status == 200 and "data-zohe-call=\"validate_com\"" in r.text
    assert not re.search(r"\son[a-z]+\s*=", r.text, re.IGNORECASE), re.findall(r"\son[a-z]+=\S+", r.text, re.I)
    assert "javascript:" not in r.text
    assert f'<script src="{moderated.base}/js/zohe-admin.js"></script>' in r.text
    script = client.get("/js/zohe-admin.js")
    assert script.status == 200 and script.header("Content-Type").startswith("text/javascript")
    assert b"data-zohe-call" in script.body


def test_the_login_page_is_french_labelled_and_says_a_wrong_password(moderated):
    """Isso's login page was English, its document without a language, its field without a label (axe: html-has-lang, label)."""
    r = moderated.client().get("/admin/", headers=visitor())
    assert r.status == 200 and r.header("Content-Language") == "fr"
    assert '<html lang="fr">' in r.text and "<h1>Administration des commentaires</h1>" in r.text
    assert re.search(r'<label for="mot-de-passe">Mot de passe</label> <input id="mot-de-passe" type="password"', r.text)
    assert "pas le bon" not in r.text
    refused = login(moderated, password="pas-le-bon")
    assert refused.status == 200 and 'role="alert">Ce mot de passe n’est pas le bon.' in refused.text


def test_the_admin_page_has_landmarks_labels_buttons_and_our_stylesheet(moderated):
    """Isso's page had no main landmark, two unlabelled fields and links no keyboard reaches (comments.admin_accessibility)."""
    client = moderated.client()
    client.new(f"/chroniques/admin-{uuid.uuid4().hex}/", "En attente, pour ses boutons.")
    r = client.get("/admin/?mode=2", headers={"Cookie": cookie_pair(login(moderated), "admin-session")})
    assert r.status == 200
    assert r.text.count("<main>") == 1 and re.search(r"</div>\s*</main></div>\s*</body>", r.text)
    assert '<div class="header" role="banner">' in r.text and '<header role="none">' in r.text
    assert '<label for="zohe-grouper">' in r.text and '<input id="zohe-grouper" type="checkbox"' in r.text
    assert 'name="page" aria-label="Numéro de la page affichée"' in r.text
    assert '<label class="search-label" for="zohe-recherche">' in r.text and 'id="zohe-recherche"' in r.text
    # The field Isso's script adds to edit a comment's text is labelled ahead.
    assert re.search(r'<label class="zohe-lecteurs" for="isso-text-(\d+)-textarea">Texte du commentaire</label>'
                     r'<pre id="isso-text-\1">', r.text)
    assert re.search(r'<button type="button" class=.validate.\s+data-zohe-call="validate_com"', r.text)
    # Every call is a button now, but the search help, a role="button" that admin.js opens from the keyboard.
    assert not re.search(r"<a [^>]*data-zohe-call", r.text)
    assert re.search(r'<div class="search-tooltip" data-zohe-call="toggleTooltip" role="button" tabindex="0"', r.text)
    assert f'<link href="{moderated.base}/css/zohe-admin.css" rel="stylesheet">' in r.text
    stylesheet = client.get("/css/zohe-admin.css")
    assert stylesheet.status == 200 and stylesheet.header("Content-Type").startswith("text/css")
    assert b".isso-comment-footer button" in stylesheet.body


def test_the_links_to_the_previous_and_next_pages_are_named():
    """Shown past 100 comments only, as Isso writes them (isso/templates/admin.html): named by an arrow alone."""
    isso = ('<a href="?mode=2&page=0">\n              «\n            </a>'
            '<input type="text" size="1" name="page" value="1" />'
            '<a href="?mode=2&page=2">\n              »\n            </a>')
    page = admin_accessibility.accessible(isso)
    assert '<a href="?mode=2&page=0" aria-label="Page précédente">' in page
    assert '<a href="?mode=2&page=2" aria-label="Page suivante">' in page
