"""The moderators' e-mail about each new comment: in French, safe from what commenters write, and kept in an outbox until an SMTP server takes it.

Isso 0.14's own notifier (isso.ext.notifications.SMTP) loses mail without a word: it
gives the whole ``From`` value, name included, as the envelope sender, so a server
without SMTPUTF8 refuses every message from ``Commentaires Zôhé <…>``; a thread title
holding a line break kills its sending thread; it retries only a refused connection,
in a bare thread that a restart forgets. Here a notification is first a row of the
database (comments.store, ``zohe_outbox``), then a message built with the ``email``
package (headers encoded as RFC 2047 says, the envelope sender the bare address), sent
by a thread of each worker and retried with backoff, every failure logged.

The same outbox and sender carry the few mails of ours that are not the moderators'
(``ModerationMail.builders``, by outbox kind): a commenter's link to their own data
(comments.data_pages), sent to that commenter alone.
"""

import html
import logging
import os
import re
import smtplib
import ssl
import threading
import time
from email import policy, utils
from email.message import EmailMessage
from urllib.parse import quote

from isso import local

from comments import moderation_links, settings
from comments.moderation import visible
from comments.store import DELETED, PENDING

logger = logging.getLogger(__name__)

# Seconds before the second, third, … attempt: about a day in all, then the mail is given
# up (the comment still waits, listed by `invoke comments.pending`). The one home of
# these delays; ZOHE_MAIL_RETRY_DELAYS replaces them (comments.settings), for the tests.
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 8 * 3600)
# How long a notification may stay in the outbox, whatever happens (a server stopped for
# days): past it, the daily task (comments.retention) drops it. Longer than the retries
# above with a last lease, so that it never cuts them short on a running server; the
# privacy page states it (tests/test_privacy.py).
OUTBOX_KEPT = 2 * 86400
# How long a worker keeps a mail it is sending before another may take it: far longer
# than a send, each step of which ([smtp] timeout) is bounded; a worker killed while
# sending leaves its mail to another after this.
CLAIM_LEASE = 600
# A worker looks at the outbox at least this often, for mail queued by a worker that died.
POLL_INTERVAL = 60
TITLE_LIMIT = 100
AUTHOR_LIMIT = 200
# The whole message in 7-bit ASCII (RFC 2047 encoded words, quoted-printable body): any
# server takes it, with or without SMTPUTF8 or 8BITMIME.
POLICY = policy.SMTP.clone(cte_type="7bit")
SIGNAL = "comments.new:after-save"


def enabled(conf):
    """True when ``[general] notify`` (``ISSO_NOTIFY``) names smtp: the one switch of the moderation mail."""
    return any(name.lower() == "smtp" for name in conf.getlist("general", "notify"))


def addresses(conf, option):
    """The addresses of ``[smtp] option`` (``from`` or ``to``) as email.headerregistry.Address objects."""
    value = conf.get("smtp", option)
    try:
        header = POLICY.header_factory(option, value)
        found = [address for address in header.addresses if address.username and address.domain]
    except (ValueError, IndexError):
        header, found = None, []
    if not found or header.defects or (option == "from" and len(found) != 1):
        raise settings.ConfigurationError(
            f"[smtp] {option} (ISSO_SMTP_{option.upper()}) n’est pas une adresse électronique valable\u00a0: {value!r}."
        )
    return found


def one_line(text, limit):
    """``text`` on one line of at most ``limit`` characters: each character visible() would escape (line breaks, controls, bidi overrides) becomes a space."""
    folded = re.sub(" +", " ", "".join(" " if visible(char) != char else char for char in text)).strip(" ")
    return folded if len(folded) <= limit else folded[: limit - 1].rstrip(" ") + "…"


