"""A commenter's own data in a real database written by Isso's code: the signed link's verdicts, what is listed and erased, what is forgotten once it has served."""

import time

from isso import config
from isso.db import SQLite3

from comments import own_data, store
from comments.data_links import EXPIRED, FORGED, USED, DataLinks
from support import ROOT

URI = "/chroniques/la-juste-mesure/"
SECRET = b"a-test-secret-of-at-least-32-characters"


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


def database(tmp_path):
    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    path = tmp_path / "comments.db"
    conf.set("general", "dbpath", str(path))
    db = SQLite3(str(path), conf)
    db.threads.new(URI, "La juste mesure")
    store.prepare(path)
    return db, store.Store(path)


def add(db, text, email, parent=None, mode=1):
    return db.comments.add(URI, {"text": text, "author": "Camille", "email": email, "website": "https://camille.example",
                                 "parent": parent, "mode": mode, "remote_addr": "192.0.2.0"})["id"]


def test_a_link_is_good_once_until_its_end_and_only_as_signed(tmp_path):
    _, shared = database(tmp_path)
    clock = Clock()
    links = DataLinks(SECRET, shared, clock=clock)
    with shared.write_transaction() as con:
        row = links.issue(con, " Camille@Example.org")
    address, token = links.to_send(row)
    assert address == "camille@example.org"
    nonce, expires, mac = token.split(".")
    assert links.check(token) == "ok"
    assert links.check(f"{nonce}.{expires}.{mac[::-1]}") == FORGED
    assert links.check(f"{nonce}.{int(expires) + 3600}.{mac}") == FORGED
    assert DataLinks(b"another-secret-of-at-least-32-characters", shared, clock=clock).check(token) == FORGED
    verdict, session, owner = links.use(token)
    assert (verdict, owner) == ("ok", "camille@example.org") and links.session(session)[0] == owner
    assert links.use(token)[0] == USED and links.check(token) == USED and links.to_send(row) is None
    clock.now += links.lifetime
    assert links.check(token) == EXPIRED and links.session(session) is None


def test_what_has_served_is_forgotten_the_address_with_it(tmp_path):
    _, shared = database(tmp_path)
    clock = Clock()
    links = DataLinks(SECRET, shared, clock=clock)
    with shared.write_transaction() as con:
        links.issue(con, "camille@example.org")
        con.execute("INSERT INTO zohe_data_requests (key, at) VALUES ('client 192.0.2.1', ?)", (clock.now,))
    links.forget_ended()
    count = "SELECT (SELECT COUNT(*) FROM zohe_data_links), (SELECT COUNT(*) FROM zohe_data_requests)"
    assert shared.connection().execute(count).fetchone() == (1, 1)
    clock.now += links.lifetime
    links.forget_ended()
    assert shared.connection().execute(count).fetchone() == (0, 0)


def test_erasure_takes_every_comment_of_the_address_and_keeps_the_replies_of_others(tmp_path):
    db, shared = database(tmp_path)
    first = add(db, "Premier avis.", "camille@example.org")
    own_reply = add(db, "Je me réponds.", "CAMILLE@example.org", parent=first)
    other_reply = add(db, "Réponse de Pauline.", "pauline@example.org", parent=first)
    lone = add(db, "Un avis sans réponse.", "camille@example.org", mode=2)
    other = add(db, "Avis de Pauline.", "pauline@example.org")
    listed = own_data.comments_of(shared, "Camille@example.org ")
    assert [c["numéro"] for c in listed] == [first, own_reply, lone]
    assert [c["état"] for c in listed] == ["publié", "publié", "en attente de modération"]

    # One number that is not the address's is never touched.
    assert own_data.erase(shared, "camille@example.org", [other]) == []
    assert own_data.erase(shared, "camille@example.org") == [first, own_reply, lone]
    rows = dict((row[0], row[1:]) for row in shared.connection().execute(
        "SELECT id, mode, text, author, email, website, remote_addr FROM comments"))
    assert rows[first] == (4, "", None, None, None, "")
    assert set(rows) == {first, other_reply, other}
    assert own_data.comments_of(shared, "camille@example.org") == []

    # Pauline's reply erased too: the stub, with nothing left under it, goes (Isso's rule).
    assert own_data.erase(shared, "pauline@example.org", [other_reply]) == [other_reply]
    assert {row[0] for row in shared.connection().execute("SELECT id FROM comments")} == {other}


def test_nothing_of_its_author_stays_on_a_comment_deleted_under_replies_whoever_deletes_it(tmp_path):
    """Isso's own delete keeps the address, the IP and the voters' filter on the stub; the store's rule clears them, and prepare clears the stubs made before."""
    db, shared = database(tmp_path)
    first = add(db, "Premier avis.", "camille@example.org")
    add(db, "Réponse de Pauline.", "pauline@example.org", parent=first)
    db.comments.delete(first)  # as a moderator, or the commenter within Isso's edit window
    stub = "SELECT mode, text, author, email, website, remote_addr, notification, voters = zeroblob(256) FROM comments WHERE id = ?"
    assert shared.connection().execute(stub, (first,)).fetchone() == (4, "", None, None, None, "", 0, 1)

    # A stub from before the rule (the trigger dropped to make one): cleared at the next start.
    with shared.connection() as con:
        con.execute("DROP TRIGGER zohe_forget_deleted_author")
        con.execute("UPDATE comments SET email = 'camille@example.org', remote_addr = '192.0.2.0' WHERE id = ?", (first,))
    store.prepare(tmp_path / "comments.db")
    assert shared.connection().execute(stub, (first,)).fetchone() == (4, "", None, None, None, "", 0, 1)
