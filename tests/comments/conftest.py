"""Fixtures for the comment server tests: real gunicorn serving comments.wsgi on loopback, a temporary database, an aiosmtpd sink."""

import re
import time

import pytest
from isso_support import Server, mailing_to
import support

@pytest.fixture(scope="session")
def smtp_sink():
    """The comment servers' moderation e-mails arrive here: (port, sink)."""
    with support.smtp_sink() as port_and_sink:
        yield port_and_sink


@pytest.fixture(scope="session")
def moderated(tmp_path_factory, smtp_sink):
    """The production-like server: moderation on, SMTP notifications to the sink, 2 workers."""
    server = Server(tmp_path_factory.mktemp("moderated"), **mailing_to(smtp_sink[0])).start()
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
