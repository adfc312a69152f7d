"""400 concurrent new comments through 2 gunicorn workers: every answer is its own comment, none is lost."""

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from french_text import typeset
from isso_support import cookie_pair

pytestmark = pytest.mark.timeout(90)

CLIENTS = 16
COMMENTS = 400
DEADLINE = 60  # seconds for the whole load; the loop is bounded in count and time


def post_all(server, uri):
    client = server.client()
    started = time.monotonic()
    results = []
    lock = threading.Lock()

    def post(n):
        if time.monotonic() - started > DEADLINE:
            return
        author, text = f"Auteur {n}", f"Commentaire numéro {n} : unique."
        r = client.new(uri, text, author=author, email=f"auteur{n}@example.org")
        with lock:
            results.append((n, author, text, r))

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(post, range(COMMENTS)))
    return results


def test_every_answer_carries_its_own_comment(unmoderated, uri):
    results = post_all(unmoderated, uri)
    assert len(results) == COMMENTS, "load did not finish within the deadline"

    ids = set()
    for n, author, text, r in results:
        assert r.status == 201, (n, r.status, r.text)
        body = r.json()
        assert body["author"] == author, (n, body)
        # Isso's HTML with the site's typography ("numéro 3&#160;: unique."), as every answer has it.
        assert body["text"] == typeset(f"<p>{text}</p>"), (n, body)
        # The edit cookie is for this very comment.
        assert cookie_pair(r, str(body["id"])).startswith(f"{body['id']}=")
        ids.add(body["id"])
    assert len(ids) == COMMENTS

    con = sqlite3.connect(unmoderated.dbpath)
    (stored,) = con.execute(
        "SELECT COUNT(*) FROM comments JOIN threads ON threads.id = comments.tid WHERE threads.uri = ?", (uri,)
    ).fetchone()
    con.close()
    assert stored == COMMENTS
    assert unmoderated.client().post("/count", json_body=[uri]).json() == [COMMENTS]
