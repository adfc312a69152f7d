"""gunicorn ``--preload`` forks the workers from a master that has built the app: no SQLite connection may cross that fork."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from comments import settings
from isso_support import ADMIN_PASSWORD, Server

pytestmark = pytest.mark.timeout(240)

URI = "/chroniques/la-juste-mesure/"
# Whether a start went wrong depended on when the master's garbage collector ran, before
# or after the fork: measured here, most starts did, but up to eight in a row did not.
RESTARTS = 10


def worker_pids(master, expected, wait=30.0):
    """The pids of the master's ``expected`` workers, once gunicorn has forked them all."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid …": comm may hold spaces, hence the split on ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                children.append(int(entry.name))
        if len(children) == expected:
            return children
        time.sleep(0.05)
    raise AssertionError(f"gunicorn did not fork {expected} workers within {wait} s")


def open_database_files(pid, dbpath):
    """The files of the database (itself, its -wal, its -shm) that process ``pid`` holds open."""
    names = {str(dbpath), f"{dbpath}-wal", f"{dbpath}-shm"}
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.removesuffix(" (deleted)") in names:
            found.append(target)
    return sorted(found)


def invoke(server, *arguments):
    """``invoke comments.…`` as the moderator runs it: another process opening the database."""
    program = Path(sys.executable).with_name("invoke")
    env = {**os.environ, "ISSO_SETTINGS": str(server.config), "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "ZOHE_ENV": "production"}
    run = subprocess.run([str(program), *arguments], cwd=settings.REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def post(client, n):
    r = client.new(URI, f"Commentaire numéro {n}.", author=f"Lecteur {n}", email=f"lecteur{n}@example.org")
    assert r.status == 202, (n, r.status, r.text)
    return r.json()["id"]


def test_no_worker_inherits_an_open_database(tmp_path):
    """Before any request, neither the master nor a worker has a file of the database open."""
    with Server(tmp_path) as server:
        post(server.client(), 1)
    for restart in range(RESTARTS):
        with Server(tmp_path) as server:
            for pid in worker_pids(server.process.pid, 2) + [server.process.pid]:
                assert open_database_files(pid, server.dbpath) == [], (restart, pid)
            assert server.client().thread(URI).status == 200


def test_workers_survive_command_line_moderation_after_a_restart(tmp_path):
    """Start on an existing database, read, post, back up and approve from the command line: every later request succeeds.

    Isso opens a connection per query (``with sqlite3.connect() as con: return
    con.execute()``) and leaves it in a reference cycle; still open in the master when
    ``--preload`` forked, it was inherited by the workers without SQLite's locks, and
    the first other process to open the database (moderation, backup) left every worker
    answering 500 "disk I/O error" until restarted (comments.wsgi.release_database).
    """
    accepted = 0
    with Server(tmp_path) as server:  # the existing database: a first life of the server
        for n in range(1, 4):
            post(server.client(), n)
            accepted += 1

    for restart in range(RESTARTS):
        server = Server(tmp_path).start()
        try:
            client = server.client()
            for _ in range(2):
                assert client.thread(URI).status == 200
            pending = post(client, 10 * restart + 10)
            accepted += 1
            invoke(server, "comments.backup", "--keep", "2", "--directory", str(tmp_path / "backups"))
            assert client.thread(URI).status == 200
            invoke(server, "comments.approve", str(pending))
            for n in range(10 * restart + 11, 10 * restart + 15):
                r = client.thread(URI)
                assert r.status == 200, (restart, r.status, r.text)
                assert pending in [c["id"] for c in r.json()["replies"]]
                post(client, n)
                accepted += 1
        finally:
            server.stop()
        log = (tmp_path / "server.log").read_text(errors="replace")
        assert "disk I/O error" not in log, restart

    con = sqlite3.connect(tmp_path / "comments.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM comments").fetchone()[0] == accepted
    finally:
        con.close()
