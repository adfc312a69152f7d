"""The publishing lock: one build or switch of `current` at a time in a web root."""

import fcntl
from pathlib import Path

from deploy.messages import say

LOCK = ".deploy.lock"


class Lock:
    """An exclusive flock on DIR/.deploy.lock, waited for with one line to the author.

    A flock, not a file that exists: the kernel releases it when its holder dies, so a
    build killed at its limit or a crashed hook never leaves publishing stuck.
    """

    def __init__(self, webroot, stream=None):
        self.path = Path(webroot) / LOCK
        self.stream = stream
        self.handle = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("une autre publication est en cours, attente de sa fin…", self.stream)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
