"""Each hardening point of comments.hardening and comments.throttle, against the real server."""

import itertools
import sqlite3
import time
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from bench import gunicorn_server
from comments.hardening import MESSAGES
from isso_support import ADMIN_PASSWORD, SITE, admin_page_key, cookie_pair, mailed_links

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
    assert out.status == 303 and out.header("Location") == "../admin/"
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
    key = admin_page_key(page, comment_id)

    r = admin.post(f"/id/{comment_id}/edit/{key}", body='{"text": "Texte revu par la modération.", "author": "Zoé"}',
                   headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert r.status == 200
    r = admin.post(f"/id/{comment_id}/activate/{key}")
    assert r.status == 200 and "Le commentaire est publié." in r.text
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


# Thread addresses ----------------------------------------------------------------

# Isso creates a thread for any uri on its first comment, and its admin page links it.
FOREIGN_URIS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example/", "/chroniques\\..\\x/",
    "/\t/evil.example/", "/\n/evil.example/", "/chroniques/x/\n", " /chroniques/x/", "/chroniques/\x00/",
    "/chroniques/\x85/", "@evil.example/", "chroniques/x/", "",
]


def _threads_named(dbpath, uri):
    con = sqlite3.connect(dbpath)
    try:
        return con.execute("SELECT COUNT(*) FROM threads WHERE uri = ?", (uri,)).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("address", FOREIGN_URIS, ids=range(len(FOREIGN_URIS)))
def test_thread_addresses_that_are_not_site_paths_are_refused_on_every_route(unmoderated, uri, address):
    client = unmoderated.client()
    query = quote(address, safe="")
    payload = {"text": "Un commentaire honnête.", "author": "A", "email": "a@example.org", "title": "T"}
    answers = {
        "new": client.post(f"/new?uri={query}", json_body=payload),
        "fetch": client.get(f"/?uri={query}"),
        "feed": client.get(f"/feed?uri={query}"),
        "count": client.post("/count", json_body=[uri, address]),
    }
    for route, r in answers.items():
        assert r.status == 400, (route, r.status, r.text)
        assert r.json()["message"] == MESSAGES["uri_invalid"], route
    assert _threads_named(unmoderated.dbpath, address) == 0


@pytest.mark.parametrize(
    "query",
    ["uri=javascript:alert(1)", "uri=//evil.example/", "uri=/chroniques/%5C%5Cevil/", "%75ri=javascript%3Aalert(1)",
     "uri=javascript:alert(1)&uri={uri}", "uri={uri}&uri=javascript:alert(1)", "uri=%2F%2Fevil.example%2F"],
    ids=["raw-scheme", "raw-protocol-relative", "escaped-backslash", "escaped-name", "foreign-first", "foreign-second",
         "escaped-slashes"],
)
def test_thread_address_is_read_as_isso_reads_it(unmoderated, uri, query):
    """Percent-escapes and repeated parameters: whichever value Isso would take must be a site path."""
    payload = {"text": "Un commentaire honnête.", "author": "A", "email": "a@example.org", "title": "T"}
    r = unmoderated.client().post(f"/new?{query.format(uri=uri)}", json_body=payload)
    assert r.status == 400 and r.json()["message"] == MESSAGES["uri_invalid"]
    assert thread_texts(unmoderated.client(), uri) == []


def test_foreign_thread_address_is_refused_behind_the_proxy_prefix(unmoderated):
    payload = {"text": "Par le proxy.", "author": "P", "email": "p@example.org", "title": "T"}
    r = unmoderated.client().post("/isso/new?uri=javascript:alert(1)", json_body=payload, headers={"X-Script-Name": "/isso"})
    assert r.status == 400 and r.json()["message"] == MESSAGES["uri_invalid"]


def test_the_sites_own_thread_addresses_are_accepted(unmoderated, prod_site):
    """What the theme writes in data-isso-id and the baked comments plugin reads are the same site paths."""
    from bs4 import BeautifulSoup

    from plugins.baked_comments.baked_comments import thread_uri

    client = unmoderated.client()
    seen = []
    for page in sorted((prod_site / "chroniques").glob("*/index.html")):
        (thread,) = BeautifulSoup(page.read_text(), "html.parser").select("[data-isso-id]")
        address = thread["data-isso-id"]
        url = page.parent.relative_to(prod_site).as_posix() + "/"
        assert address == thread_uri(SimpleNamespace(url=url))
        r = client.post(f"/new?uri={quote(address)}", json_body={"text": "Bienvenue.", "author": "A",
                                                                  "email": "a@example.org", "title": "T"})
        assert r.status == 201, (address, r.text)
        assert client.get(f"/?uri={quote(address)}").status == 200
        seen.append(address)
    assert "/chroniques/la-juste-mesure/" in seen
    assert client.post("/count", json_body=seen).json() == [1] * len(seen)


