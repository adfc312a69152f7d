"""Each hardening point of comments.hardening and comments.throttle, against the real server."""

import itertools
import re
import sqlite3

import pytest

from isso_support import ADMIN_PASSWORD, SITE, cookie_pair

pytestmark = pytest.mark.timeout(60)

_addresses = itertools.count(1)


def visitor():
    """A distinct client address (loopback is a trusted proxy in the test configuration)."""
    return {"X-Forwarded-For": f"198.51.100.{next(_addresses)}"}


def thread_texts(client, uri):
    return [c["text"] for c in client.thread(uri).json()["replies"]]


# Writes the embed script makes, with a body that would be accepted.
def api_writes(uri):
    body = '{"text": "Un commentaire honnête.", "author": "A", "email": "a@example.org", "title": "T"}'
    return [
        ("POST", f"/new?uri={uri}", body),
        ("POST", "/count", '["/a/"]'),
        ("POST", "/preview", '{"text": "Aperçu"}'),
        ("PUT", "/id/1", '{"text": "Modifié."}'),
        ("DELETE", "/id/1", ""),
        ("POST", "/id/1/like", ""),
        ("POST", "/id/1/dislike", ""),
    ]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_api_writes_without_json_content_type_are_refused(unmoderated, uri, content_type):
    client = unmoderated.client()
    for method, path, body in api_writes(uri):
        headers = {"Content-Type": content_type} if content_type else {}
        r = client.request(method, path, body=body, headers=headers)
        assert r.status == 403, (method, path, r.status, r.text)
        assert "JSON" in r.json()["message"]
    assert thread_texts(client, uri) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9.evil.example"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://evil.example", "Referer": SITE + "/chroniques/"},
    ],
    ids=["foreign-origin", "null-origin", "lookalike-origin", "foreign-referer", "foreign-origin-own-referer"],
)
def test_writes_from_another_site_are_refused(unmoderated, uri, headers):
    client = unmoderated.client()
    for method, path, body in api_writes(uri):
        r = client.request(method, path, body=body, headers={"Content-Type": "application/json", **headers}, origin=None)
        assert r.status == 403, (method, path, r.status)
        assert "site Zôhé" in r.json()["message"]
    # Moderation and login posts too.
    r = client.request("POST", "/id/1/activate/key", headers=headers, origin=None)
    assert r.status == 403
    r = client.request("POST", "/login/", body="password=x",
                       headers={"Content-Type": "application/x-www-form-urlencoded", **headers}, origin=None)
    assert r.status == 403
    assert thread_texts(client, uri) == []


def test_writes_from_the_site_or_its_referer_are_accepted(unmoderated, uri):
    client = unmoderated.client()
    assert client.new(uri, "Depuis le site.").status == 201
    r = client.request("POST", f"/new?uri={uri}", origin=None, headers={"Referer": SITE + uri},
                       json_body={"text": "Depuis la page.", "author": "B", "email": "b@example.org", "title": "T"})
    assert r.status == 201
    assert len(thread_texts(client, uri)) == 2


@pytest.mark.parametrize(
    "path, body, message",
    [
        ("/new?uri={uri}", "[]", "objet JSON"),
        ("/new?uri={uri}", '"texte"', "objet JSON"),
        ("/new?uri={uri}", "42", "objet JSON"),
        ("/new?uri={uri}", "null", "objet JSON"),
        ("/new?uri={uri}", "{pas du json", "JSON lisible"),
        ("/new?uri={uri}", b"\xff\xfe", "JSON lisible"),
        ("/preview", "[1, 2]", "objet JSON"),
        ("/count", '{"a": 1}', "liste"),
        ("/count", "[1, 2]", "liste"),
    ],
)
def test_malformed_json_bodies_get_400_not_500(unmoderated, uri, path, body, message):
    r = unmoderated.client().post(path.format(uri=uri), body=body, headers={"Content-Type": "application/json"})
    assert r.status == 400
    assert message in r.json()["message"]


def test_json_array_on_edit_gets_400(unmoderated, uri):
    client = unmoderated.client()
    created = client.new(uri, "À modifier bientôt.")
    r = client.request("PUT", f"/id/{created.json()['id']}", body="[]",
                       headers={"Content-Type": "application/json", "Cookie": cookie_pair(created, str(created.json()["id"]))})
    assert r.status == 400


@pytest.mark.parametrize(
    "email",
    ["pas-une-adresse", "a@b", "a b@example.org", "<script>@example.org", "a@example.org\nBcc: x@y.z", "@example.org",
     "a@@example.org", "a@-example.org", "x" * 250 + "@example.org"],
)
def test_invalid_email_is_refused_in_french(unmoderated, uri, email):
    client = unmoderated.client()
    r = client.new(uri, "Un avis tout à fait valable.", email=email)
    assert r.status == 400
    assert r.json()["message"] == "Cette adresse e-mail n’est pas valide\u00a0: vérifiez-la (par exemple nom@exemple.fr)."
    assert thread_texts(client, uri) == []


