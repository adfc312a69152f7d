"""Approved comments, and only those, are baked into the built chronicle, its listings and its feed."""

import contextlib
from datetime import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from xml.etree import ElementTree

from babel.dates import format_date
from bs4 import BeautifulSoup
import pytest

from bench.weight import CRITICAL_BUDGET, TOTAL_BUDGET, page_weight
from support import PROD_SITEURL, ROOT, build_prod, environment

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


def test_the_comment_feed_speaks_french_typography(site):
    root = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    assert root.findtext(f"{ATOM}title") == "Commentaires\u00a0: La juste mesure"
    assert root.findtext(f"{ATOM}subtitle") == "Les réponses approuvées à «\u202fLa juste mesure\u202f»"
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert titles[0] == "Pauline sur «\u202fLa juste mesure\u202f»"
    assert all(title.endswith(" sur «\u202fLa juste mesure\u202f»") for title in titles)


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


@pytest.mark.parametrize("named", [None, "ailleurs/commentaires.db"])
def test_the_build_and_the_comment_server_find_one_database(monkeypatch, named):
    """One default and one reader of ZOHE_COMMENTS_DB (comments_database), for the preview's build and its server."""
    from baked_comments.settings import get_settings
    from comments import settings

    if named:
        monkeypatch.setenv("ZOHE_COMMENTS_DB", named)
    else:
        monkeypatch.delenv("ZOHE_COMMENTS_DB", raising=False)
    server = settings.dbpath(settings.load(settings.DEFAULT_SETTINGS, create_folder=False))
    assert get_settings({})["database"] == server == ROOT / (named or "var/comments.db")


def test_a_build_without_comments_imports_neither_the_comment_server_nor_isso(tmp_path):
    """The build finds and reads the database through comments_database; Isso renders only comments there are."""
    program = (
        "import sys; from publish.build import build; "
        f"build(output={str(tmp_path / 'output')!r}, overrides={{'BAKED_COMMENTS': {{'database': {str(tmp_path / 'none.db')!r}}}}}); "
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('isso', 'comments')))"
    )
    r = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


@contextlib.contextmanager
def read_only_directory(path):
    """`path` made read-only for this process: chmod for a user, the immutable attribute for root."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make a directory read-only as root here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_wal_database_in_a_read_only_directory_is_read(tmp_path):
    """As zohe-refresh.service sees /var/lib/zohe while the comment server is stopped."""
    from approved_comments import fingerprint

    from comments import store

    folder = tmp_path / "zohe"
    folder.mkdir()
    database = folder / "comments.db"
    make_isso_database(database)
    store.prepare(database)  # what the live server does: the file is in WAL mode
    expected = fingerprint(database)
    # A stopped server: its last connection to close (here, this one) removed -wal and -shm.
    store.prepare(database)
    assert sorted(p.name for p in folder.iterdir()) == ["comments.db"]
    with read_only_directory(folder):
        # The failure this guards against: SQLite cannot create the -shm file.
        with pytest.raises(sqlite3.OperationalError):
            sqlite3.connect(f"file:{database}?mode=ro", uri=True).execute("SELECT 1 FROM comments").fetchall()
        output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
        assert fingerprint(database) == expected
    assert _thread(output).select_one(".discussion__count").get_text() == "4 réponses"
    assert sorted(p.name for p in folder.iterdir()) == ["comments.db"]


def test_an_approval_during_the_build_leaves_the_pages_due_for_a_rebuild(tmp_path, monkeypatch):
    """The digest written beside the pages is that of the comments they show, not of a later read.

    A moderator approves a comment after the build has read the comments and before it
    writes the digest: the pages lack it, so the digest must differ from the database's,
    or deploy.refresh would never bake it in.
    """
    from approved_comments import FINGERPRINT_FILE, fingerprint
    import baked_comments.baked_comments as plugin

    database = tmp_path / "comments.db"
    db = make_isso_database(database)
    (waiting,) = [row[0] for row in db.execute("SELECT id FROM comments WHERE mode = 2").fetchall()]
    before = fingerprint(database)
    bake = plugin.bake

    def bake_then_approve(generator):
        bake(generator)
        db.comments.activate(waiting)  # Isso's own code, as the approve link or comments.approve

    # register() connects the module's `bake` when the build starts.
    monkeypatch.setattr(plugin, "bake", bake_then_approve)
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})

    assert db.comments.get(waiting)["mode"] == 1
    assert _thread(output).select_one(f"#isso-{waiting}") is None
    written = (output / FINGERPRINT_FILE).read_text(encoding="utf-8").strip()
    assert written == before
    assert written != fingerprint(database)


def test_text_is_rendered_with_the_servers_own_configuration_file(tmp_path):
    """ISSO_SETTINGS names the server's file (comments/wsgi.py): the build renders with the same one."""
    import configparser

    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ROOT / "comments" / "isso.cfg")
    conf["markup.mistune"] = {"plugins": "", "parameters": "escape"}  # no ~~strikethrough~~
    with open(tmp_path / "isso.cfg", "w") as handle:
        conf.write(handle)
    database = tmp_path / "comments.db"
    db = make_isso_database(database)
    comment = db.comments.add(URI, {
        "text": "Une ~~idée~~ barrée.", "author": "Zoé", "email": "zoe@exemple.fr", "website": None,
        "parent": None, "mode": 1, "remote_addr": "127.0.0.0", "created": time.time(),
    })
    with environment(ISSO_SETTINGS=str(tmp_path / "isso.cfg")):
        output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
    text = _thread(output).select_one(f"#isso-{comment['id']} .isso-text")
    assert text.decode_contents() == "<p>Une ~~idée~~ barrée.</p>"