def test_a_foreign_thread_address_written_into_the_database_is_refused(moderated, uri):
    """`isso import` and direct writes go around the middleware; the database refuses them itself."""
    con = sqlite3.connect(moderated.dbpath)
    try:
        for address in ("javascript:alert(1)", "//evil.example/", "https://evil.example/"):
            with pytest.raises(sqlite3.IntegrityError, match="path on the site"):
                with con:
                    con.execute("INSERT INTO threads (uri, title) VALUES (?, 'Importé')", (address,))
        with con:
            con.execute("INSERT INTO threads (uri, title) VALUES (?, 'Importé')", (uri,))
        with pytest.raises(sqlite3.IntegrityError, match="path on the site"):
            with con:
                con.execute("UPDATE threads SET uri = 'javascript:alert(1)' WHERE uri = ?", (uri,))
    finally:
        con.close()
    assert _threads_named(moderated.dbpath, uri) == 1


def test_foreign_thread_addresses_stored_before_the_server_started_are_no_links_on_the_admin_page(tmp_path, uri):
    from bs4 import BeautifulSoup
    from isso import config
    from isso.db import SQLite3

    from isso_support import Server

    conf = config.load(config.default_file())
    SQLite3(str(tmp_path / "comments.db"), conf)  # the schema an import writes into
    hostile = ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "data:text/html,<script>alert(1)</script>",
               "/\\evil.example/"]
    for address in [uri] + hostile:
        _insert_as_isso_import(tmp_path / "comments.db", address, ["https://exemple.fr/"])

    server = Server(tmp_path, workers=1).start()
    try:
        admin = server.client(origin=server.base)
        session = cookie_pair(login(admin, ADMIN_PASSWORD, visitor()), "admin-session")
        for query in ("mode=2", "mode=2&order_by=tid"):
            page = BeautifulSoup(admin.get(f"/admin/?{query}", headers={"Cookie": session}).text, "html.parser")
            # The template's thread link: <a href="{{comment.uri}}">{{comment.uri}}</a>.
            threads = [a["href"] for a in page.find_all("a", href=True) if a["href"] == a.get_text()]
            assert sorted(set(threads)) == sorted([uri] + [f"/adresse-refusee/{n}/" for n in range(2, 2 + len(hostile))])
            for tag in page.find_all(href=True):
                href = tag["href"].strip().lower()
                assert not href.startswith(("javascript:", "data:", "//", "/\\")) and "evil.example" not in href, tag
    finally:
        server.stop()
    assert _threads_named(tmp_path / "comments.db", uri) == 1


def _prepared_database(path):
    from isso import config
    from isso.db import SQLite3

    from comments import store

    SQLite3(str(path), config.load(config.default_file()))
    store.prepare(path)
    return path


def test_the_database_and_the_middleware_agree_on_what_a_site_path_is(tmp_path):
    from comments.hardening import site_path

    samples = FOREIGN_URIS + ["/", "/chroniques/la-juste-mesure/", "/a:b", "/é", "/x\xa0y", "/a[b]c", "/x\x7f", "/x\x9f",
                              "/%2F/x", "/x/\\"]
    con = sqlite3.connect(_prepared_database(tmp_path / "comments.db"))
    try:
        for sample in samples:
            try:
                with con:
                    con.execute("INSERT INTO threads (uri, title) VALUES (?, 'T')", (sample,))
                stored = True
            except sqlite3.IntegrityError:
                stored = False
            assert stored == site_path(sample), repr(sample)
    finally:
        con.close()


