"""Edit cookies and moderation links against the real server: each acts on its own comment, as it was when signed."""

import sqlite3
import time

import pytest

from comments.hardening import MESSAGES
from isso_support import ADMIN_PASSWORD, admin_page_key, cookie_pair, login, mailed_links, thread_texts, visitor

pytestmark = pytest.mark.timeout(60)


def _mode(dbpath, comment_id):
    con = sqlite3.connect(dbpath)
    try:
        row = con.execute("SELECT mode, text FROM comments WHERE id = ?", (comment_id,)).fetchone()
    finally:
        con.close()
    return row


def _admin_key(server, comment_id):
    """The key the admin page signs for ``comment_id`` now, with the second it was signed in."""
    from itsdangerous import URLSafeTimedSerializer

    from comments import store

    admin = server.client(origin=server.base)
    session = cookie_pair(login(admin, ADMIN_PASSWORD, visitor()), "admin-session")
    page = admin.get("/admin/", headers={"Cookie": session}).text
    key = admin_page_key(page, comment_id)
    _, signed_at = URLSafeTimedSerializer(store.session_key(server.dbpath)).loads(key, return_timestamp=True)
    return admin, key, signed_at.timestamp()


def _refused_link(response):
    assert response.status == 403, (response.status, response.text)
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert '<html lang="fr">' in response.text and 'href="../../../admin/"' in response.text
    assert "rien n’a été fait" in response.text
    return response.text


def test_a_comment_is_shown_only_with_its_own_edit_cookie(moderated, uri):
    """Isso's GET /id/N took any validly signed cookie named N: renaming one's own showed another's pending text."""
    client = moderated.client()
    alice = client.new(uri, "Texte en attente d’Alice.", author="Alice", email="alice@example.org")
    mallory = client.new(uri, "Texte de Mallory.", author="Mallory", email="mallory@example.org")
    alice_id, mallory_id = alice.json()["id"], mallory.json()["id"]
    own = cookie_pair(mallory, str(mallory_id)).split("=", 1)[1]

    for cookie in (f"{alice_id}={own}", f"{alice_id}=", ""):
        r = client.get(f"/id/{alice_id}?plain=1", headers={"Cookie": cookie} if cookie else {})
        assert r.status == 403, (cookie, r.status, r.text)
        assert r.json()["message"] == MESSAGES["not_own_comment"]
        assert "Alice" not in r.text
    # Each commenter still reads back their own comment (what the embed script's edit does).
    r = client.get(f"/id/{mallory_id}?plain=1", headers={"Cookie": cookie_pair(mallory, str(mallory_id))})
    assert r.status == 200 and r.json()["text"] == "Texte de Mallory."
    r = client.get(f"/id/{alice_id}?plain=1", headers={"Cookie": cookie_pair(alice, str(alice_id))})
    assert r.status == 200 and r.json()["text"] == "Texte en attente d’Alice."


def test_a_pending_comment_may_be_edited_a_published_one_not(moderated, uri):
    from comments import moderation

    client = moderated.client()
    created = client.new(uri, "Premier jet, en attente.")
    comment_id = created.json()["id"]
    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Second jet, en attente."},
                       headers={"Cookie": cookie_pair(created, str(comment_id))})
    assert r.status == 200
    assert moderation.approve(moderated.conf(), comment_id) is True

    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Texte jamais relu."},
                       headers={"Cookie": cookie_pair(r, str(comment_id))})
    assert r.status == 403
    assert r.json()["message"] == "Ce commentaire est déjà publié\u00a0: il ne peut plus être modifié. Vous pouvez en écrire un nouveau."
    assert thread_texts(client, uri) == ["<p>Second jet, en attente.</p>"]
    assert _mode(moderated.dbpath, comment_id) == (1, "Second jet, en attente.")


def _posted(moderated, sink, uri, text):
    """A new comment on `uri`: the client that posted it, the answer, its number and its e-mail's links."""
    client = moderated.client()
    answer = client.new(uri, text)
    number = answer.json()["id"]
    return client, answer, number, mailed_links(sink, moderated, number, text)