def reason(error):
    """What went wrong, for the log: the server's answer, or the error's type and message (never the password, which no smtplib error holds)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{to}: {code} {answer.decode(errors='replace')}" for to, (code, answer) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {answer}"
    return f"{type(error).__name__}: {error}"


class ModerationMail:
    """Queues a notification for each new comment (Isso's ``comments.new:after-save`` signal) and sends the queue from a thread of each worker process."""

    def __init__(self, conf, instance, store):
        self.smtp = conf.section("smtp")
        self.sender = addresses(conf, "from")[0]
        self.recipients = addresses(conf, "to")
        self.endpoint = conf.get("server", "public-endpoint")
        self.sign = instance.sign  # Isso's own moderation keys
        self.store = store
        self.retry_delays = settings.mail_retry_delays() or RETRY_DELAYS
        self._start_lock = threading.Lock()
        self._sender_pid = None
        self._wake = threading.Event()
        # Mail of other kinds than a comment's, by outbox kind: kind -> builder(self, outgoing),
        # which returns (message, recipient, what the log calls it), or None when there is nothing to send.
        self.builders = {}

    # In the request ----------------------------------------------------------------

    def queue(self, thread, comment):
        """Put the notification about ``comment`` in the outbox; the commenter's answer never depends on the mail."""
        try:
            self.store.queue_mail(
                comment["id"], comment["created"], str(local.origin), self.endpoint or str(local.host), time.time()
            )
        except Exception:
            logger.exception(
                "moderation mail for comment %s not queued: the comment is saved, listed by `invoke comments.pending`",
                comment["id"],
            )
            return
        self.start()
        self.wake()

    def wake(self):
        """Have the sender look at the outbox now (a row was just queued)."""
        self._wake.set()

    def start(self):
        """Start this process's sender thread unless it runs.

        Called on each request (StartSender) and each queued mail, never at import: a
        thread does not survive a fork, so it must be born in the gunicorn worker, after
        the fork, and never in the --preload master.
        """
        if self._sender_pid == os.getpid():
            return
        with self._start_lock:
            if self._sender_pid != os.getpid():
                threading.Thread(target=self._run, name="moderation-mail", daemon=True).start()
                self._sender_pid = os.getpid()

    # In the sender thread -----------------------------------------------------------

    def _run(self):
        while True:
            self._wake.clear()
            try:
                self.send_due()
                due = self.store.next_mail_due()
                wait = POLL_INTERVAL if due is None else min(POLL_INTERVAL, max(0.0, due - time.time()))
            except Exception:
                logger.exception("moderation mail: the outbox could not be read; next look in %s s", POLL_INTERVAL)
                wait = POLL_INTERVAL
            self._wake.wait(wait)

    def send_due(self):
        """Send every notification now due, one at a time, each taken atomically from the outbox."""
        while (outgoing := self.store.claim_mail(time.time(), CLAIM_LEASE)) is not None:
            self.deliver(outgoing)

    def deliver(self, outgoing):
        if outgoing.kind in self.builders:
            return self.deliver_built(outgoing, self.builders[outgoing.kind])
        if outgoing.kind == "spam-digest":
            # Imported here: comments.spam.digest builds its mail with this module's helpers.
            from comments.spam import digest

            message = digest.message(self, outgoing)
            if message is None:
                self.store.drop_mail(outgoing.id)
                logger.info("summary of held comments not sent: every comment it named was decided first")
                return
        else:
            comment = self.store.mailed_comment(outgoing.comment_id, outgoing.comment_created)
            if comment is None or comment.mode == DELETED:
                self.store.drop_mail(outgoing.id)
                logger.info("moderation mail for comment %s not sent: the comment was deleted first", outgoing.comment_id)
                return
            message = self.message(outgoing, comment)
        try:
            self.send(message)
        except (OSError, smtplib.SMTPException) as error:
            self.failed(outgoing, reason(error))
        except Exception as error:
            logger.exception("moderation mail for comment %s: unexpected error", outgoing.comment_id)
            self.failed(outgoing, reason(error))
        else:
            self.store.drop_mail(outgoing.id)
            logger.info("moderation mail for comment %s sent", outgoing.comment_id)

    def deliver_built(self, outgoing, builder):
        """Send a mail of another kind (self.builders) to its own recipient, retried as a comment's."""
        built = builder(self, outgoing)
        if built is None:
            self.store.drop_mail(outgoing.id)
            logger.info("%s mail of outbox row %s not sent: nothing left to send", outgoing.kind, outgoing.id)
            return
        message, recipient, what = built
        try:
            self.send(message, to=[recipient])
        except (OSError, smtplib.SMTPException) as error:
            self.failed(outgoing, reason(error), what)
        except Exception as error:
            logger.exception("%s: unexpected error", what)
            self.failed(outgoing, reason(error), what)
        else:
            self.store.drop_mail(outgoing.id)
            logger.info("%s sent", what)

    def failed(self, outgoing, why, what=None):
        """Try ``outgoing`` again after the next delay, or give it up after the last; ``what`` names a mail that is not a comment's."""
        attempt = outgoing.attempts + 1
        attempts = len(self.retry_delays) + 1
        if attempt >= attempts:
            self.store.drop_mail(outgoing.id)
            if what:
                logger.error("%s given up after %s attempts, the last: %s", what, attempts, why)
                return
            logger.error(
                "moderation mail for comment %s given up after %s attempts, the last: %s. The comment still waits "
                "for a moderator: `invoke comments.pending` lists it; check the [smtp] settings (ISSO_SMTP_*).",
                outgoing.comment_id, attempts, why,
            )
            return
        delay = self.retry_delays[attempt - 1]
        self.store.retry_mail(outgoing.id, time.time() + delay)
        logger.warning(
            "%s not sent (attempt %s of %s): %s; next attempt in %g s",
            what or f"moderation mail for comment {outgoing.comment_id}", attempt, attempts, why, delay,
        )

    def send(self, message, to=None):
        """Hand ``message`` to the ``[smtp]`` server (for the moderators, or ``to``); the envelope sender is the bare address."""
        host, port, timeout = self.smtp.get("host"), self.smtp.getint("port"), self.smtp.getint("timeout")
        security = self.smtp.get("security")
        if security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if security == "starttls":
                client.starttls(context=ssl.create_default_context())
            username, password = self.smtp.get("username"), self.smtp.get("password")
            if username and password:
                client.login(username, password)
            client.send_message(
                message, from_addr=self.sender.addr_spec,
                to_addrs=to or [recipient.addr_spec for recipient in self.recipients],
            )

    def new_message(self, subject, to=None):
        """A mail to the moderators (or ``to``) with our headers, its body still to set (this one, the spam summary)."""
        message = EmailMessage(policy=POLICY)
        message["Subject"] = subject
        message["From"] = self.sender
        message["To"] = to or self.recipients
        message["Date"] = utils.formatdate(localtime=True)
        message["Message-ID"] = utils.make_msgid(domain=self.sender.domain)
        message["Auto-Submitted"] = "auto-generated"
        return message

    def message(self, outgoing, comment):
        """The French mail about ``comment``; nothing a commenter wrote reaches a header but the folded title."""
        pending = comment.mode == PENDING
        title = one_line(comment.title or "", TITLE_LIMIT) or one_line(comment.uri, TITLE_LIMIT)
        what = "Commentaire à modérer" if pending else "Commentaire publié"
        message = self.new_message(f"{what}\u00a0: «\u00a0{title}\u00a0»")
        message.set_content(self.body(outgoing, comment, title, pending), cte="quoted-printable")
        return message

    def body(self, outgoing, comment, title, pending):
        number = outgoing.comment_id
        key = self.sign(number)
        # Isso stores author, e-mail and website escaped for HTML; a mail is plain text.
        author = one_line(visible(html.unescape(comment.author or "")), AUTHOR_LIMIT) or "(sans nom)"
        email = visible(html.unescape(comment.email or "")) or "(aucun)"
        website = visible(html.unescape(comment.website or "")) or "(aucun)"
        thread = outgoing.origin + quote(comment.uri, safe="/%:@!$&'()*+,;=~") + f"#isso-{number}"
        # Quoted line by line: nothing in the text can pass for a line of the mail's own.
        text = visible(comment.text.replace("\r\n", "\n"), keep_newlines=True)
        lines = [
            f"Un commentaire attend votre décision sur «\u00a0{title}\u00a0»."
            if pending
            else f"Un commentaire vient d’être publié sur «\u00a0{title}\u00a0».",
            "",
            f"Auteur\u00a0: {author}",
            f"Courriel\u00a0: {email}",
            f"Site\u00a0: {website}",
            f"Fil\u00a0: {thread}",
            "",
            "Texte, tel qu’il a été écrit\u00a0:",
            "",
            *(f"> {line}" if line else ">" for line in text.split("\n")),
            "",
        ]
        if pending:
            lines += ["Publier ce commentaire\u00a0:", moderation_links.address(outgoing.endpoint, number, "activate", key), ""]
        lines += [
            "Supprimer ce commentaire\u00a0:",
            moderation_links.address(outgoing.endpoint, number, "delete", key),
            "",
            "Chaque lien ouvre une page qui demande confirmation.",
        ]
        if pending:
            lines.append("Sans décision, le commentaire reste en attente\u00a0: «\u00a0invoke comments.pending\u00a0» le liste.")
        return "\n".join(lines) + "\n"


class StartSender:
    """Starts the worker's sender thread on the first request the worker serves (see ModerationMail.start)."""

    def __init__(self, app, mail):
        self.app, self.mail = app, mail

    def __call__(self, environ, start_response):
        self.mail.start()
        return self.app(environ, start_response)