# The page itself: what a reader sees without JavaScript.

APPROVED_TEXTS = ["Un premier avis.", "Une réponse à Pauline.", "Réponse au message supprimé."]
NEVER_SHOWN = ["En attente de modération", "Ce message sera supprimé", "Attente", "Supprime"]
FRENCH_DATE = re.compile(
    r"^\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$"
)


def _page(site, path="chroniques/la-juste-mesure/index.html"):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def _thread(site):
    return _page(site).select_one("#isso-thread")


def _tree(element):
    """[(id, [replies...]), ...] of the comments directly under `element`."""
    return [
        (comment["id"], _tree(comment.select_one(":scope > .isso-follow-up")))
        for comment in element.select(":scope > .isso-comment")
    ]


def test_the_page_shows_exactly_the_approved_comments_in_thread_order(site):
    thread = _thread(site)
    # Replies nested under their parent, oldest first; the deleted comment that has an
    # approved reply stays as an empty stub holding it, exactly as Isso's script shows it.
    assert _tree(thread.select_one("#isso-root")) == [
        ("isso-1", [("isso-2", [])]),
        ("isso-4", [("isso-5", [])]),
        ("isso-6", []),
    ]
    authors = [a.get_text() for a in thread.select(".isso-author")]
    assert authors == ["Pauline", "Jean", "Anonyme", "Orphelin", '<b onmouseover="alert(1)">Hacker</b>']
    text = thread.get_text()
    for approved in APPROVED_TEXTS:
        assert text.count(approved) == 1, approved
    for hidden in NEVER_SHOWN:
        assert hidden not in text, hidden
    stub = thread.select_one("#isso-4")
    assert stub.select_one(".isso-note").get_text() == "Réponse supprimée."
    assert stub.select_one(":scope > .isso-text-wrapper > .isso-text").get_text() == "\u00a0"
    assert thread.select_one(".discussion__count").get_text() == "4 réponses"
    # Never a .isso-postbox: Isso would then not insert its form.
    assert thread.select(".isso-postbox") == []


