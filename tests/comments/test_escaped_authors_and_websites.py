"""Authors and websites as the real server gives them back: escaped, and never a script link, even when imported."""

import sqlite3

import pytest

from isso_support import ADMIN_PASSWORD, cookie_pair, insert_as_isso_import, login, visitor

pytestmark = pytest.mark.timeout(60)


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


IMPORTED_WEBSITES = ["javascript:alert(document.cookie)", "  JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
                     "\tjavascript:alert(1)", "https://exemple.fr/?a=1&b=2"]


def test_imported_websites_are_no_script_links_on_the_admin_page(moderated, uri):
    from bs4 import BeautifulSoup

    insert_as_isso_import(moderated.dbpath, uri, IMPORTED_WEBSITES)
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
    insert_as_isso_import(tmp_path / "comments.db", uri, IMPORTED_WEBSITES)
    store.prepare(tmp_path / "comments.db")
    con = sqlite3.connect(tmp_path / "comments.db")
    websites = [row[0] for row in con.execute("SELECT website FROM comments ORDER BY id")]
    con.close()
    assert websites == [None, None, None, None, "https://exemple.fr/?a=1&b=2"]


# Thread addresses ----------------------------------------------------------------
