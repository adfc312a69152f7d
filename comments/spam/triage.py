"""Where the spam policy meets Isso: each new comment judged as Isso saves it, held or handed to the moderators; each moderator's decision taught to the learned score.

Hooked on Isso's signals (comments.wsgi.create_app), inside every layer of ours:
``comments.new:after-save`` runs after Isso has stored the comment and before anyone is
told of it, so a held comment is kept (Isso's mode 2, plus a row of ``zohe_held``) and
its moderation mail is never queued; Isso's answer is the same 202 either way.
``comments.activate`` and ``comments.delete`` are the moderators' decisions through the
e-mail links and the admin page (Isso's ``POST /id/N/activate|delete/KEY``); a
commenter deleting their own comment (``DELETE /id/N``) teaches nothing. The command
line teaches through ``teach`` too (comments.moderation).

A failure here never costs a comment: it is logged and the comment goes to the
moderators as if nothing held it.
"""

import json
import logging
import time

from isso import config as isso_config, local

from comments.settings import ConfigurationError

from comments.spam import bayes, blocklist, policy, tokens

logger = logging.getLogger(__name__)

# Where the evidence layers put what they found (comments.form_post copies it into the
# inner POST /new); absent means no such layer ran (policy: all "missing").
EVIDENCE_KEY = "zohe.evidence"
SIGNALS = {"new": "comments.new:after-save", "activate": "comments.activate", "delete": "comments.delete"}
PENDING = 2  # Isso's "awaiting moderation" (comments.store.PENDING; not imported: store imports this package)

def read_settings(conf):
    """``(enabled, policy.Limits)`` from ``[spam]`` (isso.cfg says what each option does); an option the file lacks takes policy.Limits' default, and the filter is on."""
    defaults = policy.Limits()

    def value(option, default, read):
        return read(conf.get("spam", option).strip()) if conf.has_option("spam", option) else default

    def boolean(text):
        if text.lower() not in BOOLEANS:
            raise ValueError(text)
        return BOOLEANS[text.lower()]

    def seconds(text):
        return int(isso_config.timedelta(text).total_seconds())

    try:
        enabled = value("enabled", True, boolean)
        limits = policy.Limits(
            require_evidence=value("require-evidence", defaults.require_evidence, boolean),
            max_links=value("max-links", defaults.max_links, int),
            thread_burst=value("thread-burst", defaults.thread_burst, int),
            thread_burst_window=value("thread-burst-window", defaults.thread_burst_window, seconds),
        )
    except ValueError as e:
        raise ConfigurationError(
            "[spam] enabled et require-evidence valent true ou false, max-links et thread-burst sont des nombres, "
            "thread-burst-window une durée (par exemple 10m), dans la configuration d’Isso."
        ) from e
    return enabled, limits


# As Isso's configuration reads booleans (configparser's words).
BOOLEANS = {"1": True, "yes": True, "true": True, "on": True, "0": False, "no": False, "false": False, "off": False}


def teach(con, comment_id, verdict, now):
    """A moderator decided comment ``comment_id``: count its words as ``verdict`` ("spam", "ham"), or None to forget them unlearned.

    Only a comment's first decision teaches: its words are kept from its saving until
    then (``zohe_spam_undecided``). Returns True when something was taught.
    """
    row = con.execute("SELECT tokens FROM zohe_spam_undecided WHERE id = ?", (comment_id,)).fetchone()
    if row is None:
        return False
    con.execute("DELETE FROM zohe_spam_undecided WHERE id = ?", (comment_id,))
    if verdict is None:
        return False
    bayes.learn(con, json.loads(row[0]), verdict, now)
    return True


class SpamFilter:
    """Judges each new comment (Isso's after-save signal), then calls ``for_moderators`` with those a moderator must see."""

    def __init__(self, conf, store, clock=time.time):
        self.enabled, self.limits = read_settings(conf)
        self.store = store
        self.clock = clock
        # Called as Isso's after-save subscribers are, ``(thread, comment)``: the moderation mail.
        self.for_moderators = []

    def listen(self, signal):
        signal.subscriptions[SIGNALS["new"]].append(self.saved)
        if self.enabled:
            signal.subscriptions[SIGNALS["activate"]].append(self.activated)
            signal.subscriptions[SIGNALS["delete"]].append(self.deleted)

    # Isso's signals -------------------------------------------------------------

    def saved(self, thread, comment):
        held = False
        if self.enabled and comment.get("mode") == PENDING:
            try:
                held = self.judge(thread, comment, _request_environ().get(EVIDENCE_KEY))
            except Exception:
                logger.exception("spam filter: comment %s not judged; it goes to the moderators", comment.get("id"))
        if not held:
            for notify in self.for_moderators:
                notify(thread, comment)

    def activated(self, thread, item):
        self._decided(item["id"], "ham")

    def deleted(self, comment_id):
        # A moderator decides with POST (e-mail link, admin page); a commenter deletes their own with DELETE.
        moderator = _request_environ().get("REQUEST_METHOD") == "POST"
        self._decided(comment_id, "spam" if moderator else None)

    # ---------------------------------------------------------------------------

    def judge(self, thread, comment, evidence):
        """Judge ``comment`` as saved in ``thread``, keep its words for the learned score, hold it if the policy says so; returns whether it is held."""
        found = tokens.read(comment)
        learned = found.tokens()
        with self.store.write_transaction() as con:
            (thread_posts,) = con.execute(
                "SELECT COUNT(*) FROM comments WHERE tid = ? AND created > ?",
                (thread["id"], comment["created"] - self.limits.thread_burst_window),
            ).fetchone()
            verdict = policy.judge(
                evidence, found, blocklist.entries(con), bayes.spam_probability(con, learned), thread_posts, self.limits
            )
            con.execute(
                "INSERT OR REPLACE INTO zohe_spam_undecided (id, tokens) VALUES (?, ?)",
                (comment["id"], json.dumps(learned, ensure_ascii=False)),
            )
            if verdict.held:
                con.execute(
                    "INSERT OR REPLACE INTO zohe_held (id, created, score, reasons, held_at) VALUES (?, ?, ?, ?, ?)",
                    (comment["id"], comment["created"], verdict.score, json.dumps(verdict.reasons), self.clock()),
                )
        if verdict.held:
            logger.info("comment %s held as likely spam (score %s: %s)", comment["id"], verdict.score,
                        ", ".join(name for name, _ in verdict.reasons))
        return verdict.held

    def _decided(self, comment_id, verdict):
        try:
            with self.store.write_transaction() as con:
                teach(con, comment_id, verdict, self.clock())
        except Exception:
            logger.exception("spam filter: the decision on comment %s was not learned", comment_id)


def _request_environ():
    """The environ of the request Isso is serving (its werkzeug Local), or {} outside one."""
    try:
        return local.request.environ
    except (AttributeError, RuntimeError):
        return {}