def test_replies_isso_never_shows_are_not_baked(tmp_path):
    """Replies to pending, purged or nested comments: the page holds exactly the tree Isso's API returns."""
    import urllib.request

    from bench.gunicorn_server import Gunicorn, free_port, write_config

    port = free_port()
    config = write_config(tmp_path, port)
    db = make_isso_database(tmp_path / "comments.db")
    now = time.time()

    def add(text, parent=None, mode=1, created=now):
        return db.comments.add(URI, {
            "text": text, "author": "Lectrice", "email": "l@exemple.fr", "website": None,
            "parent": parent, "mode": mode, "remote_addr": "127.0.0.0", "created": created,
        })["id"]

    purged = add("En attente depuis longtemps.", mode=2, created=now - 40 * 86400)
    add("Réponse à un commentaire purgé.", parent=purged, created=now - 39 * 86400)
    db.comments.purge(30 * 86400)  # what Isso's purge thread does: the reply stays, its parent goes
    waiting = add("En attente.", mode=2)
    add("Réponse à un commentaire en attente.", parent=waiting)
    kept = add("Supprimé, avec une réponse en attente.")
    add("Réponse en attente.", parent=kept, mode=2)
    db.comments.delete(kept)  # a reply refers to it: Isso keeps a deleted stub
    nested = add("Réponse directe.", parent=1)
    # Isso's own code re-parents a reply to a reply; `isso import` writes it as given.
    db.execute("UPDATE comments SET parent = ? WHERE id = ?", (nested, add("Réponse à une réponse.")))

    with Gunicorn(tmp_path, port, config, workers=1, env={"ISSO_ADMIN_PASSWORD": "baked-test-password"}) as server:
        with urllib.request.urlopen(f"{server.base}/?uri={URI}", timeout=30) as answer:
            api = json.load(answer)["replies"]
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": tmp_path / "comments.db"})

    def api_tree(comments):
        return [(f"isso-{c['id']}", api_tree(c.get("replies", []))) for c in comments]

    baked = _tree(_thread(output).select_one("#isso-root"))
    assert baked == api_tree(api)
    assert f"isso-{kept}" in [comment for comment, _ in baked]
    text = _thread(output).get_text()
    for hidden in ("Réponse à un commentaire purgé.", "Réponse à un commentaire en attente.", "Réponse à une réponse."):
        assert hidden not in text


def test_baked_comments_use_isso_markup_with_permalinks_and_french_dates(site):
    thread = _thread(site)
    for comment in thread.select(".isso-comment"):
        wrapper = comment.select_one(":scope > .isso-text-wrapper")
        header, body, footer = wrapper.find_all(recursive=False)
        assert header["class"] == ["isso-comment-header"]
        assert body["class"] == ["isso-text"] and footer["class"] == ["isso-comment-footer"]
        assert [c["class"][0] for c in header.find_all(recursive=False)] == [
            "isso-author", "isso-spacer", "isso-permalink", "isso-note"
        ]
        permalink = header.select_one("a.isso-permalink")
        assert permalink["href"] == "#" + comment["id"]
        time = permalink.select_one("time")
        created = datetime.fromisoformat(time["datetime"])
        assert created.utcoffset() is not None
        assert time.get_text() == format_date(created, "d MMMM y", locale="fr_FR")
        assert FRENCH_DATE.match(time.get_text()), time.get_text()
        assert comment.select_one(":scope > .isso-follow-up") is not None
    assert thread.select_one("#isso-1 .isso-text").decode_contents() == "<p>Un <strong>premier</strong> avis.</p>"


def test_baked_comments_are_inert(site):
    thread = _thread(site)
    hacker = thread.select_one("#isso-6")
    # The hostile name is shown as text, and its javascript: website is no link.
    assert hacker.select_one(".isso-author").name == "span"
    assert "<b" in hacker.select_one(".isso-author").get_text()
    assert thread.find("script") is None and thread.find("img", src=True) is None
    for tag in thread.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src", "action", "formaction"):
            assert not tag.get(attr, "").strip().lower().startswith(("javascript:", "data:")), tag


