"""The web root's deploy.env: production settings for the build, read into its environment.

DIR/deploy.env is outside git (it holds the server's own paths and addresses); the hook,
a refresh and a rebuild all read it here, so a mistake in it stops a publication before
anything is built, with the line named.
"""

import os
from pathlib import Path

import legal_notice
from deploy.messages import DeployError

ENV_FILE = "deploy.env"
# The build cache kept beside the releases, unless deploy.env moves it (ZOHE_CACHE_PATH).
CACHE = "cache"
# The build's time limit in seconds (deploy/build_run.py); absent or empty: the default.
TIME_LIMIT = "ZOHE_BUILD_TIME_LIMIT"
DEFAULT_TIME_LIMIT = 600


def read_env_file(path):
    """KEY=VALUE lines (comments and blank lines allowed, optional quotes), as a dict."""
    values = {}
    path = Path(path)
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise DeployError(f"{path}, ligne {number}\u00a0: «\u00a0NOM=valeur\u00a0» attendu.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def build_environment(webroot):
    """The environment of the build: ours without Git's hook variables, plus DIR/deploy.env.

    Git sets GIT_DIR (and sometimes GIT_WORK_TREE, GIT_QUARANTINE_PATH…) for hooks;
    a build that runs git, or tools that look for a repository, must not inherit them.
    """
    env = without_git_variables()
    # The hook's own module path must not shadow the pushed commit's code.
    env.pop("PYTHONPATH", None)
    webroot = Path(webroot).resolve()
    # The build cache (publishconf.py) belongs to the web root, whatever the caller's shell
    # says; deploy.env may move it, or turn it off with an empty value.
    env["ZOHE_CACHE_PATH"] = str(webroot / CACHE)
    env.update(read_env_file(webroot / ENV_FILE))
    if env["ZOHE_CACHE_PATH"]:
        # The build runs inside the checkout, which is emptied before each build.
        env["ZOHE_CACHE_PATH"] = str(webroot / env["ZOHE_CACHE_PATH"])
    return env


def without_git_variables():
    """Our environment without the GIT_* variables git sets for a hook (GIT_DIR: ".", among others)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}


def time_limit(webroot, env):
    """The build's time limit set in `env` (deploy.env read into it), in seconds.

    Anything but a positive number is refused, naming the file, before a build starts.
    """
    value = env.get(TIME_LIMIT, "").strip()
    if not value:
        return DEFAULT_TIME_LIMIT
    try:
        seconds = float(value.replace(",", "."))
    except ValueError:
        seconds = None
    if seconds is None or not 0 < seconds < float("inf"):
        raise DeployError(
            f"{Path(webroot) / ENV_FILE}\u00a0: {TIME_LIMIT} doit être un nombre de secondes positif, "
            f"pas «\u00a0{value}\u00a0»."
        )
    return seconds


def require_legal_notice(webroot, env):
    """Refuse, before anything is built, a publication whose legal notice would lack a fact the law asks for.

    The facts (legal_notice.FACTS) are the collective's to give in deploy.env; a value
    written as a placeholder (« à compléter ») is missing all the same. One line per fact.
    """
    lacking = legal_notice.missing(legal_notice.from_environment(env))
    if lacking:
        where = Path(webroot) / ENV_FILE
        raise DeployError("\n".join(
            f"{where}\u00a0: il manque {fact.name}, que la loi demande dans les mentions légales\u202f; "
            f"ajoutez la ligne «\u00a0{fact.variable}=…\u00a0» (le site en ligne n’a pas changé)"
            for fact in lacking
        ))
