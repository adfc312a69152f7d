"""Five kinds of spam robots that post to the site through its public address, each post from another loopback address, as a botnet does: the proof that the spam defences keep bot posts away from moderators (tests/deploy/test_bots.py, and `invoke bench`).

A botnet gives each post an address of its own, so a limit per address never fires; here
each post's client socket is bound to another address of 127.0.0.0/8 (all of it is
loopback on Linux), which nginx passes on in X-Forwarded-For as it would a real
visitor's. The kinds, after what reaches a blog without a filter:

- ``json``: a client of Isso's JSON API (``POST /isso/new``), and every other post its
  JSON sent to the form's address (``POST /isso/formulaire``);
- ``filler``: fetches the chronicle, fills every field of its form (the honeypot too),
  posts at once;
- ``careful``: fills only the fields it recognises (text, name, e-mail, website, and the
  hidden ``uri``, ``title``, ``jeton`` it parsed), posts at once;
- ``replay``: one page's token and one solved proof of work, waited for, then sent with
  every post, through the form and through the JSON API;
- ``patient``: fetches the chronicle, waits like a reader (``read_seconds``), then posts
  every field as a browser would (honeypot left empty): only the content tells it apart.

Everything is bounded: a number of posts per kind, a deadline for the whole run, a timeout
per request. Where each post ended (a moderator, held, refused) is for bench.bot_site.
"""

import base64
import hashlib
import http.client
import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup

import comment_form
from bench import spam_texts

KINDS = ("json", "filler", "careful", "replay", "patient")
SEED, FIRST_DAY_SEED = 1871, 1789
TIMEOUT = 10.0
BROWSER_HEADERS = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/120.0 Safari/537.36", "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}


class Addresses:
    """Distinct loopback addresses, one per post: 127.a.b.c, never 127.0.0.x (nginx's own, a trusted proxy)."""

    def __init__(self, start=1):
        self._numbers = itertools.count(start)
        self._lock = threading.Lock()

    def next(self):
        with self._lock:
            n = next(self._numbers)
        a, b, c = 1 + (n >> 16) % 254, (n >> 8) & 255, n & 255
        return f"127.{a}.{b}.{c}"


@dataclass
class Post:
    kind: str
    email: str
    source: str
    status: int = 0  # 0: no answer (a timeout, a connection refused)
    sent: bool = False


def request(base, method, path, source, body=None, headers=None):
    """One HTTP request to ``base`` from the loopback address ``source``: ``(status, headers, text)``."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=TIMEOUT, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers={**BROWSER_HEADERS, **(headers or {})})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


def read_form(html):
    """The comment form of a page, as a robot parses it: its action and ``[(name, type, value)]`` of every field."""
    form = next(f for f in BeautifulSoup(html, "html.parser").find_all("form") if f.find("textarea"))
    fields = [(tag.get("name"), "textarea" if tag.name == "textarea" else tag.get("type", "text"), tag.get("value", ""))
              for tag in form.find_all(("input", "textarea")) if tag.get("name")]
    return form.get("action"), fields


def solve(challenge):
    """ALTCHA's payload for a challenge of ``GET /isso/altcha``, found as proof.js finds it (a bot can pay a second too)."""
    number = next(n for n in range(challenge["maxNumber"] + 1)
                  if hashlib.sha256(f"{challenge['salt']}{n}".encode()).hexdigest() == challenge["challenge"])
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()


