"""A reader's comment reads the same, French typography included, in the baked page, its feed and every answer of the comment server."""

import html
from xml.etree import ElementTree

from isso_support import Server, cookie_pair
from support import ATOM, URI, baked_page, build_prod

TYPED = (
    "Vraiment ? Oui !\n\n"
    "« bien », dit-elle : c'est ça.\n\n"
    "Tapez `ls ; echo ok !` puis :\n\n"
    "    if x : print('a ? b !')\n"
)


def test_a_comment_is_the_same_typeset_html_in_the_page_the_feed_and_the_api(tmp_path):
    # One worker: the second read is then its cached answer (each worker caches its own).
    server = Server(tmp_path / "server", workers=1, moderation={"enabled": "false"}).start()
    try:
        client = server.client()
        posted = client.new(URI, TYPED, author="Camille")
        assert posted.status in (200, 201), posted.text
        comment_id = posted.json()["id"]
        first_read = client.thread(URI)
        second_read = client.thread(URI)  # served from comments.cache
        own = {"Cookie": cookie_pair(posted, str(comment_id))}
        by_id = client.get(f"/id/{comment_id}", headers=own)
        plain = client.get(f"/id/{comment_id}?plain=1", headers=own)
        edited = client.request("PUT", f"/id/{comment_id}", json_body={"text": TYPED}, headers=own)
        preview = client.post("/preview", json_body={"text": TYPED})
        output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": server.dbpath})
    finally:
        server.stop()

    text = posted.json()["text"]
    assert second_read.header("X-Zohe-Cache") == "hit"
    assert [r.json()["replies"][0]["text"] for r in (first_read, second_read)] == [text, text]
    assert by_id.json()["text"] == text
    assert edited.json()["text"] == text
    assert preview.json()["text"] == text

    # French typography on the reader's words; the code they quoted, inline or as a block, untouched.
    read = html.unescape(text)
    assert "<p>Vraiment\u202f? Oui\u202f!</p>" in read
    assert "<p>«\u202fbien\u202f», dit-elle\u00a0: c’est ça.</p>" in read
    assert "<code>ls ; echo ok !</code> puis\u00a0:" in read
    assert "<pre><code>if x : print('a ? b !')" in read
    # What the commenter typed, as the edit form gets it back: as typed.
    assert plain.json()["text"] == TYPED

    # The page bakes exactly the HTML the server answers, and so does the comment feed.
    page = (output / URI.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'<div class="isso-text">{text}</div>' in page
    assert baked_page(output).select_one(f"#isso-{comment_id} .isso-text") is not None
    feed = ElementTree.parse(output / URI.strip("/") / "commentaires.atom.xml").getroot()
    assert [entry.findtext(f"{ATOM}content") for entry in feed.findall(f"{ATOM}entry")] == [text]
