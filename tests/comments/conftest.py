"""Fixtures for the comment server tests: real gunicorn serving comments.wsgi on loopback, a temporary database, an aiosmtpd sink."""

import configparser
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from comments import settings

REPO = settings.REPO_ROOT
# An origin nobody listens on: Isso's start-up probe of the site fails at once, and
# the tests always give a thread title so that Isso never fetches a page.
SITE = "http://127.0.0.1:9"
ADMIN_PASSWORD = "test-admin-password-long-enough"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def write_config(directory, port, **sections):
    """Write a test configuration derived from the committed development one."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(settings.DEFAULT_SETTINGS)
    conf["general"]["dbpath"] = str(directory / "comments.db")
    conf["general"]["host"] = SITE
    conf["server"]["listen"] = f"http://127.0.0.1:{port}"
    conf["server"]["public-endpoint"] = f"http://127.0.0.1:{port}"
    # Loopback is the proxy: tests give each "visitor" its own X-Forwarded-For.
    conf["server"]["trusted-proxies"] = "127.0.0.1"
    conf["guard"]["enabled"] = "false"
    for section, values in sections.items():
        for key, value in values.items():
            conf[section][key] = str(value)
    path = directory / "isso.cfg"
    with open(path, "w") as f:
        conf.write(f)
    return path


class Server:
    """gunicorn (``--preload``, N sync workers) serving an application on a free loopback port."""

    def __init__(self, directory, app="comments.wsgi:application", workers=2, env=None, **sections):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.config = write_config(self.directory, self.port, **sections)
        self.dbpath = self.directory / "comments.db"
        self.env = {
            **os.environ,
            "ISSO_SETTINGS": str(self.config),
            "ZOHE_ENV": "production",
            "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD,
            **(env or {}),
        }
        self.app, self.workers = app, workers
        self.process = None

    def start(self, wait=30):
        self.log = open(self.directory / "server.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--preload", "-w", str(self.workers),
             "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "2", self.app],
            cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {(self.directory / 'server.log').read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("gunicorn did not start in time")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process:
            self.log.close()

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
