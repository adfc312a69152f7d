"""The `invoke deploy.*` tasks: install the publishing hook on a bare repository, rebuild, roll back."""

from pathlib import Path

from invoke import Exit, task

from publish import deploy


def _run(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except deploy.DeployError as error:
        raise Exit(f"Zôhé : {error}", code=1)


@task
def install(c, repo, webroot):
    """Install the post-receive hook: a push to main publishes to WEBROOT/current."""
    hook = _run(deploy.install_hook, Path(repo), Path(webroot))
    print(f"Hook installed: {hook}\nProduction settings: {Path(webroot).resolve() / deploy.ENV_FILE}")


@task
def rebuild(c, repo, webroot):
    """Build main again into a new release and publish it (new comments, dated chronicles)."""
    _run(deploy.publish, Path(repo), Path(webroot), rebuild=True)


@task
def refresh(c, repo, webroot):
    """Rebuild the live release's commit if comments were moderated or a scheduled chronicle is due; otherwise nothing."""
    _run(deploy.refresh, Path(repo), Path(webroot))


@task
def rollback(c, webroot):
    """Go back to the release published before the current one."""
    _run(deploy.rollback, Path(webroot))
