"""Fixtures shared by the whole suite: the real site built into a temporary folder, served on loopback."""

import contextlib
import functools
import http.server
import os
from pathlib import Path
import socket
import sys
import threading

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publish.build import build  # noqa: E402


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


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    """The development build of the real content and theme (drafts shown, relative URLs)."""
    return build(prod=False, output=tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def prod_site(tmp_path_factory):
    """The production build of the real content, as published at https://zohe.example."""
    os.environ.setdefault("ZOHE_SITEURL", "https://zohe.example")
    return build(prod=True, output=tmp_path_factory.mktemp("prod") / "output")


def pytest_runtest_logreport(report):
    """In CI a skipped test is a missing test: remember it to fail the run."""
    if report.skipped and os.environ.get("CI") == "true":
        _skipped_in_ci.append(report.nodeid)


_skipped_in_ci = []


def pytest_sessionfinish(session, exitstatus):
    if _skipped_in_ci:
        print(f"\nCI=true and {len(_skipped_in_ci)} test(s) skipped: {', '.join(_skipped_in_ci)}")
        session.exitstatus = 1
