"""`invoke serve` as a web server: the site's own 404 page, one log line a request, and moderation shown without a save."""

import http.client
import re
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from support import ROOT, live_preview

URI = "/chroniques/la-juste-mesure/"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    with live_preview(tmp_path_factory.mktemp("preview")) as running:
        yield running


def _request(base, path, method="GET", body=None, headers=None):
    """(status, headers, text) of one request to the server at ``base``."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read().decode("utf-8")
    finally:
        connection.close()


def test_an_unknown_address_gets_the_sites_own_404_page(preview):
    assert _request(preview["url"], "/chroniques/absente/", "HEAD")[:1] == (404,)
    status, headers, text = _request(preview["url"], "/chroniques/absente/")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in text and "404: Not Found" not in text
    # The page a production reader gets (nginx's error_page), with the preview's reload script.
    assert "<title>Page introuvable" in text and "livereload.js" in text


def test_each_request_is_logged_once(preview):
    path = "/a-propos/?une-seule-ligne"
    assert _request(preview["url"], path)[0] == 200
    # A request after it: its line comes once the first request's lines are all written.
    _request(preview["url"], "/a-propos/?la-suivante")
    preview["wait_for"]("la-suivante")
    assert sum(path in line for line in preview["output"]) == 1, "".join(preview["output"])


def _pending(database, text, uri=URI):
    """A comment waiting for moderation, written as Isso writes one; its number."""
    with sqlite3.connect(database) as db:
        db.execute("INSERT OR IGNORE INTO threads (uri, title) VALUES (?, 'La juste mesure')", (uri,))
        cursor = db.execute(
            "INSERT INTO comments (tid, parent, created, mode, remote_addr, text, author, email, website, voters)"
            " SELECT id, NULL, strftime('%s', 'now'), 2, '127.0.0.0', ?, 'Camille', 'camille@example.org', NULL, x'00'"
            " FROM threads WHERE uri = ?",
            (text, uri),
        )
        number = cursor.lastrowid
    db.close()
    return number


def _shown_without_script(preview):
    """The chronicle's page as a reader without JavaScript gets it: the baked discussion."""
    return _request(preview["url"], URI)[2]


def _until_shown(preview, text, shown, timeout=60):
    """Wait for the page to show ``text`` (``shown``) or not: the preview builds again by itself."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (text in _shown_without_script(preview)) is shown:
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} {'never' if shown else 'still'} shown after {timeout} s:\n{''.join(preview['output'])}")


def _invoke(preview, *arguments):
    result = subprocess.run([sys.executable, "-m", "invoke", *arguments], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "ZOHE_COMMENTS_DB": str(preview["database"])}, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def _admin_session(preview):
    """The preview's admin cookie, logged in with the development password."""
    from comments import settings

    status, headers, _ = _request(preview["comments"], "/login/", "POST", f"password={settings.DEV_ADMIN_PASSWORD}",
                                  {"Content-Type": "application/x-www-form-urlencoded", "Origin": preview["comments"]})
    assert status in (200, 302, 303), status
    cookie = next(value for value in headers.get_all("Set-Cookie") if value.startswith("admin-session="))
    return cookie.split(";")[0]


def _admin(preview, action, number):
    """Press the admin page's button for ``action`` (validate or delete) on comment ``number``, as its script does."""
    import html
    import json

    session = _admin_session(preview)
    # The admin page lists pending comments by default, published ones under mode=1.
    listed = {"validate": "/admin/", "delete": "/admin/?mode=1"}[action]
    page = _request(preview["comments"], listed, headers={"Cookie": session})[2]
    call = {"validate": "validate_com", "delete": "delete_com"}[action]
    for found in re.finditer(rf'data-zohe-call="{call}" data-zohe-args="([^"]*)"', page):
        arguments = json.loads(html.unescape(found.group(1)))
        if arguments[0] == number:
            break
    else:
        raise AssertionError(f"no {action} button for comment {number}")
    route = {"validate": "activate", "delete": "delete"}[action]
    status, _, text = _request(preview["comments"], f"/id/{number}/{route}/{arguments[1]}", "POST",
                               headers={"Cookie": session, "Origin": preview["comments"]})
    assert status == 200, text


def _mailed_link(preview, action, number):
    """Open the e-mail's link for ``action`` (activate or delete) and press its button: the key is signed as the mail signs it."""
    from itsdangerous import URLSafeTimedSerializer

    from comments import store

    key = URLSafeTimedSerializer(store.session_key(preview["database"])).dumps(number)
    link = f"/id/{number}/{action}/{key}"
    assert _request(preview["comments"], link)[0] == 200
    status, _, text = _request(preview["comments"], link, "POST",
                               headers={"Origin": preview["comments"], "Referer": preview["comments"] + link})
    assert status == 200, text


@pytest.mark.parametrize("way", ["command line", "e-mail link", "admin page"])
def test_a_moderation_is_baked_into_the_open_preview_without_a_save(preview, way):
    """Each way a moderator decides reaches the page a reader without JavaScript sees: a build, then a reload."""
    text = f"Publié par {way}, sans rien enregistrer."
    number = _pending(preview["database"], text)
    assert text not in _shown_without_script(preview)

    if way == "command line":
        _invoke(preview, "comments.approve", str(number))
    elif way == "e-mail link":
        _mailed_link(preview, "activate", number)
    else:
        _admin(preview, "validate", number)
    preview["wait_for"]("Des commentaires ont été modérés\u202f; reconstruction…")
    _until_shown(preview, text, True)

    if way == "command line":
        _invoke(preview, "comments.delete", str(number))
    elif way == "e-mail link":
        _mailed_link(preview, "delete", number)
    else:
        _admin(preview, "delete", number)
    _until_shown(preview, text, False)
