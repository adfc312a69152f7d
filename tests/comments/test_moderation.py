"""Moderation end to end: pending comments stay hidden until a moderator approves them by e-mail link or command line."""

import contextlib
import os
import re
import sqlite3
import subprocess
import sys

import pytest
from invoke import Context

from comments import moderation, settings, tasks
import isso_support
from isso_support import SITE, Server

pytestmark = pytest.mark.timeout(60)


def counts(client, *uris):
    return client.post("/count", json_body=list(uris)).json()


def mail_about(sink, comment_id, text):
    """The message, delete and activate links of the moderation e-mail about ``comment_id`` saying ``text``."""
    message, links = isso_support.mail_about(sink, comment_id, text)
    return message, links["delete"], links["activate"]


def visible_ids(client, uri):
    return [c["id"] for c in client.thread(uri).json()["replies"]]


def path_of(link, server):
    assert link.startswith(server.base + "/"), link
    return link[len(server.base):]


def confirm(server, link):
    """What the confirmation page does: the moderator's browser GETs the link, then POSTs it from that page."""
    client = server.client(origin=server.base)
    page = client.get(path_of(link, server))
    assert page.status == 200 and '<html lang="fr">' in page.text
    assert "ce commentaire\u202f?" in page.text and '<form method="post">' in page.text
    return client.post(path_of(link, server), headers={"Referer": link})


def test_pending_comment_is_hidden_until_approved_by_email_link(moderated, smtp_sink, uri):
    _, sink = smtp_sink
    client = moderated.client()

    r = client.new(uri, "Merci pour cette chronique.", author="Léa", email="lea@example.org")
    assert r.status == 202
    comment_id = r.json()["id"]
    assert r.json()["mode"] == 2
    assert visible_ids(client, uri) == []
    assert counts(client, uri) == [0]

    message, _, activate = mail_about(sink, comment_id, "Merci pour cette chronique.")
    assert "moderation@zohe.test" in message["To"]
    assert "Merci pour cette chronique." in message.get_content()

    r = confirm(moderated, activate)
    assert r.status == 200 and "Le commentaire est publié." in r.text
    assert visible_ids(client, uri) == [comment_id]
    assert counts(client, uri) == [1]


def test_email_delete_link_removes_comment(moderated, smtp_sink, uri):
    _, sink = smtp_sink
    client = moderated.client()
    kept = client.new(uri, "Je reste en attente.").json()["id"]
    doomed = client.new(uri, "Je serai supprimé.").json()["id"]

    _, delete, _ = mail_about(sink, doomed, "Je serai supprimé.")
    r = confirm(moderated, delete)
    assert r.status == 200 and "Le commentaire est supprimé." in r.text

    pending_ids = [p.id for p in moderation.pending(moderated.conf())]
    assert kept in pending_ids and doomed not in pending_ids


def test_command_line_lists_approves_and_deletes(moderated, uri, capsys, monkeypatch):
    monkeypatch.setenv("ISSO_SETTINGS", str(moderated.config))
    client = moderated.client()
    first = client.new(uri, "Premier avis, en *attente*.", author="Zoé & Cie", email="zoe@example.org").json()["id"]
    second = client.new(uri, "Second avis, à supprimer.").json()["id"]

    tasks.pending(Context())
    listing = capsys.readouterr().out
    assert f"#{first}" in listing and f"#{second}" in listing
    assert "Zoé & Cie <zoe@example.org>" in listing  # shown as typed, not HTML-escaped
    assert uri in listing and "Une chronique" in listing
    assert "Premier avis, en *attente*." in listing
    assert visible_ids(client, uri) == []

    tasks.approve(Context(), str(first))
    assert "publié" in capsys.readouterr().out
    assert visible_ids(client, uri) == [first]
    assert counts(client, uri) == [1]

    tasks.delete(Context(), str(second))
    assert "supprimé" in capsys.readouterr().out
    remaining = [p.id for p in moderation.pending(moderated.conf())]
    assert first not in remaining and second not in remaining
    assert visible_ids(client, uri) == [first]

    with pytest.raises(SystemExit, match="Aucun commentaire"):
        tasks.approve(Context(), "999999")
    with pytest.raises(SystemExit, match="Numéro de commentaire invalide"):
        tasks.delete(Context(), "--help")