def test_the_discussion_links_its_comment_feed_and_says_how_to_take_part(site):
    page = _page(site)
    link = page.select_one(".discussion__feed a")
    assert link.get_text() == "Suivre les réponses (Atom)"
    assert link["href"] == f"{PROD_SITEURL}{URI}commentaires.atom.xml"
    assert "activez JavaScript" in page.select_one(".discussion noscript").get_text()
    # Isso's script comes after ours: deferred scripts run in document order.
    scripts = [s["src"] for s in page.select(".discussion script[src]")]
    assert re.search(r"/js/discussion(\.[0-9a-f]+)?\.js$", scripts[0]) and scripts[1].endswith("/js/embed.min.js")


def test_json_ld_lists_the_approved_comments(site):
    page = _page(site)
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["commentCount"] == 4
    assert [c["@id"] for c in data["comment"]] == [f"{PROD_SITEURL}{URI}#isso-{i}" for i in (1, 2, 5, 6)]
    assert [c["author"]["name"] for c in data["comment"]] == APPROVED_AUTHORS
    assert data["comment"][0]["text"] == "Un premier avis."
    assert all(c["@type"] == "Comment" and c["dateCreated"] for c in data["comment"])


LISTINGS = {
    "index.html": "a.card__replies",
    "categories/les-chroniques-de-zohe/index.html": "a.card__replies",
    "archives/index.html": "a.count",
}


@pytest.mark.parametrize("path, selector", LISTINGS.items())
def test_listings_take_their_counts_from_the_build(site, path, selector):
    html = (site / path).read_text(encoding="utf-8")
    counts = {a["href"]: a.find(string=True) for a in BeautifulSoup(html, "html.parser").select(selector)}
    assert counts[f"{PROD_SITEURL}{URI}#discussion"] == "4 réponses"
    assert counts[f"{PROD_SITEURL}/chroniques/quelle-est-votre-promesse/#discussion"] == "0 réponse"
    # A reader's browser asks the comment server nothing to show a count.
    assert "embed.min.js" not in html and "/isso" not in html


def test_pelicans_feeds_end_each_chronicle_with_its_count(site):
    for name, content_tag in (("chroniques.atom.xml", f"{ATOM}content"), ("chroniques.rss.xml", "description")):
        root = ElementTree.parse(site / "feeds" / name).getroot()
        items = root.findall(f"{ATOM}entry") or root.findall("channel/item")
        by_link = {}
        for item in items:
            link = item.find(f"{ATOM}link")
            by_link[link.get("href") if link is not None else item.findtext("link")] = item.findtext(content_tag)
        assert by_link[f"{PROD_SITEURL}{URI}"].endswith(
            f'<p>Discussion\u00a0: <a href="{PROD_SITEURL}{URI}#discussion">4 réponses</a></p>'
        ), name
        assert by_link[f"{PROD_SITEURL}/chroniques/quelle-est-votre-promesse/"].endswith(">0 réponse</a></p>"), name
    # The page itself is not changed by it.
    assert "Discussion\u00a0:" not in _page(site).select_one(".prose").get_text()


def test_no_comments_yet_says_so(tmp_path):
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": tmp_path / "absent.db"})
    thread = _thread(output)
    assert thread.select_one(".discussion__count").get_text() == "Aucune réponse pour l’instant"
    assert thread.select(".isso-comment") == []
    assert thread.select_one("#isso-root") is not None


# Budgets with a long discussion.

def _long_discussion(path, count=50):
    """A thread of `count` approved comments, one in three a reply, each a paragraph or two."""
    db = make_isso_database(path)
    start = time.time() - 86400
    parent = None
    for n in range(count - 4):  # make_isso_database already holds 4 approved
        text = (
            f"Réponse numéro {n}. Ce que vous dites de la juste mesure me parle : "
            "nous avons, nous aussi, appris à dire non à des clients pressés. "
            f"Le **temps long** est une promesse qu’on tient ensemble.\n\nDeuxième paragraphe {n * 7}."
        )
        comment = db.comments.add(URI, {
            "text": text, "author": f"Lectrice {n}", "email": f"l{n}@exemple.fr", "website": None,
            "parent": parent if n % 3 else None, "mode": 1, "remote_addr": "127.0.0.0",
            "created": start + 10 * n,
        })
        if n % 3 == 0:
            parent = comment["id"]


