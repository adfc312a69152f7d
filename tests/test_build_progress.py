"""A build killed while it reads a file can be told which one."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

from publish import progress
from support import ROOT

STUCK = "content/chroniques/crochets.md"
# About a minute of Python-Markdown (3e-7 n² s here): the build is killed long before.
BRACKETS = 14_000


def test_a_killed_build_names_the_file_it_was_reading(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (tmp_path / STUCK).write_text(
        "Title: Des crochets\nDate: 2024-05-01 10:00\nAuthor: Zôhé\nCategory: Les Chroniques de Zôhé\n"
        f"Summary: Une chronique de test.\nSlug: crochets\n\n{'[' * BRACKETS}\n",
        encoding="utf-8",
    )
    journal = tmp_path / "reading"
    # Every file is new to this build: none comes from a reader cache.
    script = (
        "from publish.build import build; "
        f"build(prod=True, output={str(tmp_path / 'output')!r}, overrides={{'PATH': {str(content)!r}}})"
    )
    env = {**os.environ, progress.VARIABLE: str(journal)}
    build = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        for _ in range(1200):
            # The other files are quick to read: soon only the stuck one is left open.
            if progress.being_read(journal) == [STUCK] or build.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert progress.being_read(journal) == [STUCK]
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    readers = {entry["pid"] for entry in entries if entry["reading"] == STUCK}
    assert readers == {build.pid}  # the build reads in its own process
    # Named as the other build errors name files; which others were read first depends on
    # the order the folder lists them in, one process reading one file after another.
    assert all(entry["reading"].startswith("content/") for entry in entries if entry["reading"])
