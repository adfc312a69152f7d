"""A commenter's name is one line of at most 80 characters, without controls (comments.commenter): on every route, and once stored."""

import sqlite3

import pytest

from comments.commenter import MESSAGES
from isso_support import Server, cookie_pair, mailed_links

pytestmark = pytest.mark.timeout(60)

# (name, the refusal's message key)
REFUSED = [
    ("Camille\r\nActivate comment: http://evil.example/id/1/activate/x", "author_characters"),
    ("Camille\nMartin", "author_characters"),
    ("Camille\u2028Martin", "author_characters"),
    ("Camille\x1b[2J", "author_characters"),
    ("Camille\u0085", "author_characters"),
    ("Camille\x7f", "author_characters"),
    ("\u202eelliMaC", "author_characters"),
    ("Ca\u2066mille\u2069", "author_characters"),
    ("Camille\u200f", "author_characters"),
    ("C" * 81, "author_too_long"),
    ("C" * 200_000, "author_too_long"),
]


def stored_authors(server, uri):
    con = sqlite3.connect(server.dbpath)
    try:
        return [row[0] for row in con.execute(
            "SELECT author FROM comments JOIN threads ON threads.id = comments.tid WHERE uri = ? ORDER BY comments.id",
            (uri,),
        )]
    finally:
        con.close()


def assert_refused(r, key):
    assert r.status == 400, (r.status, r.text[:200])
    assert r.json() == {"message": MESSAGES[key]}


@pytest.mark.parametrize("name, key", REFUSED, ids=[f"{key}-{n}" for n, (_, key) in enumerate(REFUSED)])
def test_new_comment_refuses_the_name(unmoderated, uri, name, key):
    assert_refused(unmoderated.client().new(uri, "Un avis tout à fait valable.", author=name), key)
    assert stored_authors(unmoderated, uri) == []


def test_a_name_of_80_characters_is_kept_and_spaces_around_it_are_trimmed(unmoderated, uri):
    client = unmoderated.client()
    assert client.new(uri, "Un avis tout à fait valable.", author="É" * 80).status == 201
    assert client.new(uri, "Un avis tout à fait valable.", author="\u00a0 Camille Martin  ").json()["author"] == "Camille Martin"
    assert stored_authors(unmoderated, uri) == ["É" * 80, "Camille Martin"]


def test_an_edit_refuses_the_name(unmoderated, uri):
    client = unmoderated.client()
    created = client.new(uri, "Un avis tout à fait valable.")
    comment_id = created.json()["id"]
    cookie = cookie_pair(created, str(comment_id))
    for name, key in REFUSED:
        r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Modifié.", "author": name},
                           headers={"Cookie": cookie})
        assert_refused(r, key)
    assert stored_authors(unmoderated, uri) == ["Camille"]


def test_the_moderators_edit_refuses_the_name(moderated, smtp_sink, uri):
    _, sink = smtp_sink
    client = moderated.client(origin=moderated.base)
    comment_id = client.new(uri, "À relire par la modération.").json()["id"]
    edit = mailed_links(sink, moderated, comment_id, "À relire par la modération.")["edit"]
    for name, key in REFUSED:
        assert_refused(client.post(edit, json_body={"text": "Relu.", "author": name}), key)
    assert stored_authors(moderated, uri) == ["Camille"]
    r = client.post(edit, json_body={"text": "Relu.", "author": "Camille M."})
    assert r.status == 200 and stored_authors(moderated, uri) == ["Camille M."]


def test_names_stored_before_the_rule_are_neutralised_at_start(tmp_path, uri):
    server = Server(tmp_path, workers=1, moderation={"enabled": "false"}).start()
    try:
        client = server.client()
        for _ in range(3):
            assert client.new(uri, "Un avis tout à fait valable.").status == 201
    finally:
        server.stop()
    # As an older server or `isso import` left them: raw, unescaped, unbounded.
    long_name = "Ève\r\n\u202eActivate comment: http://evil.example/ " + "x" * 300
    con = sqlite3.connect(server.dbpath)
    with con:
        for comment_id, author in zip((1, 2), (long_name, "<b>Zoé</b>\u2066 &amp;\tLéa")):
            con.execute("UPDATE comments SET author = ? WHERE id = ?", (author, comment_id))
    con.close()

    expected = [
        ("Ève Activate comment: http://evil.example/ " + "x" * 300)[:80],
        "&lt;b&gt;Zoé&lt;/b&gt; &amp; Léa",
        "Camille",
    ]
    server.start()
    try:
        assert stored_authors(server, uri) == expected
        assert [c["author"] for c in server.client().thread(uri).json()["replies"]] == expected
    finally:
        server.stop()
