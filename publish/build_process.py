"""The publishing hook's build as a child process: its output relayed to the author, its time limit.

Python-Markdown is quadratic on some inputs (a line of 24,000 "[" took 67 s to read; 100 KB
would take about twenty minutes), and the hook holds the publishing lock while it builds:
meanwhile nothing could be published or rolled back. Past the limit the build's whole
process group is killed (Pagefind with it), the lock is freed, the
live site stays, and publish/progress.py tells which file the build was reading.
"""

import os
import re
import signal
import subprocess
import sys
import threading

# The deploy.env setting, in seconds; absent or empty: the default.
SETTING = "ZOHE_BUILD_TIME_LIMIT"
DEFAULT_SECONDS = 600


def time_limit(env):
    """The limit set in `env` (deploy.env read into the build's environment), in seconds.

    Raises ValueError, with a French message, for anything but a positive number.
    """
    value = env.get(SETTING, "").strip()
    if not value:
        return DEFAULT_SECONDS
    try:
        seconds = float(value.replace(",", "."))
    except ValueError:
        seconds = None
    if seconds is None or not 0 < seconds < float("inf"):
        raise ValueError(f"{SETTING} doit être un nombre de secondes positif, pas «\u00a0{value}\u00a0»")
    return seconds


def duration(seconds):
    """A limit as an author reads it: "10 min", "1 min 30 s", "2,5 s"."""
    minutes, rest = divmod(round(seconds, 1), 60)
    parts = [f"{int(minutes)} min"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest:g}".replace(".", ",") + " s")
    return " ".join(parts)


def stopped(commit, limit, files, settings_file):
    """The author's message for a build stopped at its limit, naming the files it was reading."""
    where = f", pendant la lecture de {' et de '.join(files)}, que Markdown met trop de temps à lire" if files else ""
    return (
        f"la construction de {commit[:12]} a été arrêtée au bout de {duration(limit)} "
        f"(limite {SETTING} dans {settings_file}){where}\u202f; le site en ligne n’a pas changé."
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
