"""Approved comments, and only those, are baked into the built chronicle, its listings and its feed."""

import shutil
import time
from xml.etree import ElementTree

from bs4 import BeautifulSoup
import pytest

from support import PROD_SITEURL, ROOT, build_prod

ATOM = "{http://www.w3.org/2005/Atom}"
URI = "/chroniques/la-juste-mesure/"
HOSTILE_TEXT = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> '
    "[clic](javascript:alert(1)) ![i](data:text/html,<script>alert(1)</script>)"
)


def make_isso_database(path):
    """An Isso database written by Isso's own code: approved, pending, deleted and hostile comments."""
    from isso import config
    from isso.db import SQLite3

    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(path))
    db = SQLite3(str(path), conf)
    db.threads.new(URI, "La juste mesure")
    start = time.time() - 3600

    def add(text, author, parent=None, mode=1, website=None, offset=0):
        comment = db.comments.add(
            URI,
            {
                "text": text,
                "author": author,
                "email": f"{author.lower()[:5]}@exemple.fr",
                "website": website,
                "parent": parent,
                "mode": mode,
                "remote_addr": "127.0.0.0",
                "created": start + offset,
            },
        )
        return comment["id"]

    first = add("Un **premier** avis.", "Pauline", offset=1)
    add("Une réponse à Pauline.", "Jean", parent=first, offset=2)
    add("En attente de modération.", "Attente", mode=2, offset=3)
    doomed = add("Ce message sera supprimé.", "Supprime", offset=4)
    add("Réponse au message supprimé.", "Orphelin", parent=doomed, offset=5)
    db.comments.delete(doomed)  # has a reply: Isso keeps it as mode 4
    add(HOSTILE_TEXT, '<b onmouseover="alert(1)">Hacker</b>', website="javascript:alert(1)", offset=6)
    return db


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("baked")
    database = base / "comments.db"
    make_isso_database(database)
    return build_prod(base / "output", BAKED_COMMENTS={"database": database})


APPROVED_AUTHORS = ["Pauline", "Jean", "Orphelin", '<b onmouseover="alert(1)">Hacker</b>']


def test_the_comment_feed_holds_exactly_the_approved_comments_in_order(site):
    root = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    authors = [entry.find(f"{ATOM}author/{ATOM}name").text for entry in entries]
    assert authors == APPROVED_AUTHORS
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert all(link.startswith(f"{PROD_SITEURL}{URI}#isso-") for link in links)


def test_baked_text_is_inert(site):
    root = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    for entry in root.findall(f"{ATOM}entry"):
        html = BeautifulSoup(entry.find(f"{ATOM}content").text, "html.parser")
        assert html.find("script") is None
        for tag in html.find_all(True):
            assert not [a for a in tag.attrs if a.startswith("on")], tag
            for attr in ("href", "src"):
                assert not tag.get(attr, "").lower().startswith(("javascript:", "data:")), tag


def test_a_missing_database_means_no_comments_yet(tmp_path):
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": tmp_path / "absent.db"})
    root = ElementTree.parse(output / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    assert root.findall(f"{ATOM}entry") == []


def test_the_database_is_opened_read_only(tmp_path):
    database = tmp_path / "comments.db"
    make_isso_database(database)
    database.chmod(0o444)
    before = database.read_bytes()
    build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comments.db", "output"]
