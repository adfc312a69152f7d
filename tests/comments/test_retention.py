"""The daily task forgets what the comment server keeps for a while: outbox rows and failed logins past their time."""

import sqlite3
import time

from comments import mail, store, throttle
from support import make_isso_database
from test_moderation import invoke


def test_the_daily_task_drops_old_outbox_rows_and_failed_logins(tmp_path):
    database = tmp_path / "comments.db"
    make_isso_database(database)
    store.prepare(str(database))
    now = time.time()
    con = sqlite3.connect(database)
    with con:
        for comment, created in ((1, now - mail.OUTBOX_KEPT - 60), (2, now - 3600)):
            # A notification a stopped server never sent, and one still being retried.
            con.execute("INSERT INTO zohe_outbox (comment_id, comment_created, origin, endpoint, due) VALUES (?, ?, ?, ?, ?)",
                        (comment, created, "https://zohe.example", "https://zohe.example/isso", now + 600))
        con.execute("INSERT INTO zohe_login_failures (address, at) VALUES ('203.0.113.7', ?)", (now - throttle.WINDOW - 60,))
        con.execute("INSERT INTO zohe_login_failures (address, at) VALUES ('203.0.113.8', ?)", (now,))
        con.execute("INSERT INTO zohe_login_lockouts (address, until) VALUES ('203.0.113.9', ?)", (now - 60,))

    # As zohe-comments-spam-summary.service runs it each day.
    result = invoke("comments.spam-summary", env={"ZOHE_COMMENTS_DB": str(database)})
    assert result.returncode == 0, result.stderr

    assert [row[0] for row in con.execute("SELECT comment_id FROM zohe_outbox")] == [2]
    assert [row[0] for row in con.execute("SELECT address FROM zohe_login_failures")] == ["203.0.113.8"]
    assert con.execute("SELECT COUNT(*) FROM zohe_login_lockouts").fetchone() == (0,)
    con.close()


def test_the_outbox_keeps_a_notification_longer_than_its_retries():
    """The daily pruning never cuts short a mail a running server is still retrying."""
    assert sum(mail.RETRY_DELAYS) + mail.CLAIM_LEASE < mail.OUTBOX_KEPT
