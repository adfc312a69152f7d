"""Helpers shared by the whole suite: build the real site, serve a folder on loopback, set the environment.

Test modules import these from here, not from a conftest: several conftest
modules share that name and would shadow one another.
"""

import contextlib
import functools
import re
import http.server
import os
from pathlib import Path
import socket
import sys
import threading
import time

from bs4 import BeautifulSoup
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# publish puts plugins/ on sys.path, for the tests that import a plugin or a module beside them.
from publish.build import build  # noqa: E402

# Debian's Chromium and its flags: one home, bench.readers (the spam benchmark's readers use it too).
from bench.readers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402,F401
from bench.smtp_sink import Sink, smtp_sink  # noqa: E402,F401


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as nginx will: directory indexes and the site's own 404 page."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve_directory(directory, port=None):
    """Serve `directory` on 127.0.0.1; yields the base URL without trailing slash."""
    handler = functools.partial(_SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port or 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def environment(**values):
    """Set environment variables for the duration of a block (publishconf reads them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


PROD_SITEURL = "https://zohe.example"
# The legal notice's facts for the tests' production builds and web roots (legal_notice.FACTS):
# invented, never the collective's own, which live in the server's deploy.env only.
LEGAL_FACTS = {
    "ZOHE_PUBLISHER_NAME": "Collectif d’essai",
    "ZOHE_PUBLISHER_ADDRESS": "1 place de l’Exemple, 99999 Essai",
    "ZOHE_PUBLISHER_PHONE": "+33 9 99 99 99 01",
    "ZOHE_PUBLICATION_DIRECTOR": "Camille Essai",
    "ZOHE_HOST_NAME": "Hébergeur d’essai SAS",
    "ZOHE_HOST_ADDRESS": "2 rue de l’Exemple, 99999 Essai",
    "ZOHE_HOST_PHONE": "+33 9 99 99 99 02",
}


def legal_facts_lines(facts=None):
    """deploy.env's lines giving `facts` (the tests' LEGAL_FACTS by default)."""
    return "".join(f"{name}={value}\n" for name, value in (LEGAL_FACTS if facts is None else facts).items())


def build_prod(output, **overrides):
    """A production build as published at PROD_SITEURL, with the tests' legal facts."""
    with environment(ZOHE_SITEURL=PROD_SITEURL, **LEGAL_FACTS):
        return build(prod=True, output=output, overrides=overrides)


# A moderation link alone on its line, as comments.mail writes it: one inside the quoted
# comment text, or after "Auteur :", is a commenter's, not the mail's.
MODERATION_LINK = re.compile(r"\S+/id/\d+/(activate|delete)/\S+")


def moderation_links(body):
    """The links of a moderation e-mail's body, ``{"activate": url, "delete": url}`` (no activate once published).

    Found by their address, not by the words around them; a second link for one action
    fails the test, since a moderator could not tell which is real.
    """
    links = {}
    for line in body.splitlines():
        if found := MODERATION_LINK.fullmatch(line):
            assert found[1] not in links, f"two {found[1]} links in the e-mail:\n{body}"
            links[found[1]] = found[0]
    return links


# A chronicle an author pushed without its title: the strict build must refuse it, naming it.
UNTITLED_CHRONICLE = """Date: 2024-05-02 10:00
Author: Zôhé
Category: Les Chroniques de Zôhé
Summary: Une chronique qui a oublié son titre.
Slug: sans-titre

Le texte est là, le titre non.
"""


# Baked comments: one chronicle's thread in a database Isso's own code writes, for the
# tests of the comment feed, the baked page and the database the build reads.

ATOM = "{http://www.w3.org/2005/Atom}"
URI = "/chroniques/la-juste-mesure/"
HOSTILE_TEXT = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> '
    "[clic](javascript:alert(1)) ![i](data:text/html,<script>alert(1)</script>)"
)


def make_isso_database(path):
    """An Isso database written by Isso's own code: approved, pending, deleted and hostile comments."""
    from isso import config
    from isso.db import SQLite3

    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(path))
    db = SQLite3(str(path), conf)
    db.threads.new(URI, "La juste mesure")
    start = time.time() - 3600

    def add(text, author, parent=None, mode=1, website=None, offset=0):
        comment = db.comments.add(
            URI,
            {
                "text": text,
                "author": author,
                "email": f"{author.lower()[:5]}@exemple.fr",
                "website": website,
                "parent": parent,
                "mode": mode,
                "remote_addr": "127.0.0.0",
                "created": start + offset,
            },
        )
        return comment["id"]

    first = add("Un **premier** avis.", "Pauline", offset=1)
    add("Une réponse à Pauline.", "Jean", parent=first, offset=2)
    add("En attente de modération.", "Attente", mode=2, offset=3)
    doomed = add("Ce message sera supprimé.", "Supprime", offset=4)
    add("Réponse au message supprimé.", "Orphelin", parent=doomed, offset=5)
    db.comments.delete(doomed)  # has a reply: Isso keeps it as mode 4
    add(HOSTILE_TEXT, '<b onmouseover="alert(1)">Hacker</b>', website="javascript:alert(1)", offset=6)
    return db