def test_a_moderation_link_signed_before_an_edit_is_refused(moderated, smtp_sink, uri):
    """The e-mail shows the first text; the commenter edits; the e-mail's links must not act on a text never read."""
    _, sink = smtp_sink
    client, created, comment_id, links = _posted(moderated, sink, uri, "Un avis tout à fait anodin.")
    r = client.request("PUT", f"/id/{comment_id}", json_body={"text": "Texte que personne n’a relu."},
                       headers={"Cookie": cookie_pair(created, str(comment_id))})
    assert r.status == 200

    moderator = moderated.client(origin=moderated.base)
    page = _refused_link(moderator.get(links["activate"]))
    assert "Lien de modération périmé" in page and f"Le commentaire n°\u00a0{comment_id} a été écrit ou modifié" in page
    for action in ("activate", "delete"):
        _refused_link(moderator.post(links[action]))
    _refused_link(moderator.post(links["edit"], body='{"text": "Revu."}', headers={"Content-Type": "text/plain"}))
    assert _mode(moderated.dbpath, comment_id) == (2, "Texte que personne n’a relu.")
    assert thread_texts(client, uri) == []

    # The admin page shows the text as it is now and signs keys from then on.
    for _ in range(100):
        admin, key, signed_at = _admin_key(moderated, comment_id)
        if signed_at > _edited_at(moderated.dbpath, comment_id):
            break
        time.sleep(0.05)
    r = admin.post(f"/id/{comment_id}/activate/{key}")
    assert r.status == 200 and "Le commentaire est publié." in r.text
    assert thread_texts(client, uri) == ["<p>Texte que personne n’a relu.</p>"]


def _edited_at(dbpath, comment_id):
    con = sqlite3.connect(dbpath)
    try:
        return int(con.execute("SELECT modified FROM comments WHERE id = ?", (comment_id,)).fetchone()[0])
    finally:
        con.close()


def test_a_moderation_link_does_not_act_on_the_comment_that_took_a_deleted_ones_number(moderated, smtp_sink, uri):
    """Isso's ids have no AUTOINCREMENT: the next comment after the newest one is deleted gets its number."""
    _, sink = smtp_sink
    client, first, number, old = _posted(moderated, sink, uri, "Un premier avis, retiré ensuite.")
    r = client.request("DELETE", f"/id/{number}", headers={"Cookie": cookie_pair(first, str(number)),
                                                           "Content-Type": "application/json"})
    assert r.status == 200
    second = client.new(uri, "Un tout autre texte, que personne n’a lu.", author="Autre", email="autre@example.org")
    assert second.json()["id"] == number  # the number is given again

    moderator = moderated.client(origin=moderated.base)
    _refused_link(moderator.get(old["activate"]))
    _refused_link(moderator.post(old["activate"]))
    _refused_link(moderator.post(old["delete"]))
    assert _mode(moderated.dbpath, number) == (2, "Un tout autre texte, que personne n’a lu.")
    assert thread_texts(client, uri) == []


def test_a_moderation_link_for_another_comment_is_refused(moderated, smtp_sink, uri):
    """Isso acts on the number signed in the key, whatever the address says."""
    _, sink = smtp_sink
    client = moderated.client()
    one = client.new(uri, "Le commentaire que le lien nomme.").json()["id"]
    other = client.new(uri, "Celui dont la clé est utilisée.").json()["id"]
    links = mailed_links(sink, moderated, other, "Celui dont la clé est utilisée.")
    moderator = moderated.client(origin=moderated.base)
    for method in ("GET", "POST"):
        page = _refused_link(moderator.request(method, links["activate"].replace(f"/id/{other}/", f"/id/{one}/")))
        assert "Lien de modération non valable" in page
    _refused_link(moderator.post(f"/id/{one}/activate/pas-une-cle"))
    assert _mode(moderated.dbpath, one)[0] == _mode(moderated.dbpath, other)[0] == 2


@pytest.mark.parametrize(
    "signed_at, created, modified, deleted_at, refused",
    [
        (1000, 1000.9, None, None, False),  # the e-mail's key, signed just after the comment was stored
        (1005, 1000.9, None, None, False),  # the admin page's, later
        (999, 1000.2, None, None, True),  # signed before the comment existed: another one had the number
        (1000, 1000.2, 1003.5, None, True),  # signed before an edit
        (1003, 1000.2, 1003.5, None, True),  # the second of the edit: perhaps before it
        (1004, 1000.2, 1003.5, None, False),
        (1000, 1000.6, None, 1000.4, True),  # the second its number was deleted: perhaps the old comment's key
        (1001, 1000.6, None, 1000.4, False),
    ],
)
def test_which_moderation_keys_are_older_than_the_comment(signed_at, created, modified, deleted_at, refused):
    from comments.hardening import signed_before_last_change
    from comments.store import Comment

    assert signed_before_last_change(signed_at, Comment(2, "Texte.", created, modified), deleted_at) is refused
