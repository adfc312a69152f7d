"""The site the bot suite posts to, set up as production runs it, and where each post ended: with the moderators, held as likely spam, or refused.

A production build of the real content with synthetic chronicles added (bench.corpus:
a site with many chronicles, as the old one had, so that robots spread over threads
as they do and a burst on one chronicle is not what holds them); Debian's nginx with
the shipped server block (bench.nginx_server: the form token's include, the proxy,
X-Forwarded-For); the comment server under gunicorn, ``--preload -w 2``, with the
development configuration's guard and ``[spam]`` (production's: the filter on, evidence
required) and moderation mail through SMTP to an aiosmtpd sink on loopback.

"Reached a moderator" is what production would put before one: a moderation mail in the
sink, or a comment listed by ``invoke comments.pending`` (comments.moderation.pending, which
leaves out held ones). Posts are found again by their e-mail address, one per post.
"""

import contextlib
import json
import os
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus
from bench.gunicorn_server import Gunicorn, free_port, write_config
from bench.nginx_server import running_nginx
from bench.smtp_sink import Sink
from comments import moderation, settings
from comments.spam import policy
from deploy import releases

SECRET = "bench-bots-form-secret-0123456789abcdef"
ADMIN_PASSWORD = "bench-bots-admin-password"
ACCEPTED = (201, 202, 303)
OUTCOMES = ("moderators", "held", "refused", "lost")
# The signs a held post may owe its hold to alone, counted apart: the burst on a chronicle
# (a wave of robots on one thread, which would hold a reader too), and the score learned
# from the moderators' decisions on an earlier wave (bench.spam_defences.first_day).
SOLE_SIGNS = {"burst_only": ("thread-burst",), "learned_only": ("learned", "learned-likely")}


@dataclass
class Site:
    base: str
    config: Path
    dbpath: Path
    server: Gunicorn
    sink: Sink
    threads: list = field(default_factory=list)

    def query(self, sql, parameters=()):
        with contextlib.closing(sqlite3.connect(self.dbpath, timeout=10)) as db:
            return db.execute(sql, parameters).fetchall()

    def wait_for_mail(self, timeout=30.0):
        """Until the moderation mail's outbox is empty (every mail handed to the sink), at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.query("SELECT COUNT(*) FROM zohe_outbox")[0][0]:
            time.sleep(0.1)

    def outcomes(self, emails):
        """``{email: outcome}`` (OUTCOMES; "refused" when nothing was stored), and for held posts ``{email: signs}``: the signs without which it would not be held (SOLE_SIGNS)."""
        self.wait_for_mail()
        stored = {email: number for number, email in self.query("SELECT id, email FROM comments")}
        held = {number: (score, json.loads(reasons)) for number, score, reasons
                in self.query("SELECT id, score, reasons FROM zohe_held")}
        conf = settings.load(path=self.config, environ={}, create_folder=False)
        pending = {item.id for item in moderation.pending(conf)}
        with self.sink.arrived:
            mailed = "\n".join(message.as_string() for _, message in self.sink.messages)
        result, needed = {}, {}
        for email in emails:
            number = stored.get(email)
            if number is None:
                result[email] = "refused"
            elif number in held:
                result[email] = "held"
                score, reasons = held[number]
                needed[email] = {sign for sign, names in SOLE_SIGNS.items()
                                 if score - sum(policy.SIGNS[name].weight for name, _ in reasons if name in names)
                                 < policy.HOLD_AT}
            elif number in pending or email in mailed:
                result[email] = "moderators"
            else:
                result[email] = "lost"
        return result, needed


@contextlib.contextmanager
def production_site(directory, chronicles=40, min_seconds=None):
    """The whole site in ``directory`` with ``chronicles`` synthetic chronicles; yields a Site.

    ``min_seconds`` sets ZOHE_FORM_MIN_SECONDS (production's 5 s when None): tests lower it
    so that their patient robots and readers need not wait that long.
    """
    from aiosmtpd.controller import Controller
    from publish.build import build

    directory = Path(directory)
    port, comments_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    sink = Sink()
    mail = Controller(sink, hostname="127.0.0.1", port=free_port())
    mail.start()
    (directory / "isso").mkdir(parents=True)
    config = write_config(
        directory / "isso", comments_port,
        general={"host": base, "notify": "smtp"}, server={"public-endpoint": base + "/isso"},
        smtp={"host": "127.0.0.1", "port": mail.port, "security": "none", "to": "moderation@zohe.test"},
        # As comments/isso.cfg ships them (write_config turns both off for other callers).
        guard={"enabled": "true"}, spam={"enabled": "true"},
    )
    env = {"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD, "ZOHE_FORM_SECRET": SECRET}
    if min_seconds is not None:
        env["ZOHE_FORM_MIN_SECONDS"] = str(min_seconds)
    dbpath = directory / "isso" / "comments.db"
    try:
        with Gunicorn(directory / "isso", comments_port, config, workers=2, env=env) as server:
            content = corpus.make_content(chronicles, directory / "content")
            saved = {name: os.environ.get(name) for name in ("ZOHE_SITEURL", "ZOHE_COMMENTS_DB")}
            os.environ.update(ZOHE_SITEURL=base, ZOHE_COMMENTS_DB=str(dbpath))
            try:
                output = build(prod=True, output=directory / "release", overrides={"PATH": str(content)})
            finally:
                for name, value in saved.items():
                    os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
            (directory / "www").mkdir()
            os.symlink(output, directory / "www" / releases.CURRENT)
            threads = sorted(f"/chroniques/{page.parent.name}/" for page in (output / "chroniques").glob("*/index.html"))
            with running_nginx(directory / "nginx", port, directory / "www", comments_port):
                yield Site(base, config, dbpath, server, sink, threads)
    finally:
        mail.stop()


def tally(site, posts):
    """Per kind of robot: posts, answers by status, and how many reached a moderator, were held (and of those, by one of SOLE_SIGNS alone), refused, lost."""
    outcomes, needed = site.outcomes([post.email for post in posts])
    figures = {}
    for post in posts:
        kind = figures.setdefault(post.kind, {"posts": 0, "statuses": Counter(), **{sign: 0 for sign in SOLE_SIGNS},
                                              **{outcome: 0 for outcome in OUTCOMES}})
        kind["posts"] += 1
        kind["statuses"][post.status] += 1
        outcome = outcomes[post.email]
        if outcome == "refused" and post.status in ACCEPTED:
            outcome = "lost"  # answered as stored, found nowhere
        kind[outcome] += 1
        for sign in needed.get(post.email, ()):
            kind[sign] += 1
    return figures
