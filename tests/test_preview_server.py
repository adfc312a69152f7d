"""`invoke serve` as a web server: the site's own 404 page, one log line a request, and moderation shown without a save."""

import re
import sqlite3
import subprocess
import sys
import time

import pytest

from support import ROOT, http_request, live_preview

URI = "/chroniques/la-juste-mesure/"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    with live_preview(tmp_path_factory.mktemp("preview")) as running:
        yield running


def test_an_unknown_address_gets_the_sites_own_404_page(preview):
    assert http_request(preview["url"], "HEAD", "/chroniques/absente/")[:1] == (404,)
    status, headers, text = http_request(preview["url"], "GET", "/chroniques/absente/")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in text and "404: Not Found" not in text
    # The page a production reader gets (nginx's error_page), with the preview's reload script.
    assert "<title>Page introuvable" in text and "livereload.js" in text


def test_each_request_is_logged_once(preview):
    path = "/a-propos/?une-seule-ligne"
    assert http_request(preview["url"], "GET", path)[0] == 200
    # A request after it: its line comes once the first request's lines are all written.
    http_request(preview["url"], "GET", "/a-propos/?la-suivante")
    preview["wait_for"]("la-suivante")
    assert sum(path in line for line in preview["output"]) == 1, "".join(preview["output"])


def _pending(database, text, uri=URI, number=None):
    """A comment waiting for moderation, written as Isso writes one (numbered ``number`` if given); its number."""
    with sqlite3.connect(database) as db:
        db.execute("INSERT OR IGNORE INTO threads (uri, title) VALUES (?, 'La juste mesure')", (uri,))
        cursor = db.execute(
            "INSERT INTO comments (id, tid, parent, created, mode, remote_addr, text, author, email, website, voters)"
            " SELECT ?, id, NULL, strftime('%s', 'now'), 2, '127.0.0.0', ?, 'Camille', 'camille@example.org', NULL,"
            " x'00' FROM threads WHERE uri = ?",
            (number, text, uri),
        )
        number = cursor.lastrowid
    db.close()
    return number


def _shown_without_script(preview):
    """The chronicle's page as a reader without JavaScript gets it: the baked discussion."""
    return http_request(preview["url"], "GET", URI)[2]


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

    status, headers, _ = http_request(preview["comments"], "POST", "/login/", f"password={settings.DEV_ADMIN_PASSWORD}",
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
    page = http_request(preview["comments"], "GET", listed, headers={"Cookie": session})[2]
    call = {"validate": "validate_com", "delete": "delete_com"}[action]
    for found in re.finditer(rf'data-zohe-call="{call}" data-zohe-args="([^"]*)"', page):
        arguments = json.loads(html.unescape(found.group(1)))
        if arguments[0] == number:
            break
    else:
        raise AssertionError(f"no {action} button for comment {number}")
    route = {"validate": "activate", "delete": "delete"}[action]
    status, _, text = http_request(preview["comments"], "POST", f"/id/{number}/{route}/{arguments[1]}",
                                   headers={"Cookie": session, "Origin": preview["comments"]})
    assert status == 200, text


def _mailed_link(preview, action, number):
    """Open the e-mail's link for ``action`` (activate or delete) and press its button: the key is signed as the mail signs it."""
    from itsdangerous import URLSafeTimedSerializer

    from comments import store

    key = URLSafeTimedSerializer(store.session_key(preview["database"])).dumps(number)
    link = f"/id/{number}/{action}/{key}"
    assert http_request(preview["comments"], "GET", link)[0] == 200
    status, _, text = http_request(preview["comments"], "POST", link,
                                   headers={"Origin": preview["comments"], "Referer": preview["comments"] + link})
    assert status == 200, text


# Each way a moderator decides, by what it is called there: approve or delete.
MODERATION = {
    "command line": lambda preview, decision, number: _invoke(preview, f"comments.{decision}", str(number)),
    "e-mail link": lambda preview, decision, number: _mailed_link(
        preview, {"approve": "activate"}.get(decision, decision), number),
    "admin page": lambda preview, decision, number: _admin(
        preview, {"approve": "validate"}.get(decision, decision), number),
}


@pytest.mark.parametrize("way", list(MODERATION))
def test_a_moderation_is_baked_into_the_open_preview_without_a_save(preview, way):
    """Each way a moderator decides reaches the page a reader without JavaScript sees: a build, then a reload."""
    text = f"Publié par {way}, sans rien enregistrer."
    # A number of its own: SQLite gives a deleted last comment's number to the next one, and a
    # link signed within the second of that deletion is refused as older than it (comments.hardening).
    number = _pending(preview["database"], text, number=100 + list(MODERATION).index(way))
    assert text not in _shown_without_script(preview)

    decide = MODERATION[way]
    decide(preview, "approve", number)
    preview["wait_for"]("Des commentaires ont été modérés\u202f; reconstruction…")
    _until_shown(preview, text, True)

    decide(preview, "delete", number)
    _until_shown(preview, text, False)
