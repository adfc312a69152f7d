"""The post-receive hook: installed on the bare repository, it publishes when a push moved `main`.

The hook itself (deploy/post-receive.in) only calls `invoke deploy.receive` from the
application's folder with the project's Python: the tasks are the one command line.
"""

import os
from pathlib import Path
import shlex
import sys

from deploy.messages import DeployError, say
from deploy.publishing import publish
from deploy.releases import RELEASES
from deploy.repository import MAIN, NULL_COMMIT

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "post-receive.in"


def install_hook(repo, webroot, python=None, app_root=ROOT):
    """Write `repo/hooks/post-receive`, which runs `invoke deploy.receive` with the project's Python."""
    repo = Path(repo).resolve()
    webroot = Path(webroot).resolve()
    if not (repo / "HEAD").is_file() or not (repo / "objects").is_dir():
        raise DeployError(f"{repo} n’est pas un dépôt Git nu.")
    (webroot / RELEASES).mkdir(parents=True, exist_ok=True)
    values = {
        "PYTHON": shlex.quote(str(python or sys.executable)),
        "APP_ROOT": shlex.quote(str(Path(app_root).resolve())),
        "REPO": shlex.quote(str(repo)),
        "WEBROOT": shlex.quote(str(webroot)),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    hook = repo / "hooks" / "post-receive"
    hook.parent.mkdir(exist_ok=True)
    staged = hook.with_name("post-receive.new")
    staged.write_text(text, encoding="utf-8")
    staged.chmod(0o755)
    os.replace(staged, hook)
    return hook


def receive(repo, webroot, lines, python=None, stream=None):
    """The post-receive hook: publish when main was updated; return the hook's exit status."""
    updates = [line.split() for line in lines if line.strip()]
    if not any(len(u) == 3 and u[2] == MAIN and u[1] != NULL_COMMIT for u in updates):
        return 0
    try:
        publish(repo, webroot, python=python, stream=stream)
    except DeployError as error:
        say(str(error), stream)
        # git ignores a post-receive hook's status (the push is done); non-zero still
        # tells a human reading the server's logs that this one failed.
        return 1
    return 0
