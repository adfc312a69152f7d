"""Thread addresses against the real server: only the site's own paths, on every route, in the database and on the admin page."""

import sqlite3
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from bench import gunicorn_server
from comments.hardening import MESSAGES
from isso_support import ADMIN_PASSWORD, cookie_pair, insert_as_isso_import, login, thread_texts, visitor

pytestmark = pytest.mark.timeout(60)


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
    """What the theme writes in the form's hidden uri (the script's thread too) and the baked comments plugin reads are the same site paths."""
    from bs4 import BeautifulSoup

    from plugins.baked_comments.baked_comments import thread_uri

    client = unmoderated.client()
    seen = []
    for page in sorted((prod_site / "chroniques").glob("*/index.html")):
        (thread,) = BeautifulSoup(page.read_text(), "html.parser").select("#discussion-formulaire input[name=uri]")
        address = thread["value"]
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
        insert_as_isso_import(tmp_path / "comments.db", address, ["https://exemple.fr/"])

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
