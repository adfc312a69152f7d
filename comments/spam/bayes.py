"""The score learned from moderators' own decisions: a multinomial naive Bayes over a comment's words and domains, its counts in SQLite.

Every deletion of a waiting comment teaches "spam", every approval teaches "ham"
(comments.spam.triage hears them from the e-mail links, the admin page and the command
line). The counts live in the database (comments.spam.schema, ``zohe_spam_words`` and
``zohe_spam_lessons``) so that every worker and the commands share one score that a
decision changes at once. No maintained library fits: PyPI's naive Bayes classifiers
keep their model in the memory of one process (simplebayes, which also pulls in a web
server), and a worker would not see what the command line taught.

The score is the probability that a comment is spam, with Laplace smoothing (ALPHA)
over the words seen in any decision and even prior odds (see spam_probability); it has no opinion (None) until moderators have
decided MIN_LESSONS comments of each kind.
"""

import math

ALPHA = 1.0
MIN_LESSONS = 3
# SQLite's limit on the parameters of one statement is far above this; tokens.MAX_TOKENS fits in one.
CHUNK = 500


def lessons(con):
    """``{"spam": n, "ham": n}``: how many comments moderators have deleted and approved so far."""
    return dict(con.execute("SELECT verdict, documents FROM zohe_spam_lessons"))


def learn(con, tokens, verdict, now):
    """Count ``tokens`` (``{token: count}``) as one comment of ``verdict`` ("spam" or "ham"), on ``con`` inside the caller's transaction."""
    if verdict not in ("spam", "ham"):
        raise ValueError(verdict)
    con.executemany(
        f"INSERT INTO zohe_spam_words (token, {verdict}, updated) VALUES (?, ?, ?)"
        f" ON CONFLICT (token) DO UPDATE SET {verdict} = {verdict} + excluded.{verdict}, updated = excluded.updated",
        [(token, count, now) for token, count in tokens.items()],
    )
    con.execute("UPDATE zohe_spam_lessons SET documents = documents + 1 WHERE verdict = ?", (verdict,))


def spam_probability(con, tokens):
    """The probability that a comment with ``tokens`` is spam, from the counts on ``con``; None before MIN_LESSONS of each kind."""
    documents = lessons(con)
    if min(documents.get("spam", 0), documents.get("ham", 0)) < MIN_LESSONS:
        return None
    totals = con.execute("SELECT COUNT(*), COALESCE(SUM(spam), 0), COALESCE(SUM(ham), 0) FROM zohe_spam_words").fetchone()
    vocabulary, spam_total, ham_total = totals
    counts = {}
    names = list(tokens)
    for start in range(0, len(names), CHUNK):
        part = names[start : start + CHUNK]
        marks = ", ".join("?" * len(part))
        counts.update(
            (token, (spam, ham))
            for token, spam, ham in con.execute(f"SELECT token, spam, ham FROM zohe_spam_words WHERE token IN ({marks})", part)
        )
    # Log-odds of spam: each known token's evidence, from even odds. No prior from the
    # decisions' counts: moderators delete far more spam than they approve comments (224
    # to 6 in the bot suite's first wave), and that prior alone held « Bravo. » (0.97). A
    # token no decision has met says nothing either way and is left out.
    log_odds = 0.0
    spam_denominator = spam_total + ALPHA * vocabulary
    ham_denominator = ham_total + ALPHA * vocabulary
    for token, count in tokens.items():
        if token in counts:
            spam, ham = counts[token]
            log_odds += count * (math.log((spam + ALPHA) / spam_denominator) - math.log((ham + ALPHA) / ham_denominator))
    if log_odds >= 0:
        return 1 / (1 + math.exp(-log_odds))
    return math.exp(log_odds) / (1 + math.exp(log_odds))


def prune(con, before):
    """Forget the words no decision has met since ``before`` (seconds): the learned score keeps nothing for ever."""
    return con.execute("DELETE FROM zohe_spam_words WHERE updated < ?", (before,)).rowcount
