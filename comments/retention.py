"""What the comment server keeps only for a while, forgotten each day by ``invoke comments.spam-summary`` (zohe-comments-spam-summary.timer).

The privacy page (content/pages/politique-de-confidentialite.md) states each duration, and
tests/test_privacy.py checks it against the one home of each:

- the moderation mail's outbox, comments.mail.OUTBOX_KEPT: a row goes as soon as its mail
  is sent or given up, but a server stopped meanwhile would keep it; here it goes anyway;
- the addresses of failed admin logins, comments.throttle.WINDOW (a lockout until its
  end): the throttle deletes them only when another failure comes, so a quiet server
  kept them for good;
- what the spam defences keep, the limits on posting's addresses among it
  (comments.spam.retention).
"""

from comments import mail, settings, store, throttle
from comments.spam import retention as spam_retention


def prune(conf, now):
    """Forget what has served; returns how many learned words were forgotten (comments.spam.retention)."""
    shared = store.Store(settings.require_database(settings.dbpath(conf)))
    try:
        with shared.write_transaction() as con:
            con.execute("DELETE FROM zohe_outbox WHERE comment_created <= ?", (now - mail.OUTBOX_KEPT,))
            con.execute("DELETE FROM zohe_login_failures WHERE at <= ?", (now - throttle.WINDOW,))
            con.execute("DELETE FROM zohe_login_lockouts WHERE until <= ?", (now,))
    finally:
        shared.connection().close()
    return spam_retention.prune(conf, now)