# What a hostile commenter sends to rewrite the moderator's terminal: hide the rest of the
# line (ESC [8m), move up and erase a line, clear the screen, the same through a C1 CSI
# (0x9b), a raw carriage return, a bell, bidi overrides that reverse what follows, and a
# line break in the author that would forge a comment's heading.
HOSTILE_AUTHOR = "Lucie\x1b[8m\u202e\n#1 — Faux"
HOSTILE_TITLE = "\x1b[2J\x1b[HAucun commentaire en attente de modération."
HOSTILE_TEXT = "ACHETEZ\x1b[1A\x1b[2K\rMerci\x07 \x9b2J \u2066caché\u2069 \u200fgauche"


def test_pending_shows_terminal_controls_as_visible_escapes(moderated, uri, capsys, monkeypatch):
    monkeypatch.setenv("ISSO_SETTINGS", str(moderated.config))
    client = moderated.client()
    r = client.new(uri, HOSTILE_TEXT, author="Lucie", email="lucie@example.org", title=HOSTILE_TITLE)
    assert r.status == 202
    hostile = r.json()["id"]
    # The server refuses such a name (comments.commenter); an `isso import` run beside it stores it.
    with contextlib.closing(sqlite3.connect(moderated.dbpath)) as con, con:
        con.execute("UPDATE comments SET author = ? WHERE id = ?", (HOSTILE_AUTHOR, hostile))
    stored = [item for item in moderation.pending(moderated.conf()) if item.id == hostile]
    assert [(item.author, item.title, item.text) for item in stored] == [(HOSTILE_AUTHOR, HOSTILE_TITLE, HOSTILE_TEXT)]

    tasks.pending(Context())
    listing = capsys.readouterr().out
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", listing)
    block = listing[listing.index(f"#{hostile} "):].split("\n\n")[0].splitlines()
    assert block[0] == f"#{hostile} — \\x1b[2J\\x1b[HAucun commentaire en attente de modération. ({uri})"
    assert block[1].startswith("  Lucie\\x1b[8m\\u202e\\n#1 — Faux <lucie@example.org>, le ")
    assert block[2:] == ["  | ACHETEZ\\x1b[1A\\x1b[2K\\rMerci\\x07 \\x9b2J \\u2066caché\\u2069 \\u200fgauche"]


def test_a_comment_pending_for_years_outlives_isso_purge(tmp_path, uri):
    """Isso purges pending comments older than [moderation] purge-after when it starts: a late moderator loses none."""
    server = Server(tmp_path / "server", workers=1).start()
    try:
        r = server.client().new(uri, "J’attendrai.")
        assert r.status == 202
        waiting = r.json()["id"]
    finally:
        server.stop()
    con = sqlite3.connect(server.dbpath)
    with con:
        con.execute("UPDATE comments SET created = created - ? WHERE id = ?", (10 * 365 * 86400, waiting))
    con.close()

    server.start()  # comments.wsgi returns once Isso's purge thread has done its first pass
    try:
        assert waiting in [item.id for item in moderation.pending(server.conf())]
    finally:
        server.stop()
    assert "purge thread still busy" not in (server.directory / "server.log").read_text()


