"""What the spam defences keep, forgotten once it has served: run each day by ``invoke comments.spam-summary``.

The privacy page (content/pages/politique-de-confidentialite.md) promises these durations:

- the addresses the limits on posting count (``zohe_recent_posts``, comments.guard): the
  guard deletes them only when a later post comes, so a quiet server kept them for days;
  here every row older than its longest window goes;
- the learned score's counts of a word no decision has met for schema.PRUNE_AFTER;
- the words of a comment deleted without a decision that teaches (Isso's purge, a reply
  thread emptied), kept only for that decision.
"""

from comments import guard, settings, store
from comments.spam import bayes, schema


def prune(conf, now):
    """Forget what has served; returns how many learned words were forgotten."""
    window = max(guard.RATE_WINDOW, guard.direct_reply_window(conf))
    shared = store.Store(settings.require_database(settings.dbpath(conf)))
    try:
        with shared.write_transaction() as con:
            con.execute("DELETE FROM zohe_recent_posts WHERE at <= ?", (now - window,))
            words = bayes.prune(con, now - schema.PRUNE_AFTER)
            con.execute("DELETE FROM zohe_spam_undecided WHERE id NOT IN (SELECT id FROM comments WHERE mode = 2)")
    finally:
        shared.connection().close()
    return words
