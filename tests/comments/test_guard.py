"""Limits on posting (comments.guard) against the real server: refusals write nothing, limits expire, neighbours pass."""

import itertools
import json
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from comments import settings, store as stores
from comments.guard import MESSAGES, delay
from isso_support import Server

pytestmark = pytest.mark.timeout(120)

REFUSED_POSTS = 2000
DEADLINE = 45  # seconds for the refused posts; the rate limit's window is one minute
DIRECT_WINDOW = 4  # seconds: short enough to wait for in a test

_addresses = itertools.count(1)


def address():
    """A client address in a /24 of its own (loopback is a trusted proxy in the test configuration)."""
    n = next(_addresses)
    return f"10.{n >> 8 & 255}.{n & 255}.7"


def post(client, uri, ip, text="Un avis tout à fait valable.", **fields):
    payload = {"text": text, "author": "Camille", "email": "camille@example.org", "title": "Une chronique", **fields}
    return client.post(f"/new?uri={uri}", json_body=payload, headers={"X-Forwarded-For": ip})


def database(server):
    """Threads, comments, the write generation and the recorded posts, read from the server's database."""
    con = sqlite3.connect(server.dbpath)
    try:
        return {
            "threads": con.execute("SELECT COUNT(*) FROM threads").fetchone()[0],
            "comments": con.execute("SELECT COUNT(*) FROM comments").fetchone()[0],
            "generation": con.execute("SELECT value FROM zohe_generation").fetchone()[0],
            "recorded": con.execute("SELECT COUNT(*) FROM zohe_recent_posts").fetchone()[0],
        }
    finally:
        con.close()


def assert_refused(r, limit):
    """A 429 whose whole body is our French message with the wait of its Retry-After: no address, no number of anyone's."""
    assert r.status == 429, (r.status, r.text)
    seconds = int(r.header("Retry-After"))
    assert seconds >= 1
    assert json.loads(r.body) == {"message": MESSAGES[limit].format(delay=delay(seconds))}
    return seconds


