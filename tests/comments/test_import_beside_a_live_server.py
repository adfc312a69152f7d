"""The import may run while the comment server takes comments: every reader's answer is still their own comment."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
import threading
import time

import pytest

from french_words import TIMEZONE
from isso_support import Server
from wordpress import comments as wordpress_comments
from wordpress.export import Comment, Item

pytestmark = pytest.mark.timeout(180)

LIVE = "/chroniques/en-direct/"
POSTS = 240
IMPORTED_ITEMS = 20_000  # bounds the import; it stops as soon as the posts are done
DEADLINE = 90  # seconds for the posts


def item(number):
    """A WordPress post with one approved comment, as wordpress.export reads it."""
    return Item(id=str(number), title="Importée", link="", type="post", status="publish", slug=f"importee-{number}",
                author="admin", date_gmt=None, date_local=None, password="", content="", excerpt="", parent="0",
                attachment_url="", comments=[Comment(
                    id=str(number), author="Importé", email="wp@example.org", url="", content=f"importé {number}",
                    date_gmt=datetime(2020, 1, 1, tzinfo=timezone.utc), date_local=None, approved="1", type="comment", parent="0")])


def test_readers_posting_during_an_import_get_their_own_comment_back(tmp_path):
    with Server(tmp_path / "isso") as server:
        done, imported, failures = threading.Event(), [], []

        def run_import():
            connection = wordpress_comments.open_database(server.dbpath)
            try:
                for number in range(IMPORTED_ITEMS):
                    if done.is_set():
                        break
                    wordpress_comments.import_comments(connection, item(number), "/chroniques/importee/", TIMEZONE)
                    imported.append(number)
            except Exception as failure:  # reported below, in the test's own thread
                failures.append(failure)
            finally:
                connection.close()

        def post(n):
            marker = f"lecteur-{n:04d}-fin"
            r = server.client().post(f"/new?uri={LIVE}", headers={"X-Forwarded-For": f"10.8.{n // 250}.{n % 250 + 1}"},
                                     json_body={"text": f"Mon avis {marker}", "author": "Lecteur",
                                                "email": "lecteur@example.org", "title": "En direct"})
            assert r.status == 202, r.text
            return marker, r.json()

        importer = threading.Thread(target=run_import)
        importer.start()
        started = time.monotonic()
        try:
            with ThreadPoolExecutor(4) as pool:
                answers = list(pool.map(post, range(POSTS)))
        finally:
            done.set()
            importer.join(30)
        assert failures == [] and not importer.is_alive()
        assert time.monotonic() - started < DEADLINE
        assert len(imported) > 10, "the import ran beside the posts"
        wrong = [(marker, answer["id"], answer["text"]) for marker, answer in answers if marker not in answer["text"]]
        assert wrong == [], f"{len(wrong)} of {POSTS} answers carried another comment: {wrong[:3]}"