def test_isso_import_of_a_foreign_thread_address_fails_loudly(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path


    dbpath = _prepared_database(tmp_path / "comments.db")
    comment = {"id": 1, "author": "A", "email": None, "website": None, "remote_addr": "127.0.0.1",
               "created": "2023-11-14 22:13:20", "text": "Importé."}
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"id": "/chroniques/la-juste-mesure/", "title": "T", "comments": [comment]},
                                  {"id": "javascript:alert(1)", "title": "T", "comments": [{**comment, "id": 2}]}]))
    isso = Path(sys.executable).with_name("isso")
    config = gunicorn_server.write_config(tmp_path, gunicorn_server.free_port())
    run = subprocess.run([str(isso), "-c", str(config), "import", "--type", "generic", str(export)],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode != 0 and "a thread uri must be a path on the site" in run.stderr
    con = sqlite3.connect(dbpath)
    assert [row[0] for row in con.execute("SELECT uri FROM threads")] == ["/chroniques/la-juste-mesure/"]
    con.close()


# Nothing shows before a moderator approves it -------------------------------------

def _mode(dbpath, comment_id):
    con = sqlite3.connect(dbpath)
    try:
        row = con.execute("SELECT mode, text FROM comments WHERE id = ?", (comment_id,)).fetchone()
    finally:
        con.close()
    return row


def _admin_key(server, comment_id):
    """The key the admin page signs for ``comment_id`` now, with the second it was signed in."""
    from itsdangerous import URLSafeTimedSerializer

    from comments import store

    admin = server.client(origin=server.base)
    session = cookie_pair(login(admin, ADMIN_PASSWORD, visitor()), "admin-session")
    page = admin.get("/admin/", headers={"Cookie": session}).text
    key = admin_page_key(page, comment_id)
    _, signed_at = URLSafeTimedSerializer(store.session_key(server.dbpath)).loads(key, return_timestamp=True)
    return admin, key, signed_at.timestamp()


def _refused_link(response):
    assert response.status == 403, (response.status, response.text)
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert '<html lang="fr">' in response.text and 'href="../../../admin/"' in response.text
    assert "rien n’a été fait" in response.text
    return response.text


def test_a_comment_is_shown_only_with_its_own_edit_cookie(moderated, uri):
    """Isso's GET /id/N took any validly signed cookie named N: renaming one's own showed another's pending text."""
    client = moderated.client()
    alice = client.new(uri, "Texte en attente d’Alice.", author="Alice", email="alice@example.org")
    mallory = client.new(uri, "Texte de Mallory.", author="Mallory", email="mallory@example.org")
    alice_id, mallory_id = alice.json()["id"], mallory.json()["id"]
    own = cookie_pair(mallory, str(mallory_id)).split("=", 1)[1]

    for cookie in (f"{alice_id}={own}", f"{alice_id}=", ""):
        r = client.get(f"/id/{alice_id}?plain=1", headers={"Cookie": cookie} if cookie else {})
        assert r.status == 403, (cookie, r.status, r.text)
        assert r.json()["message"] == MESSAGES["not_own_comment"]
        assert "Alice" not in r.text
    # Each commenter still reads back their own comment (what the embed script's edit does).
    r = client.get(f"/id/{mallory_id}?plain=1", headers={"Cookie": cookie_pair(mallory, str(mallory_id))})
    assert r.status == 200 and r.json()["text"] == "Texte de Mallory."
    r = client.get(f"/id/{alice_id}?plain=1", headers={"Cookie": cookie_pair(alice, str(alice_id))})
    assert r.status == 200 and r.json()["text"] == "Texte en attente d’Alice."


def test_a_pending_comment_may_be_edited_a_published_one_not(moderated, uri):
    from comments import moderation

    client = moderated.client()
    created = client.new(uri, "Premier jet, en attente.")
    comment_id = created.json()["id"]
    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Second jet, en attente."},
                       headers={"Cookie": cookie_pair(created, str(comment_id))})
    assert r.status == 200
    assert moderation.approve(moderated.conf(), comment_id) is True

    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Texte jamais relu."},
                       headers={"Cookie": cookie_pair(r, str(comment_id))})
    assert r.status == 403
    assert r.json()["message"] == "Ce commentaire est déjà publié\u00a0: il ne peut plus être modifié. Vous pouvez en écrire un nouveau."
    assert thread_texts(client, uri) == ["<p>Second jet, en attente.</p>"]
    assert _mode(moderated.dbpath, comment_id) == (1, "Second jet, en attente.")


def _posted(moderated, sink, uri, text):
    """A new comment on `uri`: the client that posted it, the answer, its number and its e-mail's links."""
    client = moderated.client()
    answer = client.new(uri, text)
    number = answer.json()["id"]
    return client, answer, number, mailed_links(sink, moderated, number, text)


