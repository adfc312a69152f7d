"""The invoke tasks as people run them: the test command and its --no-browser variant, a failed build's report."""

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from support import ROOT


def command_of(*task):
    """The command line a task runs, as `invoke --dry` prints it."""
    result = subprocess.run([sys.executable, "-m", "invoke", "--dry", *task], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    line = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).strip().splitlines()[-1]
    return shlex.split(line)


def collected(command):
    """Node ids `command` (a pytest run) would run, without running them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run([*command, "--collect-only", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {line for line in result.stdout.splitlines() if "::" in line}


@pytest.mark.timeout(600)
def test_no_browser_leaves_out_every_chromium_test_and_only_those():
    everything = collected(command_of("test"))
    without = collected(command_of("test", "--no-browser"))
    left_out = everything - without
    assert without < everything
    # Chromium outside tests/browser: the search through nginx.
    assert any(node.startswith("tests/deploy/test_search.py::") for node in left_out), left_out
    assert not any(node.startswith("tests/deploy/test_search.py::") for node in without)
    assert any(node.startswith("tests/browser/test_pages.py::") for node in left_out)
    # A test of tests/browser that needs no browser still runs.
    assert any(node.startswith("tests/browser/test_discussion.py::test_the_replies_filter") for node in without)
    # What stays needs no Chromium: the same run, asked for browser tests, selects none of them.
    marked = collected([*command_of("test"), "-m", "browser"])
    assert marked == left_out


def test_a_failed_build_says_each_problem_once_and_nothing_else(tmp_path):
    """As `invoke build` runs it: in a new process that loaded every task (the comment ones too)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    chronicle = content / "chroniques" / "la-juste-mesure.md"
    chronicle.write_text(chronicle.read_text(encoding="utf-8").replace("Summary:", "Resume:"), encoding="utf-8")
    script = (
        "import sys, tasks\n"
        "from invoke import Exit\n"
        "try:\n"
        f"    tasks._build_or_exit(output={str(tmp_path / 'output')!r}, overrides={{'PATH': {str(content)!r}}})\n"
        "except Exit as error:\n"
        "    print('EXIT ' + error.message, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    printed, _, message = (result.stdout + result.stderr).partition("EXIT ")
    assert message.startswith("La construction a échoué\u00a0:\n"), result.stderr
    assert "content/chroniques/la-juste-mesure.md\u00a0: il manque la métadonnée «\u00a0Summary\u00a0»" in message, result.stderr
    assert "la-juste-mesure.md" not in printed and "Writing" not in printed, printed
    assert "Done: Processed" not in printed, printed  # Pelican's English summary, above the French lines
