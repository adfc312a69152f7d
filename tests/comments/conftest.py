"""Fixtures for the comment server tests: real gunicorn serving comments.wsgi on loopback, a temporary database, an aiosmtpd sink."""

import http.client
import json
import re
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from comments import runner, settings
from comments.runner import free_port, write_config

SITE = runner.UNREACHABLE_SITE
ADMIN_PASSWORD = "test-admin-password-long-enough"


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


class Server(runner.Gunicorn):
    """The comment server under gunicorn, in production mode, with a test configuration in ``directory``."""

    def __init__(self, directory, app="comments.wsgi:application", workers=2, env=None, **sections):
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        port = free_port()
        config = write_config(directory, port, **sections)
        env = {"ZOHE_ENV": "production", "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD, **(env or {})}
        super().__init__(directory, port, config, app=app, workers=workers, env=env)
        self.dbpath = directory / "comments.db"

    def client(self, origin=SITE):
        return Client(self.base, origin)

    def conf(self):
        """The server's configuration as comments.settings loads it (for CLI functions)."""
        return settings.load(self.config, environ={"ZOHE_ENV": "production", "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD})


class Sink:
    """Collects the messages an aiosmtpd server on loopback receives."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, predicate, timeout=10):
        """The first message (recipients, message) for which predicate is true, within timeout."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for item in self.messages:
                    if predicate(*item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no matching e-mail within {timeout} s; got {len(self.messages)}")
                self.arrived.wait(remaining)


@pytest.fixture(scope="session")
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, sink
    controller.stop()


@pytest.fixture(scope="session")
def moderated(tmp_path_factory, smtp_sink):
    """The production-like server: moderation on, SMTP notifications to the sink, 2 workers."""
    port, _ = smtp_sink
    server = Server(
        tmp_path_factory.mktemp("moderated"),
        general={"notify": "smtp"},
        smtp={"host": "127.0.0.1", "port": port, "security": "none", "to": "moderation@zohe.test"},
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def unmoderated(tmp_path_factory):
    """Comments published at once: what writes do to thread reads shows immediately."""
    server = Server(tmp_path_factory.mktemp("unmoderated"), moderation={"enabled": "false"}).start()
    yield server
    server.stop()


@pytest.fixture
def uri(request):
    """A thread of its own for each test, so tests on a shared server do not see each other."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    return f"/chroniques/{slug}-{time.monotonic_ns()}/"