def test_a_moderation_link_signed_before_an_edit_is_refused(moderated, smtp_sink, uri):
    """The e-mail shows the first text; the commenter edits; the e-mail's links must not act on a text never read."""
    _, sink = smtp_sink
    client, created, comment_id, links = _posted(moderated, sink, uri, "Un avis tout à fait anodin.")
    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Texte que personne n’a relu."},
                       headers={"Cookie": cookie_pair(created, str(comment_id))})
    assert r.status == 200

    moderator = moderated.client(origin=moderated.base)
    page = _refused_link(moderator.get(links["activate"]))
    assert "Lien de modération périmé" in page and f"Le commentaire n°\u00a0{comment_id} a été écrit ou modifié" in page
    for action in ("activate", "delete"):
        _refused_link(moderator.post(links[action]))
    _refused_link(moderator.post(links["edit"], body='{"text": "Revu."}', headers={"Content-Type": "text/plain"}))
    assert _mode(moderated.dbpath, comment_id) == (2, "Texte que personne n’a relu.")
    assert thread_texts(client, uri) == []

    # The admin page shows the text as it is now and signs keys from then on.
    for _ in range(100):
        admin, key, signed_at = _admin_key(moderated, comment_id)
        if signed_at > _edited_at(moderated.dbpath, comment_id):
            break
        time.sleep(0.05)
    r = admin.post(f"/id/{comment_id}/activate/{key}")
    assert r.status == 200 and "Le commentaire est publié." in r.text
    assert thread_texts(client, uri) == ["<p>Texte que personne n’a relu.</p>"]


def _edited_at(dbpath, comment_id):
    con = sqlite3.connect(dbpath)
    try:
        return int(con.execute("SELECT modified FROM comments WHERE id = ?", (comment_id,)).fetchone()[0])
    finally:
        con.close()


def test_a_moderation_link_does_not_act_on_the_comment_that_took_a_deleted_ones_number(moderated, smtp_sink, uri):
    """Isso's ids have no AUTOINCREMENT: the next comment after the newest one is deleted gets its number."""
    _, sink = smtp_sink
    client, first, number, old = _posted(moderated, sink, uri, "Un premier avis, retiré ensuite.")
    r = client.request("DELETE", f"/id/{number}", headers={"Cookie": cookie_pair(first, str(number)),
                                                           "Content-Type": "application/json"})
    assert r.status == 200
    second = client.new(uri, "Un tout autre texte, que personne n’a lu.", author="Autre", email="autre@example.org")
    assert second.json()["id"] == number  # the number is given again

    moderator = moderated.client(origin=moderated.base)
    _refused_link(moderator.get(old["activate"]))
    _refused_link(moderator.post(old["activate"]))
    _refused_link(moderator.post(old["delete"]))
    assert _mode(moderated.dbpath, number) == (2, "Un tout autre texte, que personne n’a lu.")
    assert thread_texts(client, uri) == []


def test_a_moderation_link_for_another_comment_is_refused(moderated, smtp_sink, uri):
    """Isso acts on the number signed in the key, whatever the address says."""
    _, sink = smtp_sink
    client = moderated.client()
    one = client.new(uri, "Le commentaire que le lien nomme.").json()["id"]
    other = client.new(uri, "Celui dont la clé est utilisée.").json()["id"]
    links = mailed_links(sink, moderated, other, "Celui dont la clé est utilisée.")
    moderator = moderated.client(origin=moderated.base)
    for method in ("GET", "POST"):
        page = _refused_link(moderator.request(method, links["activate"].replace(f"/id/{other}/", f"/id/{one}/")))
        assert "Lien de modération non valable" in page
    _refused_link(moderator.post(f"/id/{one}/activate/pas-une-cle"))
    assert _mode(moderated.dbpath, one)[0] == _mode(moderated.dbpath, other)[0] == 2


@pytest.mark.parametrize(
    "signed_at, created, modified, deleted_at, refused",
    [
        (1000, 1000.9, None, None, False),  # the e-mail's key, signed just after the comment was stored
        (1005, 1000.9, None, None, False),  # the admin page's, later
        (999, 1000.2, None, None, True),  # signed before the comment existed: another one had the number
        (1000, 1000.2, 1003.5, None, True),  # signed before an edit
        (1003, 1000.2, 1003.5, None, True),  # the second of the edit: perhaps before it
        (1004, 1000.2, 1003.5, None, False),
        (1000, 1000.6, None, 1000.4, True),  # the second its number was deleted: perhaps the old comment's key
        (1001, 1000.6, None, 1000.4, False),
    ],
)
def test_which_moderation_keys_are_older_than_the_comment(signed_at, created, modified, deleted_at, refused):
    from comments.hardening import signed_before_last_change
    from comments.store import Comment

    assert signed_before_last_change(signed_at, Comment(2, "Texte.", created, modified), deleted_at) is refused