@pytest.mark.parametrize("email", ["camille@example.org", "c.d+zohe@sous.exemple.fr", "élodie@exemple.fr"])
def test_valid_email_is_accepted(unmoderated, uri, email):
    assert unmoderated.client().new(uri, "Un avis tout à fait valable.", email=email).status == 201


def test_missing_email_and_author_refused_in_french_when_required(tmp_path, uri):
    from isso_support import Server

    server = Server(tmp_path, workers=1, guard={"enabled": "true", "ratelimit": "50", "direct-reply": "50"}).start()
    try:
        client = server.client()
        r = client.post(f"/new?uri={uri}", json_body={"text": "Sans adresse.", "author": "A", "title": "T"})
        assert r.status == 400 and "adresse e-mail est nécessaire" in r.json()["message"]
        r = client.post(f"/new?uri={uri}", json_body={"text": "Sans nom.", "email": "a@example.org", "title": "T"})
        assert r.status == 400 and "Votre nom est nécessaire" in r.json()["message"]
        assert client.new(uri, "Complet.").status == 202
    finally:
        server.stop()


def login(client, password, headers):
    return client.post("/login/", body=f"password={password}",
                       headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def test_admin_login_works_and_its_cookie_is_httponly_and_secure_in_production(moderated):
    client = moderated.client(origin=moderated.base)
    r = login(client, ADMIN_PASSWORD, visitor())
    assert r.status == 302
    cookie = next(v for v in r.header_all("Set-Cookie") if v.startswith("admin-session="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and "secure" in flags
    assert not any(v.startswith("isso-admin-session=") for v in r.header_all("X-Set-Cookie"))
    page = client.get("/admin/", headers={"Cookie": cookie.split(";")[0]})
    assert page.status == 200 and "Log Out" in page.text
    # Scripts cannot delete an HttpOnly cookie: the button logs out through the server.
    assert 'href="../logout/"' in page.text and "log_out()\"" not in page.text
    out = client.get("/logout/", headers={"Cookie": cookie.split(";")[0]})
    assert out.status == 303 and out.header("Location") == "admin/"
    expired = out.header("Set-Cookie")
    assert expired.startswith("admin-session=;") and "Max-Age=0" in expired and "HttpOnly" in expired


def test_admin_login_is_throttled_after_five_failures(moderated):
    client = moderated.client(origin=moderated.base)
    attacker, bystander = visitor(), visitor()
    for _ in range(5):
        r = login(client, "mauvais", attacker)
        assert r.status == 200 and "password" in r.text.lower()
    r = login(client, "mauvais", attacker)
    assert r.status == 429
    assert int(r.header("Retry-After")) > 14 * 60
    assert "Trop de tentatives" in r.json()["message"]
    # Locked out even with the right password, and whichever worker answers.
    for _ in range(4):
        assert login(client, ADMIN_PASSWORD, attacker).status == 429
    # Another address is not affected.
    assert login(client, ADMIN_PASSWORD, bystander).status == 302


def test_lockout_ends_after_fifteen_minutes(moderated):
    client = moderated.client(origin=moderated.base)
    address = visitor()
    for _ in range(6):
        login(client, "mauvais", address)
    assert login(client, "mauvais", address).status == 429
    # Age the lockout in the shared table as fifteen minutes would.
    con = sqlite3.connect(moderated.dbpath)
    with con:
        con.execute("UPDATE zohe_login_lockouts SET until = until - 15 * 60 WHERE address = ?", (address["X-Forwarded-For"],))
    con.close()
    assert login(client, ADMIN_PASSWORD, address).status == 302


def test_successful_login_resets_the_failure_count(moderated):
    client = moderated.client(origin=moderated.base)
    address = visitor()
    for _ in range(4):
        login(client, "mauvais", address)
    assert login(client, ADMIN_PASSWORD, address).status == 302
    for _ in range(4):
        assert login(client, "mauvais", address).status == 200
    assert login(client, ADMIN_PASSWORD, address).status == 302


def test_moderation_posts_from_isso_pages_still_work_without_json(moderated, uri):
    """The confirmation page and the admin buttons post with no Content-Type; the admin edit posts JSON as text/plain."""
    client = moderated.client()
    comment_id = client.new(uri, "À publier depuis l’admin.").json()["id"]
    admin = moderated.client(origin=moderated.base)
    session = cookie_pair(login(admin, ADMIN_PASSWORD, visitor()), "admin-session")
    page = admin.get("/admin/", headers={"Cookie": session}).text
    key = re.search(rf"validate_com\({comment_id}, '([^']+)'", page).group(1)

    r = admin.post(f"/id/{comment_id}/edit/{key}", body='{"text": "Texte revu par la modération.", "author": "Zoé"}',
                   headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert r.status == 200
    r = admin.post(f"/id/{comment_id}/activate/{key}")
    assert r.status == 200 and r.text == "Le commentaire est publié."
    assert "Texte revu par la modération." in thread_texts(client, uri)[0]


def test_author_and_website_escaped_on_output_including_imported_data(unmoderated, uri):
    client = unmoderated.client()
    r = client.new(uri, "Un commentaire ordinaire.", author="Tom & Jerry <3", website="https://example.org/?a=1&b='2'")
    assert r.status == 201
    assert r.json()["author"] == "Tom &amp; Jerry &lt;3"
    # As `isso import` leaves them: raw HTML in names, a javascript: website.
    con = sqlite3.connect(unmoderated.dbpath)
    with con:
        con.execute(
            "INSERT INTO comments (tid, parent, created, mode, remote_addr, text, author, email, website, voters)"
            " SELECT id, NULL, 1700000000, 1, '127.0.0.0', 'Importé', ?, NULL, ?, x'00' FROM threads WHERE uri = ?",
            ("<img src=x onerror=alert(1)>Imp'orté", "javascript:alert(1)", uri),
        )
    con.close()
    api, imported = sorted(client.thread(uri).json()["replies"], key=lambda c: "Importé" in c["text"])
    assert api["author"] == "Tom &amp; Jerry &lt;3"  # escaped once, not twice
    assert api["website"] == "https://example.org/?a=1&amp;b=&#x27;2&#x27;"
    assert imported["author"] == "&lt;img src=x onerror=alert(1)&gt;Imp&#x27;orté"
    assert imported["website"] is None


def test_behind_the_proxy_prefix(unmoderated, uri):
    """nginx passes /isso/… with X-Script-Name (deploy/nginx.conf): the rules apply to Isso's routes all the same."""
    client = unmoderated.client()
    prefix = {"X-Script-Name": "/isso"}
    payload = {"text": "Par le proxy.", "author": "P", "email": "p@example.org", "title": "T"}
    assert client.post(f"/isso/new?uri={uri}", json_body=payload, headers=prefix).status == 201
    assert client.post(f"/isso/new?uri={uri}", body='{"text": "x"}', headers=prefix).status == 403
    assert client.post(f"/isso/new?uri={uri}", body="[]", headers={**prefix, "Content-Type": "application/json"}).status == 400
    reads = [client.get(f"/isso/?uri={uri}", headers=prefix) for _ in range(6)]
    assert all(len(r.json()["replies"]) == 1 for r in reads)
    assert "hit" in [r.header("X-Zohe-Cache") for r in reads]


IMPORTED_WEBSITES = ["javascript:alert(document.cookie)", "  JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
                     "\tjavascript:alert(1)", "https://exemple.fr/?a=1&b=2"]


def _insert_as_isso_import(dbpath, uri, websites):
    """Rows as `isso import` writes them: straight into the database, nothing checked."""
    con = sqlite3.connect(dbpath)
    with con:
        con.execute("INSERT OR IGNORE INTO threads (uri, title) VALUES (?, 'Importé')", (uri,))
        for website in websites:
            con.execute(
                "INSERT INTO comments (tid, parent, created, mode, remote_addr, text, author, email, website, voters)"
                " SELECT id, NULL, strftime('%s', 'now'), 2, '127.0.0.0', 'Importé', 'Importé', NULL, ?, x'00'"
                " FROM threads WHERE uri = ?",
                (website, uri),
            )
    con.close()


def test_imported_websites_are_no_script_links_on_the_admin_page(moderated, uri):
    from bs4 import BeautifulSoup

    _insert_as_isso_import(moderated.dbpath, uri, IMPORTED_WEBSITES)
    admin = moderated.client(origin=moderated.base)
    session = cookie_pair(login(admin, ADMIN_PASSWORD, visitor()), "admin-session")
    page = BeautifulSoup(admin.get("/admin/?mode=2", headers={"Cookie": session}).text, "html.parser")
    links = [a["href"] for a in page.select("a.website")]
    assert "https://exemple.fr/?a=1&b=2" in links
    for tag in page.find_all(href=True):
        assert not tag["href"].strip().lower().startswith(("javascript:", "data:")), tag


def test_websites_stored_before_the_server_started_are_cleaned(tmp_path, uri):
    from isso import config
    from isso.db import SQLite3

    from comments import store

    conf = config.load(config.default_file())
    SQLite3(str(tmp_path / "comments.db"), conf)  # the schema an import writes into
    _insert_as_isso_import(tmp_path / "comments.db", uri, IMPORTED_WEBSITES)
    store.prepare(tmp_path / "comments.db")
    con = sqlite3.connect(tmp_path / "comments.db")
    websites = [row[0] for row in con.execute("SELECT website FROM comments ORDER BY id")]
    con.close()
    assert websites == [None, None, None, None, "https://exemple.fr/?a=1&b=2"]
