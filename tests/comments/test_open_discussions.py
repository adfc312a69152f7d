"""The comment server takes a new comment only for a discussion the built site shows a form for, under the site's title (comments.discussions)."""

import json
from pathlib import Path
import re
import sqlite3
from urllib.parse import urlencode

from bs4 import BeautifulSoup
import pytest

from comments.discussions import CLOSED
from deploy import releases
import open_discussions
from isso_support import SITE, Server, visitor
from support import chronicle_text, thread_comments
from publish.build import build

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
OPEN, OTHER = "/chroniques/ouverte/", "/chroniques/autre/"
TITLE = "L’été\u202f? Une chronique ouverte"


def payload(text="Un avis tout à fait valable.", title="Une chronique", **fields):
    return {"text": text, "author": "Camille", "email": "camille@example.org", "title": title, **fields}


def titles_of_threads(dbpath):
    con = sqlite3.connect(dbpath)
    try:
        return dict(con.execute("SELECT uri, title FROM threads"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def site_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    open_discussions.write(root, {OPEN: TITLE, OTHER: "Une autre"})
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory, site_root):
    started = Server(tmp_path_factory.mktemp("open"), env={"ZOHE_SITE_ROOT": str(site_root)},
                     guard={"enabled": "true"}).start()
    yield started
    started.stop()


def test_a_listed_discussion_takes_the_comment_under_the_sites_title_whatever_the_post_says(server):
    r = server.client().post(f"/new?uri={OPEN}", json_body=payload(title="Gagnez un iPhone ici"),
                             headers={"X-Forwarded-For": "10.9.0.1"})
    assert r.status == 202, r.text
    assert titles_of_threads(server.dbpath)[OPEN] == TITLE
    assert [mode for _, mode in thread_comments(server.dbpath, OPEN, "comments.id, mode")] == [2]


@pytest.mark.parametrize("uri", ["/chroniques/fermee/", "/chroniques/nexiste-pas/", "/mentions-legales/"])
def test_an_address_the_site_offers_no_form_for_is_refused_in_french_and_stores_nothing(server, uri):
    before = titles_of_threads(server.dbpath)
    r = server.client().post(f"/new?uri={uri}", json_body=payload(), headers={"X-Forwarded-For": "10.9.0.2"})
    assert r.status == 403, r.text
    assert r.header("Content-Language") == "fr" and json.loads(r.body) == {"message": CLOSED}
    assert titles_of_threads(server.dbpath) == before


def test_the_form_without_javascript_tells_the_reader_and_keeps_the_text(server):
    text = "Mon avis sur une discussion close, que je ne veux pas perdre."
    fields = {"uri": "/chroniques/fermee/", "title": "Fermée", "text": text, "author": "Camille",
              "email": "camille@example.org", "website": ""}
    r = server.client(SITE).post("/formulaire", body=urlencode(fields), headers={**FORM, **visitor()}, origin=SITE)
    assert r.status == 403, r.text
    page = BeautifulSoup(r.text, "html.parser")
    assert CLOSED in page.select_one("#discussion-erreurs").get_text()
    assert page.select_one("#discussion-text").get_text() == text


def test_a_refused_post_uses_up_none_of_the_readers_allowance(server):
    address = {"X-Forwarded-For": "10.9.0.3"}
    for _ in range(5):  # more than [guard] ratelimit (2 a minute) would let through
        assert server.client().post("/new?uri=/chroniques/fermee/", json_body=payload(), headers=address).status == 403
    assert server.client().post(f"/new?uri={OTHER}", json_body=payload(), headers=address).status == 202


def test_a_new_publication_is_read_at_once(tmp_path, site_root):
    root = tmp_path / "site"
    root.mkdir()
    open_discussions.write(root, {OPEN: TITLE})
    with Server(tmp_path / "isso", env={"ZOHE_SITE_ROOT": str(root)}, workers=2) as server:
        client = server.client()
        assert client.post(f"/new?uri={OPEN}", json_body=payload(), headers={"X-Forwarded-For": "10.9.1.1"}).status == 202
        # The discussion is closed by the next build; every worker sees the new list.
        open_discussions.write(root, {})
        for n in range(4):
            r = client.post(f"/new?uri={OPEN}", json_body=payload(), headers={"X-Forwarded-For": f"10.9.1.{n + 2}"})
            assert r.status == 403, r.text


@pytest.mark.parametrize("content", [None, b"{pas du json", json.dumps({"version": 99, "open": {}}).encode()])
def test_without_a_readable_list_every_address_is_taken_and_the_log_says_why(tmp_path, content):
    root = tmp_path / "site"
    root.mkdir()
    if content is not None:
        (root / open_discussions.FILE).write_bytes(content)
    with Server(tmp_path / "isso", env={"ZOHE_SITE_ROOT": str(root)}, workers=1) as server:
        r = server.client().post("/new?uri=/chroniques/nimporte/", json_body=payload(),
                                 headers={"X-Forwarded-For": "10.9.2.1"})
        assert r.status == 202, r.text
        log = (server.directory / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "no list of open discussions" in log and "comments are taken for every address" in log


# The build's side: the list is what the pages offer.

def form_targets(output):
    """{uri: title} of every form the built chronicles show, read from the pages themselves."""
    found = {}
    for page in Path(output).glob("chroniques/*/index.html"):
        form = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("form.discussion__form")
        if form:
            found[form.select_one("[name=uri]")["value"]] = form.select_one("[name=title]")["value"]
    return found


def test_the_build_lists_exactly_the_discussions_whose_page_shows_the_form(content, tmp_path):
    folder = content / "chroniques"
    (folder / "ouverte.md").write_text(chronicle_text("Ouverte.", title="L’été : bilan ?", slug="ouverte"), encoding="utf-8")
    for slug, line in [("close", "Comments: closed"), ("sans", "Comments: off"), ("brouillon", "Status: draft"),
                       ("cachee", "Status: hidden")]:
        text = chronicle_text(f"{slug}.", title=f"Chronique {slug}", slug=slug).replace("Slug:", f"{line}\nSlug:")
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    output = build(output=tmp_path / "output", overrides={"PATH": str(content)})
    listed = json.loads((output / open_discussions.FILE).read_text(encoding="utf-8"))
    assert listed["version"] == open_discussions.VERSION
    assert listed["open"] == form_targets(output)
    assert listed["open"]["/chroniques/ouverte/"] == "L’été\u00a0: bilan\u202f?"
    assert "/chroniques/cachee/" in listed["open"]
    assert not {"/chroniques/close/", "/chroniques/sans/", "/chroniques/brouillon/"} & set(listed["open"])


def test_the_shipped_settings_point_the_comment_server_at_the_site_nginx_serves():
    from support import ROOT

    env = dict(line.split("=", 1) for line in (ROOT / "deploy" / "systemd" / "comments.env.example")
               .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    roots = re.findall(r"^\s*root\s+(\S+);", (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8"), re.M)
    assert env["ZOHE_SITE_ROOT"] in roots
    assert env["ZOHE_SITE_ROOT"].endswith("/" + releases.CURRENT)


@pytest.mark.parametrize("path", ["//new", "///new"])
def test_a_doubled_slash_meets_every_check_isso_s_router_would_skip(server, path):
    """Isso's router reads //new as /new; nginx merges the slashes, another proxy might not."""
    from comments.validation import MESSAGES

    client = server.client(origin=None)
    closed = client.post(f"{path}?uri=/chroniques/fermee/", json_body=payload(), headers={"X-Forwarded-For": "10.9.3.1"})
    assert closed.status == 403 and json.loads(closed.body) == {"message": CLOSED}
    listed = client.post(f"{path}?uri={OPEN}", body=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert listed.status == 400 and json.loads(listed.body) == {"message": MESSAGES["object_required"]}
