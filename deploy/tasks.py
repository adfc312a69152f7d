"""The `invoke deploy.*` tasks, the deployment's one command line: people, the git hook and the refresh timer call these.

The hook (deploy/post-receive.in) runs `python -m invoke deploy.receive` from the
application's folder, and zohe-refresh.service `invoke deploy.refresh`: invoke is already
how people run everything here, so a second parser beside it would only be a second way
to spell the same commands. Each task calls one function of deploy/ and turns its
DeployError into one French line and a non-zero status.
"""

from pathlib import Path
import sys

from invoke import Exit, task

from deploy import hook, publishing
from deploy.messages import DeployError
from deploy.settings import ENV_FILE


def _run(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DeployError as error:
        raise Exit(f"Zôhé\u00a0: {error}", code=1)


@task
def install(c, repo, webroot):
    """Install the post-receive hook: a push to main publishes to WEBROOT/current."""
    path = _run(hook.install_hook, Path(repo), Path(webroot))
    print(f"Hook installed: {path}\nProduction settings: {Path(webroot).resolve() / ENV_FILE}")


@task
def receive(c, repo, webroot):
    """The post-receive hook's work: read git's "old new ref" lines on stdin, publish when main moved."""
    status = hook.receive(Path(repo), Path(webroot), sys.stdin.read().splitlines())
    if status:
        raise Exit(code=status)


@task
def rebuild(c, repo, webroot):
    """Build main again into a new release and publish it (new comments, dated chronicles)."""
    _run(publishing.publish, Path(repo), Path(webroot), rebuild=True)


@task
def refresh(c, repo, webroot):
    """Rebuild the live release's commit if comments were moderated or a scheduled chronicle is due; otherwise nothing."""
    _run(publishing.refresh, Path(repo), Path(webroot))


@task
def rollback(c, webroot):
    """Go back to the release published before the current one."""
    _run(publishing.rollback, Path(webroot))
