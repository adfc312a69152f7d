"""Starts a throwaway comment server under gunicorn on a free loopback port, for the tests and the benchmark.

It lives in bench/, the team's room, rather than in comments/ (the server and moderation
only, what production runs) or in tests/ (which no room imports): the comment-server
benchmark needs it, and the tests may import any room they test, so both use this one
module and neither reaches into the other.
"""

import configparser
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from comments import settings

# An origin nobody listens on: Isso's start-up probe of the site fails at once. Callers
# always give a thread title, so Isso never needs to fetch a page from it.
UNREACHABLE_SITE = "http://127.0.0.1:9"
# As zohe-comments.service runs it: gunicorn's own refusals in French.
GUNICORN_CONFIG = "python:comments.gunicorn_conf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(directory, port, **sections):
    """A configuration derived from the development one, with its database in ``directory``.

    Loopback is declared a trusted proxy so that callers can give each simulated visitor
    its own address with X-Forwarded-For; the guard and the spam filter (which holds every
    post without a reader's evidence) are off unless a caller turns them on.
    """
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(settings.DEFAULT_SETTINGS)
    conf["general"]["dbpath"] = str(Path(directory) / "comments.db")
    conf["general"]["host"] = UNREACHABLE_SITE
    conf["server"]["listen"] = f"http://127.0.0.1:{port}"
    conf["server"]["public-endpoint"] = f"http://127.0.0.1:{port}"
    conf["server"]["trusted-proxies"] = "127.0.0.1"
    conf["guard"]["enabled"] = "false"
    conf["spam"]["enabled"] = "false"
    for section, values in sections.items():
        for key, value in values.items():
            conf[section][key] = str(value)
    path = Path(directory) / "isso.cfg"
    with open(path, "w") as f:
        conf.write(f)
    return path


class Gunicorn:
    """``gunicorn --config python:comments.gunicorn_conf --preload -w N app`` on 127.0.0.1:port, output in ``directory/server.log``."""

    def __init__(self, directory, port, config, app="comments.wsgi:application", workers=2, env=None):
        self.directory = Path(directory)
        self.port, self.config, self.app, self.workers = port, Path(config), app, workers
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, "ISSO_SETTINGS": str(self.config), **(env or {})}
        self.process = None
        self.log = None

    def start(self, wait=30.0):
        self.log = open(self.directory / "server.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, "--preload", "-w", str(self.workers),
             "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "2", self.app],
            cwd=settings.REPO_ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.close()
                tail = (self.directory / "server.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}:\n{tail}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"gunicorn did not listen on port {self.port} within {wait} s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.log and not self.log.closed:
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
