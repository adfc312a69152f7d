"""Thread reads and counts are served from the cache until a write of any kind, by any worker or by the command line."""

import time

import pytest

from comments import moderation
from isso_support import ADMIN_PASSWORD, SITE, admin_page_key, cookie_pair

pytestmark = pytest.mark.timeout(60)

# Two sync workers: reading until several hits in a row makes it likely that both hold
# the answer, so that a missed invalidation in either would show.
HITS_IN_A_ROW = 4
MAX_READS = 40


def warm(fetch):
    answers = []
    while len(answers) < MAX_READS:
        answers.append(fetch())
        tail = answers[-HITS_IN_A_ROW:]
        if len(tail) == HITS_IN_A_ROW and all(a.header("X-Zohe-Cache") == "hit" for a in tail):
            break
    assert all(a.status == 200 for a in answers)
    assert len({a.body for a in answers}) == 1
    assert answers[-1].header("X-Zohe-Cache") == "hit"
    return answers[-1]


def read(client, uri):
    """Read the thread until it comes from the cache; return the last answer."""
    return warm(lambda: client.thread(uri))


def count(client, uri):
    return warm(lambda: client.post("/count", json_body=[uri])).json()[0]


def texts(response):
    return [c["text"] for c in response.json()["replies"]]


def test_reads_are_cached_and_replay_cors_per_requester(unmoderated, uri):
    client = unmoderated.client()
    client.new(uri, "Premier.")
    first = read(client, uri)
    assert first.header("Access-Control-Allow-Origin") == SITE
    # A cached answer carries no cookie and the CORS origin Isso would give this requester
    # (read until a hit: the other worker may not hold the answer yet).
    again = warm(lambda: client.get(f"/?uri={uri}", headers={"Origin": "https://ailleurs.example"}))
    assert again.header("Access-Control-Allow-Origin") == SITE  # Isso's answer for unknown origins
    assert again.header("Set-Cookie") is None
    assert int(again.header("Content-Length")) == len(again.body) == len(first.body)


def test_new_comment_edit_and_delete_invalidate(unmoderated, uri):
    client = unmoderated.client()
    created = client.new(uri, "Premier jet.")
    comment_id = created.json()["id"]
    cookie = cookie_pair(created, str(comment_id))
    assert texts(read(client, uri)) == ["<p>Premier jet.</p>"]
    assert count(client, uri) == 1

    client.new(uri, "Un autre avis.")
    assert texts(client.thread(uri)) == ["<p>Premier jet.</p>", "<p>Un autre avis.</p>"]
    assert count(client, uri) == 2

    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Version revue."}, headers={"Cookie": cookie})
    assert r.status == 200
    assert texts(client.thread(uri))[0] == "<p>Version revue.</p>"
    read(client, uri)

    cookie = cookie_pair(r, str(comment_id))
    r = client.request("DELETE", f"/id/{comment_id}", headers={"Cookie": cookie, "Content-Type": "application/json"})
    assert r.status == 200
    assert texts(client.thread(uri)) == ["<p>Un autre avis.</p>"]
    assert count(client, uri) == 1


def test_votes_invalidate(unmoderated, uri):
    client = unmoderated.client()
    comment_id = client.new(uri, "Votez pour moi.").json()["id"]
    assert read(client, uri).json()["replies"][0]["likes"] == 0
    r = client.post(f"/id/{comment_id}/like", json_body={}, headers={"X-Forwarded-For": "203.0.113.7"})
    assert r.status == 200 and r.json()["likes"] == 1
    assert client.thread(uri).json()["replies"][0]["likes"] == 1
    read(client, uri)
    # Isso counts one vote per /24: another network.
    client.post(f"/id/{comment_id}/dislike", json_body={}, headers={"X-Forwarded-For": "192.0.2.8"})
    assert client.thread(uri).json()["replies"][0]["dislikes"] == 1


def moderation_key(server, comment_id):
    admin = server.client(origin=server.base)
    r = admin.post("/login/", body=f"password={ADMIN_PASSWORD}",
                   headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "192.0.2.50"})
    page = admin.get("/admin/", headers={"Cookie": cookie_pair(r, "admin-session")}).text
    return admin, admin_page_key(page, comment_id)


def let_the_deletions_second_end():
    """Isso gives a deleted number to the next comment on this shared server, and a link signed
    within the second of that deletion is refused as maybe older than it
    (comments.hardening.signed_before_last_change): other modules' mail links must not be."""
    time.sleep(1.01 - time.time() % 1)


def test_moderation_from_admin_page_invalidates(moderated, uri):
    client = moderated.client()
    keep = client.new(uri, "À valider.").json()["id"]
    drop = client.new(uri, "À refuser.").json()["id"]
    assert texts(read(client, uri)) == []
    assert count(client, uri) == 0

    admin, key = moderation_key(moderated, keep)
    assert admin.post(f"/id/{keep}/activate/{key}").status == 200
    assert texts(client.thread(uri)) == ["<p>À valider.</p>"]
    assert count(client, uri) == 1

    # Approving from the admin page then deleting from it: both show at once.
    read(client, uri)
    _, key = moderation_key(moderated, drop)
    assert admin.post(f"/id/{drop}/activate/{key}").status == 200
    read(client, uri)
    assert admin.post(f"/id/{drop}/delete/{key}").status == 200
    assert texts(client.thread(uri)) == ["<p>À valider.</p>"]
    let_the_deletions_second_end()


def test_command_line_moderation_invalidates(moderated, uri):
    """The CLI writes to the database behind the server's back; the triggers still move the generation."""
    client = moderated.client()
    comment_id = client.new(uri, "Validé en ligne de commande.").json()["id"]
    assert texts(read(client, uri)) == []
    assert count(client, uri) == 0

    assert moderation.approve(moderated.conf(), comment_id) is True
    assert texts(client.thread(uri)) == ["<p>Validé en ligne de commande.</p>"]
    assert count(client, uri) == 1

    read(client, uri)
    moderation.delete(moderated.conf(), comment_id)
    assert texts(client.thread(uri)) == []
    assert count(client, uri) == 0
    let_the_deletions_second_end()


def test_errors_and_other_queries_are_not_mixed_up(unmoderated, uri):
    client = unmoderated.client()
    client.new(uri, "Un.")
    client.new(uri, "Deux.")
    read(client, uri)
    limited = client.get(f"/?uri={uri}&limit=1")
    assert len(limited.json()["replies"]) == 1
    assert len(client.thread(uri).json()["replies"]) == 2
    assert client.get(f"/?uri={uri}&sort=n%27importe").status == 400
    assert client.post("/count", json_body=[uri, "/inconnu/"]).json() == [2, 0]
