"""Helpers of the comment server tests: real gunicorn serving comments.wsgi on loopback, an HTTP client, an SMTP sink.

Test modules import them from here, never from a conftest: several conftest modules
share that name and shadow one another.
"""

import html
import itertools
import http.client
import json
import re
from pathlib import Path
import sqlite3
from urllib.parse import urlsplit


from bench import gunicorn_server
from bench.gunicorn_server import free_port, write_config
from comments import settings
from support import Sink, moderation_links  # noqa: F401  (re-exported for the fixtures and tests)

SITE = gunicorn_server.UNREACHABLE_SITE
ADMIN_PASSWORD = "test-admin-password-long-enough"
# Production servers refuse to start without a form secret (comments.settings.form_secret).
FORM_SECRET = "isso-support-form-secret-0123456789abcdef"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name)

    def header_all(self, name):
        return self.headers.get_all(name) or []

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8")


class Client:
    """A minimal HTTP client for one server; ``origin`` is sent as Origin unless told otherwise."""

    def __init__(self, base, origin=SITE):
        self.base = base
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.origin = origin

    def request(self, method, path, body=None, headers=None, json_body=None, origin="default", timeout=30):
        headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        if origin == "default":
            origin = self.origin if method in ("POST", "PUT", "DELETE") else None
        if origin is not None:
            headers.setdefault("Origin", origin)
        con = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            con.request(method, path, body=body, headers=headers)
            r = con.getresponse()
            return Response(r.status, r.headers, r.read())
        finally:
            con.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def new(self, uri, text, author="Camille", email="camille@example.org", title="Une chronique", **extra):
        payload = {"text": text, "author": author, "email": email, "title": title, **extra}
        return self.post(f"/new?uri={uri}", json_body=payload)

    def thread(self, uri):
        return self.get(f"/?uri={uri}")


def cookie_pair(response, name):
    """``name=value`` from a Set-Cookie header of the response."""
    for value in response.header_all("Set-Cookie"):
        if value.startswith(name + "="):
            return value.split(";")[0]
    raise AssertionError(f"no {name} cookie in {response.header_all('Set-Cookie')}")


def admin_page_key(page, comment_id):
    """The moderation key the admin page gives the « Publier » (Validate) button of comment ``comment_id`` (see comments.admin)."""
    for found in re.finditer(r'data-zohe-call="validate_com" data-zohe-args="([^"]*)"', page):
        arguments = json.loads(html.unescape(found.group(1)))
        if arguments[0] == comment_id:
            return arguments[1]
    raise AssertionError(f"no « Publier » (Validate) button for comment {comment_id}")


def mailing_to(port):
    """The configuration sections that send the moderators' e-mail to the SMTP sink on ``port``."""
    return {"general": {"notify": "smtp"},
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "to": "moderation@zohe.test"}}


class Server(gunicorn_server.Gunicorn):
    """The comment server under gunicorn, in production mode, with a test configuration in ``directory``."""

    def __init__(self, directory, app="comments.wsgi:application", workers=2, env=None, **sections):
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        port = free_port()
        config = write_config(directory, port, **sections)
        env = {"ZOHE_ENV": "production", "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD, "ZOHE_FORM_SECRET": FORM_SECRET,
               **(env or {})}
        super().__init__(directory, port, config, app=app, workers=workers, env=env)
        self.dbpath = directory / "comments.db"

    def client(self, origin=SITE):
        return Client(self.base, origin)

    def spoil_database(self):
        """Overwrite the database with bytes SQLite cannot read, with its WAL and shared memory gone.

        Only before any worker has the database open (comments.wsgi.release_database).
        """
        self.dbpath.write_bytes(b"ceci n'est pas une base SQLite" * 200)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.dbpath}{suffix}").unlink(missing_ok=True)

    def conf(self):
        """The server's configuration as comments.settings loads it (for CLI functions)."""
        return settings.load(self.config, environ={"ZOHE_ENV": "production", "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD})


def mail_about(sink, comment_id, text):
    """The moderation e-mail about comment ``comment_id`` saying ``text``, and its links (support.moderation_links).

    The text tells two comments apart that had the same number (Isso gives a deleted
    comment's number to the next one, and other modules' tests delete on the same server).
    """
    _, message = sink.wait_for(lambda to, msg: f"/id/{comment_id}/" in msg.get_content() and text in msg.get_content())
    return message, moderation_links(message.get_content())


def mailed_links(sink, server, comment_id, text):
    """The activate, delete and edit paths of the moderation e-mail about comment ``comment_id`` saying ``text``."""
    _, links = mail_about(sink, comment_id, text)
    for link in links.values():
        assert link.startswith(server.base + f"/id/{comment_id}/"), link
    paths = {action: link[len(server.base):] for action, link in links.items()}
    paths["edit"] = paths["activate"].replace("/activate/", "/edit/")
    return paths


_addresses = itertools.count(1)


def visitor():
    """A distinct client address (loopback is a trusted proxy in the test configuration)."""
    return {"X-Forwarded-For": f"198.51.100.{next(_addresses)}"}


def thread_texts(client, uri):
    """The texts of the thread's comments, as a reader's page asks for them."""
    return [c["text"] for c in client.thread(uri).json()["replies"]]


def login(client, password, headers):
    """Post the admin login form with ``password``, from the address in ``headers`` (see visitor)."""
    return client.post("/login/", body=f"password={password}",
                       headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def insert_as_isso_import(dbpath, uri, websites):
    """Rows as `isso import` writes them: straight into the database, nothing checked."""
    con = sqlite3.connect(dbpath)
    with con:
        con.execute("INSERT OR IGNORE INTO threads (uri, title) VALUES (?, 'Importé')", (uri,))
        for website in websites:
            con.execute(
                "INSERT INTO comments (tid, parent, created, mode, remote_addr, text, author, email, website, voters)"
                " SELECT id, NULL, strftime('%s', 'now'), 2, '127.0.0.0', 'Importé', 'Importé', NULL, ?, x'00'"
                " FROM threads WHERE uri = ?",
                (website, uri),
            )
    con.close()
