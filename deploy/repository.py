"""The bare repository pushed to: which commit `main` points at, and a commit's files exported for a build."""

import io
import subprocess
import tarfile

from deploy.messages import DeployError
from deploy.settings import without_git_variables

MAIN = "refs/heads/main"
NULL_COMMIT = "0" * 40


def _git(repo, *args, check=True, **kwargs):
    return subprocess.run(["git", f"--git-dir={repo}", *args], env=without_git_variables(), check=check, **kwargs)


def main_tip(repo):
    """The commit `main` points at now, or None when the branch does not exist."""
    result = _git(repo, "rev-parse", "--verify", "--quiet", MAIN + "^{commit}",
                  capture_output=True, text=True, check=False)
    return result.stdout.strip() or None


def export_commit(repo, commit, destination):
    """Write the tree of `commit` into `destination` (no index or HEAD of the bare repo touched).

    tarfile's "data" filter refuses a symbolic link leading out of the tree (to
    /etc/passwd, to another project): each is named in one French line rather than
    tarfile's traceback, and nothing is built. Links within the tree are extracted as
    links, for the build to judge (zohe_checks refuses any in content/).
    """
    archive = _git(repo, "archive", "--format=tar", commit, capture_output=True).stdout
    outside = []

    def data(member, path):
        try:
            return tarfile.data_filter(member, path)
        except (tarfile.AbsoluteLinkError, tarfile.LinkOutsideDestinationError):
            outside.append(member)
            return None  # left out

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter=data)
    if outside:
        raise DeployError("\n".join(
            f"{link.name}\u00a0: lien symbolique vers un fichier hors du dépôt ({link.linkname}), refusé\u202f; "
            "mettez à sa place le fichier lui-même. Le site en ligne n’a pas changé."
            for link in outside
        ))
