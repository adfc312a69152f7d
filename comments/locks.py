"""Locks shared by every worker process and thread that the kernel releases when their holder dies.

Isso's multiprocessing lock is a semaphore: a worker killed while holding it (SIGKILL, the
OOM killer, gunicorn's own timeout) never releases it, and every later write waited
until gunicorn's timeout killed the next worker, forever, while the master stayed up and
systemd saw nothing wrong. An ``flock`` on a file beside the database belongs to the
open file description, which the kernel closes with the process that holds it.

A process has one such description per lock: a forked child opens its own (a
description inherited across ``fork`` would be one lock for parent and child), and its
threads queue on a ``threading.Lock`` first, since two threads of one process share the
description and so would both "hold" its flock. The kernel wakes a blocked ``flock`` at
once; only a wait with a timeout polls (filelock, the maintained library, always polls).
"""

import fcntl
import os
import threading
import time

# How often a wait with a timeout tries again.
POLL_INTERVAL = 0.005


class FileLock:
    """A lock for every process and thread that uses the file ``path``; usable as Isso's ``instance.lock`` (``with lock:``)."""

    def __init__(self, path):
        self.path = str(path)
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self):
        # In a forked child, nothing of the parent's lock is ours: neither its
        # description (closed without unlocking what the parent may hold) nor its threads.
        descriptor = getattr(self, "_fd", None)
        if descriptor is not None:
            os.close(descriptor)
        self._fd = None
        self._threads = threading.Lock()

    def _descriptor(self):
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._fd

    def acquire(self, timeout=None):
        """Wait for the lock (at most ``timeout`` seconds when given); True once held."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._threads.acquire(timeout=-1 if timeout is None else timeout):
            return False
        try:
            if deadline is None:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
                return True
            while True:
                try:
                    fcntl.flock(self._descriptor(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(POLL_INTERVAL)
        except BaseException:
            self._threads.release()
            raise
        self._threads.release()
        return False

    def release(self):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


def beside(database, name):
    """The lock named ``name`` of the database at ``database``: the file ``<database>.<name>.lock``."""
    return FileLock(f"{database}.{name}.lock")
