"""A worker killed while it holds the write lock must not stop the others: the kernel releases a file lock with its holder."""

import os
import signal
import socket
import threading
from pathlib import Path

import pytest

from comments import locks
from isso_support import Server

pytestmark = pytest.mark.timeout(120)

# Bounded client waits: far below gunicorn's 30 s worker timeout, which was the only
# thing that ever freed the old semaphore (killing the next waiter, not releasing it).
ANSWER_WITHIN = 10


class SilentSite:
    """A loopback "site" that accepts connections, reads the request and never answers.

    Isso fetches a new thread's page to read its title when a comment gives none, and
    holds its write lock meanwhile: a worker connected here is a worker holding the lock.
    """

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.origin = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = []

    def wait_for_request(self, timeout):
        """The (connection, peer address) of the first client that sent a whole request line."""
        self.listener.settimeout(timeout)
        connection, peer = self.listener.accept()
        self.connections.append(connection)
        connection.settimeout(timeout)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
        assert received.startswith(b"GET "), received
        return peer

    def close(self):
        for connection in self.connections:
            connection.close()
        self.listener.close()


def socket_inode(local_port, remote_port):
    """The inode of the loopback TCP socket from ``local_port`` to ``remote_port`` (Linux /proc/net/tcp)."""
    wanted = (f"0100007F:{local_port:04X}", f"0100007F:{remote_port:04X}")
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1], fields[2]) == wanted:
            return fields[9]
    raise AssertionError(f"no socket from port {local_port} to {remote_port}")


def owner_of_socket(master, inode):
    """The child of ``master`` (a gunicorn worker) that holds the socket ``inode``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid != master:
                continue
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return int(entry.name)
        except OSError:
            continue
    raise AssertionError(f"no worker of {master} holds socket {inode}")


def test_a_worker_killed_holding_the_lock_stops_no_write(tmp_path):
    site = SilentSite()
    server = Server(tmp_path, general={"host": site.origin}).start()
    try:
        client = server.client(origin=site.origin)

        # No title: Isso fetches the page from the silent site, write lock held.
        stuck = threading.Thread(
            target=lambda: _ignore_errors(
                client.post, "/new?uri=/chroniques/sans-titre/",
                json_body={"text": "Bonjour.", "author": "Camille", "email": "camille@example.org"},
                timeout=ANSWER_WITHIN,
            ),
            daemon=True,
        )
        stuck.start()
        _, peer_port = site.wait_for_request(timeout=ANSWER_WITHIN)
        holder = owner_of_socket(server.process.pid, socket_inode(peer_port, site.listener.getsockname()[1]))
        os.kill(holder, signal.SIGKILL)
        stuck.join(ANSWER_WITHIN)

        assert client.get("/config", timeout=ANSWER_WITHIN).status == 200
        for text in ("Après la mort d’un worker.", "Et encore un."):
            r = client.post("/new?uri=/chroniques/avec-titre/", timeout=ANSWER_WITHIN, json_body={
                "text": text, "author": "Camille", "email": "camille@example.org", "title": "Une chronique"})
            assert r.status == 202, r.text
        assert client.get("/config", timeout=ANSWER_WITHIN).status == 200
    finally:
        server.stop()
        site.close()


def _ignore_errors(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except OSError:
        pass  # its worker was killed: the connection closes without an answer


def test_threads_of_one_process_exclude_each_other(tmp_path):
    """Two threads share their process's open file, hence its flock: the lock must still keep them apart."""
    lock = locks.FileLock(tmp_path / "test.lock")
    assert lock.acquire(timeout=1)
    outcome = []
    other = threading.Thread(target=lambda: outcome.append(lock.acquire(timeout=0.2)))
    other.start()
    other.join(5)
    assert outcome == [False]
    lock.release()
    other = threading.Thread(target=lambda: outcome.append(lock.acquire(timeout=5)))
    other.start()
    other.join(10)
    assert outcome == [False, True]


def test_a_dead_process_releases_the_lock(tmp_path):
    """A child that dies holding the lock (no release, no clean-up) leaves it free for the parent."""
    lock = locks.FileLock(tmp_path / "test.lock")
    ready_read, ready_write = os.pipe()
    child = os.fork()
    if child == 0:
        lock.acquire()
        os.write(ready_write, b"x")
        signal.pause()
        os._exit(0)
    os.close(ready_write)
    assert os.read(ready_read, 1) == b"x"
    os.close(ready_read)
    assert not lock.acquire(timeout=0.2)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    assert lock.acquire(timeout=5)
    lock.release()