def invoke(*arguments, env):
    """A moderator's command in a process of its own, with only ``env`` set: its exit status and what it printed."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *arguments], cwd=settings.REPO_ROOT,
        env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("command", [["comments.pending"], ["comments.approve", "1"], ["comments.delete", "1"]])
def test_commands_refuse_a_database_that_does_not_exist(tmp_path, command):
    """A mistyped ZOHE_COMMENTS_DB used to create an empty database and report nothing to moderate."""
    absent = tmp_path / "comentaires" / "comments.db"
    r = invoke(*command, env={"ZOHE_COMMENTS_DB": str(absent)})
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (
        f"Base de commentaires introuvable\u00a0: {absent}. Rien n’a été créé. Indiquez la base du serveur "
        "avec ZOHE_COMMENTS_DB, ou le fichier de configuration qui la nomme avec ISSO_SETTINGS.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_commands_refuse_a_settings_file_that_does_not_exist(tmp_path):
    mistyped = tmp_path / "isso.cgf"
    r = invoke("comments.pending", env={"ISSO_SETTINGS": str(mistyped)})
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"Fichier de configuration d’Isso introuvable\u00a0: {mistyped} (nommé par ISSO_SETTINGS).\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content, reason", [
    (b"Des notes, pas une base.\n", "{} n’est pas une base SQLite"),
    (None, "{} n’est pas une base de commentaires d’Isso"),  # SQLite, but no table of Isso's
])
def test_the_wrong_file_named_as_the_database_is_named_and_said_why(tmp_path, content, reason):
    """What SQLite reports is read from its result code (sqlite_errorcode), not from its English words."""
    database = tmp_path / "comments.db"
    if content is None:
        sqlite3.connect(database).execute("CREATE TABLE notes (text)").connection.close()
    else:
        database.write_bytes(content)
    r = invoke("comments.pending", env={"ZOHE_COMMENTS_DB": str(database)})
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"Liste impossible\u00a0: {reason.format(database)}.\n"


@contextlib.contextmanager
def read_only(path):
    """``path``, a file or a folder, made read-only for this process: chmod for a user, the immutable attribute for root."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True, capture_output=True)


def test_a_read_only_database_is_listed_and_approving_in_it_says_why_not(tmp_path, uri, capsys, monkeypatch):
    server = Server(tmp_path / "server", workers=1).start()
    try:
        waiting = server.client().new(uri, "Lu, pas écrit.").json()["id"]
    finally:
        server.stop()
    database = server.dbpath
    # As a server that stopped cleanly leaves it: its last connection removed -wal and -shm.
    sqlite3.connect(database).execute("SELECT COUNT(*) FROM comments").connection.close()
    monkeypatch.setenv("ISSO_SETTINGS", str(server.config))

    # A read-only folder first (SQLite cannot make the -shm file there), then a read-only file.
    for locked, reason in ((database.parent, f"impossible d’ouvrir la base {database}, ou d’écrire dans son dossier"),
                           (database, f"la base {database} est en lecture seule")):
        with read_only(locked):
            tasks.pending(Context())
            assert f"#{waiting} — Une chronique ({uri})" in capsys.readouterr().out
            with pytest.raises(SystemExit) as refused:
                tasks.approve(Context(), str(waiting))
        # A message, not a number: Python prints it, without a traceback, and exits with status 1.
        assert refused.value.code.startswith(f"Publication du commentaire n°\u00a0{waiting} impossible\u00a0: {reason}")
    assert [item.id for item in moderation.pending(server.conf())] == [waiting]


def test_a_head_of_a_mail_link_decides_nothing(moderated, smtp_sink, uri):
    """werkzeug routes HEAD to Isso's GET view, which took any method but GET for the decision."""
    _, sink = smtp_sink
    client = moderated.client()
    comment_id = client.new(uri, "Un scanner de liens passe par là.").json()["id"]
    _, delete, activate = mail_about(sink, comment_id, "Un scanner de liens passe par là.")
    for link in (activate, delete):
        r = moderated.client(origin=None).request("HEAD", path_of(link, moderated))
        assert r.status == 405 and r.header("Allow") == "GET, POST"
    assert [p.id for p in moderation.pending(moderated.conf()) if p.id == comment_id] == [comment_id]


def test_the_confirmation_page_shows_the_whole_text_escaped(moderated, smtp_sink, uri):
    _, sink = smtp_sink
    text = "<script>alert(1)</script> & *gras*\n\nSecond paragraphe."
    comment_id = moderated.client().new(uri, text, author="<b>Zoé</b>").json()["id"]
    _, _, activate = mail_about(sink, comment_id, "Second paragraphe.")
    page = moderated.client().get(path_of(activate, moderated)).text
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; *gras*</p><p>Second paragraphe.</p>" in page
    assert "<strong>&lt;b&gt;Zoé&lt;/b&gt;</strong>" in page and "<script" not in page
    assert f'href="{SITE}{uri}"' in page and '<form method="post"><button type="submit">Publier</button></form>' in page