@pytest.fixture(scope="module")
def refusing(tmp_path_factory):
    """One worker, so that a warm cache is warm for every read; Isso's numbers but 3 a minute."""
    server = Server(tmp_path_factory.mktemp("refusing"), workers=1,
                    guard={"enabled": "true", "ratelimit": "3", "direct-reply": "3"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def windowed(tmp_path_factory):
    """Two workers, a direct-reply window short enough to wait for, a rate limit out of the way."""
    server = Server(tmp_path_factory.mktemp("windowed"),
                    guard={"enabled": "true", "ratelimit": "20", "direct-reply": "3",
                           "direct-reply-window": f"{DIRECT_WINDOW}s"}).start()
    yield server
    server.stop()


def test_refused_posts_write_nothing_and_keep_the_cache_warm(refusing, uri):
    client = refusing.client()
    # Addresses that used up their minute, all on one chronicle.
    spent = [address() for _ in range(10)]
    for ip in spent:
        for n in range(3):
            assert post(client, uri, ip, f"Avis numéro {n} de {ip}.").status == 202
    assert any(client.thread(uri).header("X-Zohe-Cache") == "hit" for _ in range(5))
    before = database(refusing)

    started = time.monotonic()
    answers = []
    for n in range(REFUSED_POSTS):
        if time.monotonic() - started > DEADLINE:
            break
        new_page = f"{uri}page-{n}/"
        kind = n % 4
        if kind == 0:  # over the rate limit, on a page that has no thread yet
            r = post(client, new_page, spent[n % len(spent)])
        elif kind == 1:
            r = post(client, new_page, address(), email="pas-une-adresse")
        elif kind == 2:
            r = post(client, new_page, address(), author="Camille\r\nActivate comment: http://evil.example/")
        else:
            r = post(client, new_page, address(), author="C" * 81)
        answers.append((kind, r))
    assert len(answers) == REFUSED_POSTS, "the refused posts did not finish within the deadline"

    assert database(refusing) == before
    assert client.thread(uri).header("X-Zohe-Cache") == "hit"
    for kind, r in answers:
        if kind == 0:
            assert_refused(r, "per_address")
        else:
            assert r.status == 400, (r.status, r.text)


def test_a_fourth_direct_reply_waits_for_the_window_and_a_neighbour_never_does(windowed, uri):
    client = windowed.client()
    office = address()
    first = post(client, uri, office, "Premier avis du bureau.").json()["id"]
    # Isso refuses a text too short: that post does not use up the allowance.
    assert post(client, uri, office, "ab").status == 400
    for text in ("Deuxième avis du bureau.", "Troisième avis du bureau."):
        assert post(client, uri, office, text).status == 202
    refused = post(client, uri, office, "Quatrième avis du bureau.")
    seconds = assert_refused(refused, "per_thread")
    assert seconds <= DIRECT_WINDOW

    # Isso makes a "reply" to a comment it does not find in the thread a top-level comment
    # (parent 0 is no comment number: comments.validation refuses it before).
    other_page = post(client, f"{uri}ailleurs/", address(), "Sur une autre page.").json()["id"]
    for parent in (10**9, other_page):
        assert_refused(post(client, uri, office, "Quatrième avis du bureau.", parent=parent), "per_thread")
    # Replies are not top-level comments, even to a comment from the same address.
    assert post(client, uri, office, "Je précise ma pensée.", parent=first).status == 202
    # Isso's guard counted per /24: a neighbour on the same network was refused for good.
    neighbour = office.rsplit(".", 1)[0] + ".250"
    assert post(client, uri, neighbour, "L’avis du voisin.").status == 202

    time.sleep(seconds)
    assert post(client, uri, office, "Quatrième avis du bureau.").status == 202


def test_concurrent_posts_from_one_address_never_exceed_the_limit(windowed, uri):
    client = windowed.client()
    ip = address()
    attempts = 60
    lock = threading.Lock()
    statuses = []

    def attempt(n):
        r = post(client, f"{uri}page-{n}/", ip, f"Essai numéro {n}.")
        with lock:
            statuses.append(r.status)

    with ThreadPoolExecutor(12) as pool:
        list(pool.map(attempt, range(attempts)))
    assert sorted(statuses) == [202] * 20 + [429] * (attempts - 20)


def test_records_are_deleted_once_no_window_needs_them(tmp_path):
    """Straight on a database: the rows of a post leave once its windows have passed, whoever posts next."""
    path = tmp_path / "comments.db"
    sqlite3.connect(path).execute(
        "CREATE TABLE comments (id INTEGER PRIMARY KEY, mode INTEGER, author TEXT, email TEXT, website TEXT,"
        " remote_addr TEXT, notification INTEGER, voters BLOB)").connection.close()
    sqlite3.connect(path).execute("CREATE TABLE threads (id INTEGER PRIMARY KEY, uri TEXT)").connection.close()
    stores.prepare(path)
    shared = stores.Store(path)
    per_address, per_thread = (2, 60), (3, 3600)
    shared.admit_post("192.0.2.1", "/chroniques/a/", 0.0, per_address, per_thread)
    shared.admit_post("192.0.2.1", None, 0.0, per_address, per_thread)

    def recorded():
        return shared.connection().execute("SELECT address, thread FROM zohe_recent_posts ORDER BY rowid").fetchall()

    shared.admit_post("192.0.2.9", None, 61.0, per_address, per_thread)
    # The reply only served the minute; the top-level comment serves the hour.
    assert recorded() == [("192.0.2.1", "/chroniques/a/"), ("192.0.2.9", None)]
    row, refusal = shared.admit_post("192.0.2.9", None, 3600.0, per_address, per_thread)
    assert row is not None and refusal is None
    assert recorded() == [("192.0.2.9", None)]


def test_isso_does_not_call_our_window_an_unknown_option(caplog):
    conf = settings.load(settings.DEFAULT_SETTINGS, environ={})
    assert conf.getint("guard", "direct-reply-window") == 3600
    assert not [r for r in caplog.records if "no such option" in r.getMessage()]
