"""The hook's build of one release: the commit exported, built by its own code as a child process, stopped at its time limit.

Python-Markdown is quadratic on some inputs (a line of 24,000 "[" took 67 s to read; 100 KB
would take about twenty minutes), and the hook holds the publishing lock while it builds:
meanwhile nothing could be published or rolled back. Past the limit (ZOHE_BUILD_TIME_LIMIT
in deploy.env) the build's whole process group is killed (Pagefind
with it), the lock is freed, the live site stays, and publish/progress.py tells which file
the build was reading.
"""

import hashlib
import os
from pathlib import Path
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

from deploy.messages import DeployError, say
from deploy.releases import RELEASES, carry_over_assets, current_release, write_marker
from deploy.settings import ENV_FILE, TIME_LIMIT, build_environment, time_limit
from deploy.repository import export_commit
from publish import progress

CHECKOUT = Path(".build") / "site"
READING = Path(".build") / "reading"


def build_release(repo, webroot, commit, name, python=None, stream=None):
    """Build `commit` with its own strict production build into releases/<name>; return the Release."""
    python = python or sys.executable
    target = Path(webroot) / RELEASES / name
    started = time.time()
    env = build_environment(webroot)
    limit = time_limit(webroot, env)
    reading = Path(webroot).resolve() / READING
    env[progress.VARIABLE] = str(reading)
    # Always the same folder: Pelican's reader cache is keyed by each source's absolute
    # path, so only a stable checkout lets a push re-read just the files it changed.
    # Callers hold the lock, so no other build is using it.
    checkout = Path(webroot).resolve() / CHECKOUT
    if checkout.exists():
        shutil.rmtree(checkout)
    checkout.mkdir(parents=True)
    reading.unlink(missing_ok=True)
    try:
        export_commit(repo, commit, checkout)
        _check_requirements(checkout, python, stream)
        # The pushed commit's own tasks.py and publish.build: one build path for everyone.
        returncode, expired = run(
            [python, "-m", "invoke", "build", "--prod", "--output", str(target)],
            checkout, env, limit, stream,
        )
    finally:
        shutil.rmtree(checkout, ignore_errors=True)
    if expired:
        # Killed: what the build had begun beside the release (releases/.<name>.new-…) stays
        # half-written; under the lock no other build is running.
        for leftover in target.parent.glob(f".{target.name}.*"):
            shutil.rmtree(leftover, ignore_errors=True)
        raise DeployError(stopped(commit, limit, progress.being_read(reading)))
    if returncode != 0:
        raise DeployError(
            f"la construction de {commit[:12]} a échoué (voir ci-dessus)\u202f; "
            "le site en ligne n’a pas changé."
        )
    current = current_release(webroot)
    carried = carry_over_assets(current.path, target) if current is not None else []
    return write_marker(target, commit, started, carried)


def _check_requirements(checkout, python, stream):
    """Warn when the pushed requirements differ from those the server's venv was made from."""
    stamp = Path(python).parent.parent / ".requirements.sha256"
    wanted = checkout / "requirements.txt"
    if stamp.is_file() and wanted.is_file():
        digest = hashlib.sha256(wanted.read_bytes()).hexdigest()
        if digest != stamp.read_text().strip():
            say("attention, requirements.txt a changé\u00a0: lancez ./dev sur le serveur "
                "pour mettre l’environnement à jour.", stream)


def duration(seconds):
    """A limit as an author reads it: "10 min", "1 min 30 s", "2,5 s"."""
    minutes, rest = divmod(round(seconds, 1), 60)
    parts = [f"{int(minutes)} min"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest:g}".replace(".", ",") + " s")
    return " ".join(parts)


def stopped(commit, limit, files):
    """The author's message for a build stopped at its limit, naming the files it was reading."""
    where = f", pendant la lecture de {' et de '.join(files)}, que Markdown met trop de temps à lire" if files else ""
    return (
        f"la construction de {commit[:12]} a été arrêtée au bout de {duration(limit)} "
        f"(limite {TIME_LIMIT} dans {ENV_FILE}){where}\u202f; le site en ligne n’a pas changé."
    )


# Isso's import configures logging at INFO: one line per written file would bury the one
# message the author needs.
_INFO_LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+:(?:INFO|DEBUG): ")


def run(command, cwd, env, seconds, stream=None):
    """Run `command`, printing its lines but INFO ones to `stream`, and kill it past `seconds`.

    Returns its exit status and whether the limit stopped it. It leads a process group
    of its own, so that the kill reaches every process it forked and none of ours; it is
    killed too if we stop early, never left running without the lock.
    """
    stream = stream or sys.stdout
    process = subprocess.Popen(
        command, cwd=cwd, env=env, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    expired = threading.Event()

    def expire():
        expired.set()
        _kill_group(process)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        # The output ends when the last process of the group holding it is gone.
        for line in process.stdout:
            if stream is not None and not _INFO_LINE.match(line):
                try:
                    print(line, end="", file=stream, flush=True)
                except BrokenPipeError:
                    # The author's terminal went away; the push is in, so the build goes on.
                    stream = None
        return process.wait(), expired.is_set()
    finally:
        timer.cancel()
        if process.poll() is None:
            _kill_group(process)
            process.wait()
        process.stdout.close()


def _kill_group(process):
    # SIGKILL: a build stuck in a regular expression handles nothing else in time.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group is gone already
