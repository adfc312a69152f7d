"""The spam filter end to end: real gunicorn, the JSON API, a real SMTP sink, the moderators' commands run as processes.

Posts here carry neither the form's token nor a proof of work: the "filtered" server runs
with ``require-evidence = false`` so that its content rules, learned score and bursts are
what is under test; the last test's server holds such a post, as production does.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from comments import moderation, settings
from isso_support import ADMIN_PASSWORD, Server, cookie_pair, free_port, login, mailed_links, visitor

pytestmark = pytest.mark.timeout(120)

SPAM_ON = {"enabled": "true", "require-evidence": "false", "thread-burst": "3"}
LINKS = "Regardez https://a.example/1, https://b.example/2 et https://c.example/3 pour tout savoir."


@pytest.fixture(scope="module")
def filtered(tmp_path_factory, smtp_sink):
    port, _ = smtp_sink
    server = Server(
        tmp_path_factory.mktemp("spam"), spam=SPAM_ON, general={"notify": "smtp"},
        smtp={"host": "127.0.0.1", "port": port, "security": "none", "to": "moderation@zohe.test"},
    ).start()
    yield server
    server.stop()


def invoke(server, *arguments):
    """A moderator's command in a process of its own, on the server's configuration: (exit status, output)."""
    r = subprocess.run(
        [sys.executable, "-m", "invoke", *arguments], cwd=settings.REPO_ROOT, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "ISSO_SETTINGS": str(server.config)}, timeout=60,
    )
    return r.returncode, r.stdout + r.stderr


def post(server, uri, text, **extra):
    r = server.client().post(f"/new?uri={uri}", json_body={
        "text": text, "author": "Camille", "email": "camille@example.org", "title": "Une chronique", **extra,
    }, headers=visitor())
    assert r.status == 202, r.text
    return r


def held_ids(server):
    con = sqlite3.connect(server.dbpath)
    try:
        return {row[0] for row in con.execute("SELECT id FROM zohe_held")}
    finally:
        con.close()


def pending_ids(server):
    return {item.id for item in moderation.pending(server.conf())}


def mailed_texts(sink):
    with sink.arrived:
        return [m.get_content() for _, m in sink.messages]


def test_links_hold_a_comment_apart_unmailed_listed_then_approved_with_one_command(filtered, smtp_sink, uri):
    _, sink = smtp_sink
    spam = post(filtered, uri, LINKS + " spam-links").json()
    honest = post(filtered, uri, "Une lecture juste, merci.").json()
    assert set(spam) == set(honest)  # the same answer: a bot learns nothing
    mailed_links(sink, filtered, honest["id"], "Une lecture juste")  # mailed as before
    assert spam["id"] in held_ids(filtered) and honest["id"] not in held_ids(filtered)
    assert spam["id"] not in pending_ids(filtered) and honest["id"] in pending_ids(filtered)
    assert not any("spam-links" in text for text in mailed_texts(sink))

    status, out = invoke(filtered, "comments.spam")
    assert status == 0, out
    assert f"#{spam['id']} — Une chronique ({uri})" in out
    assert "score 1\u00a0: 3 liens" in out and "spam-links" in out

    assert invoke(filtered, "comments.spam-approve", str(spam["id"])) == (0, f"Publiés\u00a0: n°\u00a0{spam['id']}.\n".replace("Publiés", "Publié"))
    assert spam["id"] not in held_ids(filtered)
    assert spam["text"] in [c["text"] for c in filtered.client().thread(uri).json()["replies"]]


def test_blocked_domain_holds_until_unblocked(filtered, uri):
    assert invoke(filtered, "comments.block", "domaine", "https://www.Pilules.example/") == (0, "Ajouté à la liste de blocage\u00a0: domaine pilules.example.\n")
    held = post(filtered, uri, "Voyez https://shop.pilules.example/promo").json()
    assert held["id"] in held_ids(filtered)
    assert "domaine bloqué «\u00a0pilules.example\u00a0»" in invoke(filtered, "comments.spam")[1]
    assert invoke(filtered, "comments.blocked") == (0, "domaine pilules.example\n")
    assert invoke(filtered, "comments.unblock", "domaine", "pilules.example") == (0, "Retiré de la liste de blocage\u00a0: domaine pilules.example.\n")
    assert post(filtered, uri, "Voyez https://shop.pilules.example/promo encore").json()["id"] not in held_ids(filtered)
    assert invoke(filtered, "comments.block", "domaine", "localhost") == (
        1, "Rien n’a changé\u00a0: «\u00a0localhost\u00a0» n’est pas un nom de domaine\u202f; écrivez-le comme exemple.com.\n")


def test_a_burst_on_one_thread_holds_the_excess_and_refuses_no_one(filtered, uri):
    ids = [post(filtered, uri, f"Avis numéro {n} sur la chronique.").json()["id"] for n in range(5)]
    assert [i in held_ids(filtered) for i in ids] == [False, False, False, True, True]


def test_learned_score_changes_after_moderators_decisions(filtered, smtp_sink, uri):
    _, sink = smtp_sink
    words = "zorblax quintrel vendez zorblax"
    con = sqlite3.connect(filtered.dbpath)
    before = dict(con.execute("SELECT verdict, documents FROM zohe_spam_lessons"))
    for n in range(3):
        spam = post(filtered, uri, f"{words} {n}").json()
        honest = post(filtered, uri, f"Une belle chronique, numéro {n}.").json()
        if n == 0:  # through the e-mail links' pages: Isso's signals
            spam_links = mailed_links(sink, filtered, spam["id"], f"{words} {n}")
            assert filtered.client().post(spam_links["delete"], origin=None).status == 200
            honest_links = mailed_links(sink, filtered, honest["id"], f"numéro {n}.")
            assert filtered.client().post(honest_links["activate"], origin=None).status == 200
        else:  # on the command line
            assert invoke(filtered, "comments.delete", str(spam["id"]))[0] == 0
            assert invoke(filtered, "comments.approve", str(honest["id"]))[0] == 0
    after = dict(con.execute("SELECT verdict, documents FROM zohe_spam_lessons"))
    assert (after["spam"] - before["spam"], after["ham"] - before["ham"]) == (3, 3)
    assert con.execute("SELECT spam, ham FROM zohe_spam_words WHERE token = 'zorblax'").fetchone() == (6, 0)
    con.close()
    again = post(filtered, uri, words).json()
    assert again["id"] in held_ids(filtered)
    assert "score appris" in invoke(filtered, "comments.spam")[1]


def test_bulk_delete_of_held_loses_no_pending_comment(filtered, uri):
    held = [post(filtered, uri, LINKS + f" bulk {n}").json()["id"] for n in range(2)]
    honest = post(filtered, uri, "Je reviendrai lire la suite.").json()["id"]
    assert invoke(filtered, "comments.spam-delete", "douze")[0] == 1
    status, out = invoke(filtered, "comments.spam-delete", f"{held[0]},{honest}")
    assert status == 1 and f"n°\u00a0{honest} ne désigne aucun commentaire retenu" in out
    assert set(held) <= held_ids(filtered)  # nothing deleted
    status, out = invoke(filtered, "comments.spam-delete", "tous")
    assert status == 0 and "supprimés." in out, out
    assert held_ids(filtered) == set() and honest in pending_ids(filtered)
    assert invoke(filtered, "comments.spam") == (0, "Aucun commentaire retenu comme indésirable.\n")


def test_daily_summary_names_held_comments_at_most_once_a_day(filtered, smtp_sink, uri):
    _, sink = smtp_sink
    held = post(filtered, uri, LINKS + " summary").json()["id"]
    status, out = invoke(filtered, "comments.spam-summary")
    assert status == 0 and "mis dans la file d’envoi" in out, out
    # A worker looks at the outbox each minute (comments.mail.POLL_INTERVAL), or at once
    # when a comment of its own is queued: the summary leaves with the next mail.
    post(filtered, uri, "Une remarque honnête qui réveille l’envoi.")
    _, message = sink.wait_for(lambda to, m: "retenu" in m["Subject"] and f"n°\u00a0{held}," in m.get_content())
    assert "summary" not in message.get_content()  # never the spam's text
    assert "3 liens" in message.get_content() and "invoke comments.spam-delete tous" in message.get_content()
    # Decided since: the next day's summary still waits for its day.
    assert invoke(filtered, "comments.spam-delete", "tous")[0] == 0
    post(filtered, uri, LINKS + " summary again")
    assert invoke(filtered, "comments.spam-summary") == (0, "Pas de résumé\u00a0: le dernier a moins d’un jour.\n")


def test_json_api_without_evidence_is_held_with_the_same_answer(tmp_path, uri):
    """Production's policy: no token from the form, no proof from the script: held, and told 202 like a reader.

    No SMTP server listens: a mail queued for it would stay in the outbox, retried.
    """
    server = Server(
        tmp_path, spam={"enabled": "true"}, general={"notify": "smtp"},
        smtp={"host": "127.0.0.1", "port": free_port(), "security": "none", "to": "moderation@zohe.test"},
    ).start()
    try:
        bot = post(server, uri, "Un texte sans rien de suspect, mais sans preuve.").json()
        assert bot["mode"] == 2 and bot["id"] in held_ids(server) and bot["id"] not in pending_ids(server)
        assert "ni jeton du formulaire ni preuve de travail valable" in invoke(server, "comments.spam")[1]
        # The mail is queued in the answer's request, before the answer: there is none.
        con = sqlite3.connect(server.dbpath)
        assert con.execute("SELECT COUNT(*) FROM zohe_outbox").fetchone() == (0,)
        con.close()
    finally:
        server.stop()


def test_the_daily_task_forgets_addresses_past_their_window(filtered):
    """The limits on posting deleted an address only when a later post came: a quiet server kept it for days."""
    con = sqlite3.connect(filtered.dbpath)
    with con:
        con.execute("INSERT INTO zohe_recent_posts (address, thread, at) VALUES ('203.0.113.9', NULL, ?)", (time.time() - 2 * 3600,))
        con.execute("INSERT INTO zohe_recent_posts (address, thread, at) VALUES ('203.0.113.10', NULL, ?)", (time.time(),))
    assert invoke(filtered, "comments.spam-summary")[0] == 0
    assert [row[0] for row in con.execute("SELECT address FROM zohe_recent_posts WHERE address LIKE '203.0.113.%'")] == ["203.0.113.10"]
    con.close()


def test_the_summary_units_are_valid_systemd_units(tmp_path):
    names = ("zohe-comments-spam-summary.service", "zohe-comments-spam-summary.timer")
    for name in names:
        text = (settings.REPO_ROOT / "deploy" / "systemd" / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/srv/zohe/app/.venv/bin/invoke", shutil.which("true")), encoding="utf-8")
    run = subprocess.run(["systemd-analyze", "verify", "--man=no", *names], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and not run.stderr.strip(), run.stderr


def test_a_commenter_deleting_their_own_comment_teaches_nothing(filtered, uri):
    r = post(filtered, uri, "Oups, je retire ce commentaire.")
    con = sqlite3.connect(filtered.dbpath)
    before = dict(con.execute("SELECT verdict, documents FROM zohe_spam_lessons"))
    number = r.json()["id"]
    cookie = next(v.split(";")[0] for v in r.header_all("Set-Cookie") if v.startswith(f"{number}="))
    r = filtered.client().request("DELETE", f"/id/{number}", headers={"Cookie": cookie, "Content-Type": "application/json"})
    assert r.status == 200, r.text
    assert dict(con.execute("SELECT verdict, documents FROM zohe_spam_lessons")) == before
    assert con.execute("SELECT COUNT(*) FROM zohe_spam_undecided WHERE id = ?", (number,)).fetchone() == (0,)
    con.close()


def test_the_admin_page_says_which_comments_are_held_and_why(filtered, uri):
    number = post(filtered, uri, LINKS + " admin").json()["id"]
    honest = post(filtered, uri, "Une remarque sans lien.").json()["id"]
    client = filtered.client()
    cookie = cookie_pair(login(client, ADMIN_PASSWORD, visitor()), "admin-session")
    page = client.get("/admin/", headers={"Cookie": cookie}).text
    # The score depends on what earlier tests taught; the reasons name the links.
    assert re.search(f"<div class='isso-comment' id='isso-{number}'><p class=\"zohe-retenu\"><strong>Retenu comme "
                     "indésirable</strong>, score [0-9,]+\u00a0: 3 liens[^<]*</p>", page), page
    assert f"id='isso-{honest}'>" in page and f"id='isso-{honest}'><p" not in page
    assert page.count("zohe-retenu") == len(held_ids(filtered))  # every one waiting, on the first page
