"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: the moderators' mailbox in the tests and the bench."""

import contextlib
from email import message_from_bytes, policy
import threading
import time

from bench.gunicorn_server import free_port


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


@contextlib.contextmanager
def smtp_sink():
    """A real aiosmtpd server on a free loopback port, for as long as the block lasts: yields (port, Sink)."""
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()