@pytest.fixture(scope="module", name="site")
def baked_site(tmp_path_factory):
    """A production build of the site with the comments of make_isso_database baked in (fixture `site`)."""
    base = tmp_path_factory.mktemp("baked")
    database = base / "comments.db"
    make_isso_database(database)
    return build_prod(base / "output", BAKED_COMMENTS={"database": database})


APPROVED_AUTHORS = ["Pauline", "Jean", "Orphelin", '<b onmouseover="alert(1)">Hacker</b>']


def baked_page(site, path="chroniques/la-juste-mesure/index.html"):
    """A page of the built ``site``, parsed: by default the chronicle with the baked comments."""
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def baked_thread(site):
    """The baked discussion of that chronicle: what a reader sees without JavaScript."""
    return baked_page(site).select_one("#isso-thread")


def post_seed(server, site, uri, comment, address=None):
    """Post ``comment`` (a dict of Isso's JSON) to the comment server directly, as the site's page would: its number."""
    import json
    import urllib.request

    headers = {"Content-Type": "application/json", "Origin": site}
    if address:
        headers["X-Forwarded-For"] = address
    request = urllib.request.Request(f"{server.base}/new?uri={uri}", data=json.dumps(comment).encode(),
                                     method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["id"]



def thread_comments(dbpath, uri, columns="comments.id, mode, parent, text"):
    """The ``columns`` of the comments of thread ``uri`` in Isso's database at ``dbpath``, oldest first."""
    import sqlite3

    with sqlite3.connect(dbpath) as db:
        return db.execute(f"SELECT {columns} FROM comments JOIN threads ON threads.id = comments.tid "
                          "WHERE threads.uri = ? ORDER BY comments.id", (uri,)).fetchall()


def chronicle_text(body, title="Une chronique de test", slug="une-chronique-de-test"):
    """A chronicle's Markdown with every metadata the strict checks require, then ``body``."""
    return (f"Title: {title}\nDate: 2024-05-02 10:00\nAuthor: Jean & Nathalie\nCategory: Les Chroniques de Zôhé\n"
            f"Tags: essai\nSummary: Un résumé de test.\nSlug: {slug}\n\n{body}")


@contextlib.contextmanager
def live_preview(tmp_path):
    """The real preview (`publish.serve.serve`) of a copy of the content, with its comment server, in a process of its own.

    Yields a dict: ``url`` and ``comments`` (the two servers), ``content`` (the copy),
    ``database`` (the comment server's), ``cache``, ``process``, ``wait_for(text)`` (the
    next line of its output holding ``text``) and ``output`` (every line read so far).
    """
    import queue
    import shutil
    import subprocess
    import urllib.request

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    port, comments_port = free_port(), free_port()
    database = tmp_path / "comments.db"
    # A reader's time before a post is not "too fast" (comments.form_token), shortened.
    env = dict(os.environ, ZOHE_COMMENTS_DB=str(database), ZOHE_FORM_MIN_SECONDS="1")
    env.pop("ISSO_ADMIN_PASSWORD", None)  # the preview's own development password
    code = (
        "from publish.serve import serve; "
        f"serve(port={port}, comments_port={comments_port}, content={str(content)!r}, output={str(tmp_path / 'output')!r})"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    output = []

    def wait_for(text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                assert process.poll() is None, "".join(output)
                continue
            output.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s:\n{''.join(output)}")

    try:
        wait_for("Aperçu sur")
        yield {"url": f"http://127.0.0.1:{port}", "content": content, "wait_for": wait_for, "output": output,
               "comments": f"http://127.0.0.1:{comments_port}", "process": process, "database": database,
               "cache": tmp_path / "cache"}
    finally:
        process.terminate()
        process.wait(timeout=20)
    # Terminating the preview stopped its comment server too.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{comments_port}/config", timeout=1)
        except OSError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the comment server outlived the preview")


def http_request(base, method, path, body=None, headers=None, timeout=30):
    """(status, headers, text) of one request to the server at ``base``, bytes as sent: no client's own rules."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read().decode("utf-8")
    finally:
        connection.close()