class Bots:
    """The robots against one site: ``base`` its public address, ``threads`` the chronicles' paths they post on."""

    def __init__(self, base, threads, read_seconds, seed=SEED, addresses=None):
        self.base, self.threads, self.read_seconds, self.seed = base, list(threads), read_seconds, seed
        # Shared by the robots of several runs on one site, so that no address posts twice.
        self.addresses = addresses or Addresses()
        self.origin = {"Origin": base}

    # Who sends what is not a robot's: an earlier reader writes as the patient robot posts.
    SENDERS = {"reader": "patient"}

    # What each kind does for its post number ``n`` (spam: spam_texts.Spam) ----------------

    def json(self, n, spam, post):
        uri = self.threads[n % len(self.threads)]
        body = json.dumps({"text": spam.text, "author": spam.author, "email": spam.email, "website": spam.website,
                           "title": "Chronique"})
        path = f"/isso/new?uri={uri}" if n % 2 == 0 else "/isso" + comment_form.POST_PATH
        post.status, _, _ = request(self.base, "POST", path, post.source, body,
                                    {"Content-Type": "application/json", "Accept": "application/json", **self.origin})

    def _page(self, n, source):
        uri = self.threads[n % len(self.threads)]
        status, _, html = request(self.base, "GET", uri, source)
        if status != 200:
            raise OSError(f"GET {uri}: {status}")
        return uri, read_form(html)

    def _send_form(self, action, values, post, referer):
        post.status, _, _ = request(self.base, "POST", urlsplit(action).path, post.source, urlencode(values),
                                    {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + referer,
                                     "Accept": "text/html,application/xhtml+xml"})

    def filler(self, n, spam, post):
        uri, (action, fields) = self._page(n, post.source)
        by_type = {"textarea": spam.text, "email": spam.email, "url": spam.website or "https://www.example.com/"}
        values = {}
        for name, kind, value in fields:
            if kind == "hidden":
                values[name] = value
            elif name in ("author", "name", "nom"):
                values[name] = spam.author
            else:
                # Anything else that takes text gets text: the honeypot ``sujet`` among them.
                values[name] = by_type.get(kind, "Offre spéciale")
        self._send_form(action, values, post, uri)

    def careful(self, n, spam, post):
        uri, (action, fields) = self._page(n, post.source)
        parsed = {name: value for name, kind, value in fields if kind == "hidden"}
        values = {name: parsed[name] for name in ("uri", "title", comment_form.TOKEN) if name in parsed}
        values.update(text=spam.text, author=spam.author, email=spam.email, website=spam.website)
        self._send_form(action, values, post, uri)

    def patient(self, n, spam, post):
        uri, (action, fields) = self._page(n, post.source)
        time.sleep(self.read_seconds)
        values = {name: value for name, kind, value in fields}
        values.update(text=spam.text, author=spam.author, email=spam.email, website=spam.website)
        self._send_form(action, values, post, uri)

    def replay(self, n, spam, post):
        uri, token, proof = self.replayed
        if n % 2 == 0:
            values = {"uri": uri, "title": "Chronique", comment_form.TOKEN: token, comment_form.PROOF: proof,
                      comment_form.HONEYPOT: "", "text": spam.text, "author": spam.author, "email": spam.email,
                      "website": spam.website}
            self._send_form("/isso" + comment_form.POST_PATH, values, post, uri)
        else:
            body = json.dumps({"text": spam.text, "author": spam.author, "email": spam.email, "website": spam.website,
                               "title": "Chronique", comment_form.TOKEN: token, comment_form.PROOF: proof})
            post.status, _, _ = request(self.base, "POST", f"/isso/new?uri={uri}", post.source, body,
                                        {"Content-Type": "application/json", "Accept": "application/json",
                                         **self.origin})

    def prepare_replay(self):
        """The one page's token and the one proof every replayed post carries, taken as a reader would, then waited for."""
        source = self.addresses.next()
        uri, (_, fields) = self._page(0, source)
        token = next(value for name, _, value in fields if name == comment_form.TOKEN)
        _, _, challenge = request(self.base, "GET", "/isso" + comment_form.PROOF_PATH, source)
        proof = solve(json.loads(challenge))
        time.sleep(self.read_seconds)
        self.replayed = (uri, token, proof)

    # ----------------------------------------------------------------------------------

    def run(self, per_kind, deadline_seconds, workers=16, kinds=KINDS, extra=()):
        """Send ``per_kind`` posts of each kind, all kinds at once, until done or ``deadline_seconds``; returns the Posts.

        ``extra``: more ``(kind, n, comment)`` to send among them (bench.spam_defences: earlier readers' comments).
        """
        deadline = time.monotonic() + deadline_seconds
        if "replay" in kinds:
            self.prepare_replay()
        jobs = list(extra)
        for k, kind in enumerate(kinds):
            for n, spam in enumerate(spam_texts.spams(per_kind, self.seed + k, f"{kind}{self.seed}")):
                jobs.append((kind, n, spam))
        # Interleaved, as several robots hit a site at once.
        jobs.sort(key=lambda job: (job[1], job[0]))
        posts = [Post(kind, spam.email, self.addresses.next()) for kind, _, spam in jobs]

        def one(job, post):
            if time.monotonic() > deadline:
                return
            kind, n, spam = job
            post.sent = True
            try:
                getattr(self, self.SENDERS.get(kind, kind))(n, spam, post)
            except (OSError, http.client.HTTPException):
                post.status = 0

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, jobs, posts))
        return [post for post in posts if post.sent]