def _without_comment_text(html):
    """The page with each baked comment's text, and its copy in the JSON-LD, emptied.

    The issue excepts the text itself from the critical budget, not the markup, the
    authors, dates, links or CSS around it: weighing this page is weighing the built one
    minus the brotli size its comment texts add.
    """
    html, found = re.subn(r'(<div class="isso-text">).*?(</div>)', r"\1\2", html, flags=re.S)
    assert found >= 50
    html, found = re.subn(r'("@type": "Comment", .*?"text": )"(?:[^"\\]|\\.)*"', r'\1""', html)
    assert found >= 50
    return html


def test_budgets_hold_with_fifty_baked_comments(tmp_path):
    database = tmp_path / "comments.db"
    _long_discussion(database)
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
    page = output / "chroniques/la-juste-mesure/index.html"
    html = page.read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").select_one(".discussion__count").get_text() == "50 réponses"
    stripped = page.with_name("sans-texte.html")
    stripped.write_text(_without_comment_text(html), encoding="utf-8")

    comments_url = PROD_SITEURL + "/isso"
    whole = page_weight(output, str(page.relative_to(output)), siteurl=PROD_SITEURL, exclude=(comments_url,))
    weight = page_weight(output, str(stripped.relative_to(output)), siteurl=PROD_SITEURL, exclude=(comments_url,))
    # The measure sees the stylesheet and our script; the text really was a part of the page.
    assert any(f.endswith(".css") for f in weight.files) and any(re.search(r"discussion[.\w]*\.js$", f) for f in weight.files)
    assert whole.critical["brotli"] - weight.critical["brotli"] > 500
    assert weight.critical["brotli"] <= CRITICAL_BUDGET, weight
    assert weight.total["brotli"] <= TOTAL_BUDGET, weight


# A comment as a reader posts it: through Isso's API, which stores author and website escaped.

def _post(base, uri, payload):
    import urllib.request

    request = urllib.request.Request(
        f"{base}/new?uri={uri}", data=json.dumps(payload).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


@pytest.fixture(scope="module")
def posted(tmp_path_factory):
    """A site baked from a database a real comment server wrote, and that server's answer for the thread."""
    import urllib.request

    from bench.gunicorn_server import Gunicorn, free_port, write_config

    base = tmp_path_factory.mktemp("posted")
    port = free_port()
    config = write_config(base, port, moderation={"enabled": "false"})
    with Gunicorn(base, port, config, workers=1, env={"ISSO_ADMIN_PASSWORD": "baked-test-password"}) as server:
        _post(server.base, URI, {
            "text": "Merci pour ce texte.", "author": "Jean & Marie <3", "email": "jm@exemple.fr",
            "website": "https://exemple.fr/?a=1&b=2", "title": "La juste mesure",
        })
        with urllib.request.urlopen(f"{server.base}/?uri={URI}", timeout=30) as answer:
            api = json.load(answer)["replies"][0]
    return build_prod(base / "output", BAKED_COMMENTS={"database": base / "comments.db"}), api


def test_a_comment_posted_through_the_api_is_escaped_once(posted):
    site, api = posted
    # What Isso's script shows: the API's author as HTML, its website as an href.
    shown_author = BeautifulSoup(api["author"], "html.parser").get_text()
    shown_website = BeautifulSoup(f'<a href="{api["website"]}">', "html.parser").a["href"]
    assert (shown_author, shown_website) == ("Jean & Marie <3", "https://exemple.fr/?a=1&b=2")

    author = _thread(site).select_one(f"#isso-{api['id']} .isso-author")
    assert author.decode_contents() == api["author"]
    assert author.get_text() == shown_author
    assert author["href"] == shown_website

    data = json.loads(_page(site).select_one('script[type="application/ld+json"]').string)
    assert [c["author"]["name"] for c in data["comment"]] == [shown_author]
    feed = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == shown_author
    assert entry.find(f"{ATOM}title").text.startswith(f"{shown_author} sur ")
