"""Fixtures for publishing tests: a bare repository with the hook installed, pushes from a clone, nginx and Isso on loopback."""

import contextlib
import os
from pathlib import Path
import shutil
import subprocess

import pytest
from invoke import Context

from support import ROOT, free_port, legal_facts_lines, smtp_sink
from bench.nginx_server import running_nginx
from deploy import releases, settings
from deploy import tasks as deploy_tasks

COMMENTS_ADMIN_PASSWORD = "deploy-test-password"
# Commits made by the tests carry this identity and never read the user's git config.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Zôhé tests",
    "GIT_AUTHOR_EMAIL": "tests@zohe.invalid",
    "GIT_COMMITTER_NAME": "Zôhé tests",
    "GIT_COMMITTER_EMAIL": "tests@zohe.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args, cwd=None, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def project_files():
    """The project's files as they stand: tracked ones and new ones not ignored (others may be mid-change)."""
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT).stdout
    names = sorted({name for name in listed.split("\0") if name})
    return [name for name in names if (ROOT / name).is_file() and not name.startswith("tests/")]


class Site:
    """A bare repository with the publishing hook, its web root and a clone to push from."""

    def __init__(self, base, siteurl):
        self.base = Path(base)
        self.repo = self.base / "site.git"
        self.webroot = self.base / "www"
        self.work = self.base / "work"
        self.siteurl = siteurl
        git("init", "--quiet", "--bare", "--initial-branch=main", str(self.repo))
        # The task itself, as `invoke deploy.install --repo --webroot` runs it.
        deploy_tasks.install(Context(), repo=str(self.repo), webroot=str(self.webroot))
        (self.webroot / settings.ENV_FILE).write_text(
            "# Production settings of the test site\n"
            f"ZOHE_SITEURL={siteurl}\n"
            f"ZOHE_COMMENTS_DB={self.base / 'no-comments.db'}\n"
            + legal_facts_lines(),
            encoding="utf-8",
        )
        self.work = self.clone("work")
        for name in project_files():
            target = self.work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        self.first_commit = self.commit(self.work, "The site as it stands")

    def clone(self, name):
        path = self.base / name
        git("clone", "--quiet", str(self.repo), str(path))
        git("checkout", "--quiet", "-B", "main", cwd=path)
        return path

    def commit(self, work, message, files=None):
        for name, text in (files or {}).items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text, encoding="utf-8")
        git("add", "--all", cwd=work)
        git("commit", "--quiet", "--allow-empty", "-m", message, cwd=work)
        return git("rev-parse", "HEAD", cwd=work).stdout.strip()

    def push(self, work=None, ref="main", force=False, background=False):
        """Push HEAD to `ref`; returns the CompletedProcess (or the Popen with background=True)."""
        args = ["git", "push", "--porcelain"] + (["--force"] if force else []) + ["origin", f"HEAD:refs/heads/{ref}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_ENV)
        options = dict(cwd=work or self.work, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if background:
            return subprocess.Popen(args, **options)
        return subprocess.run(args, **options, timeout=300)

    def current(self):
        """The release `current` points at (None when there is none)."""
        return releases.current_release(self.webroot)

    def main_tip(self):
        return git("--git-dir", str(self.repo), "rev-parse", "refs/heads/main").stdout.strip()


@pytest.fixture(scope="session")
def served_port():
    return free_port()


@pytest.fixture(scope="session")
def published(tmp_path_factory, served_port):
    """The real project pushed once to a bare repository: its web root holds one release.

    Tests that read it (nginx, search) never push to it; the publishing tests make their own.
    """
    site = Site(tmp_path_factory.mktemp("published"), f"http://127.0.0.1:{served_port}")
    result = site.push()
    assert result.returncode == 0, result.stdout
    assert site.current() is not None, result.stdout
    return site


@pytest.fixture(scope="session")
def moderation_mail():
    """A real SMTP sink on loopback: (port, sink) receiving the comment server's moderation e-mails."""
    with smtp_sink() as port_and_sink:
        yield port_and_sink


@pytest.fixture(scope="session")
def comment_server(tmp_path_factory, served_port, moderation_mail):
    """The real comment server (comments.wsgi under gunicorn) on a free loopback port, set up as behind nginx.

    The site nginx serves (see `nginx`) is the origin allowed to post, its /isso/ the public
    address the moderation e-mails link to, and those e-mails go to `moderation_mail`.
    """
    from bench.gunicorn_server import Gunicorn, write_config

    directory = tmp_path_factory.mktemp("isso")
    port = free_port()
    site = f"http://127.0.0.1:{served_port}"
    config = write_config(
        directory, port,
        general={"host": site, "notify": "smtp"},
        server={"public-endpoint": site + "/isso"},
        smtp={"host": "127.0.0.1", "port": moderation_mail[0], "security": "none", "to": "moderation@zohe.test"},
    )
    with Gunicorn(directory, port, config, workers=1, env={"ISSO_ADMIN_PASSWORD": COMMENTS_ADMIN_PASSWORD}) as server:
        yield server


@pytest.fixture(scope="session")
def start_nginx():
    """running_nginx, for tests that serve a web root and a comment server of their own."""
    return running_nginx


@pytest.fixture(scope="session")
def nginx(tmp_path_factory, published, served_port, comment_server):
    """Debian's nginx serving the published web root with the shipped configuration."""
    with running_nginx(tmp_path_factory.mktemp("nginx"), served_port, published.webroot, comment_server.port) as base:
        yield base


@pytest.fixture
def make_site(tmp_path):
    """make_site() -> a fresh Site (nothing pushed yet) whose pages are addressed at a loopback URL."""
    count = 0

    def make():
        nonlocal count
        count += 1
        return Site(tmp_path / f"site{count}", f"http://127.0.0.1:{free_port()}")

    return make


@contextlib.contextmanager
def production_site(base_dir, isso=None, env=None, seed=None):
    """The production setup on one origin: yields (base URL, database path, gunicorn server, site origin).

    The comment server (gunicorn, 2 workers) with ``isso`` added to its test configuration
    (bench.gunicorn_server.write_config: {section: {option: value}}) and ``env``; then
    ``seed(server, site, conf)`` may post and approve what the build is to bake; then the
    production build of the real content into a release, and nginx with the shipped
    configuration in front of both, as production runs them. As in production, the comment
    server reads the release's list of open discussions (ZOHE_SITE_ROOT, comments.discussions):
    ``seed`` posts before there is one, so to any address.
    """
    from bench.gunicorn_server import Gunicorn, write_config
    from comments import settings as comment_settings
    from support import build, environment

    port, comments_port = free_port(), free_port()
    site = f"http://127.0.0.1:{port}"
    (base_dir / "isso").mkdir()
    options = {"general": {"host": site}, "server": {"public-endpoint": site + "/isso"}}
    for section, values in (isso or {}).items():
        options[section] = {**options.get(section, {}), **values}
    config = write_config(base_dir / "isso", comments_port, **options)
    webroot = base_dir / "www"
    env = {"ZOHE_SITE_ROOT": str(webroot / releases.CURRENT), **(env or {})}
    with Gunicorn(base_dir / "isso", comments_port, config, workers=2, env=env) as server:
        dbpath = base_dir / "isso" / "comments.db"
        if seed:
            seed(server, site, comment_settings.load(config, environ=env, create_folder=False))
        webroot.mkdir()
        with environment(ZOHE_SITEURL=site, ZOHE_COMMENTS_DB=str(dbpath)):
            output = build(prod=True, output=base_dir / "release")
        os.symlink(output, webroot / releases.CURRENT)
        with running_nginx(base_dir / "nginx", port, webroot, comments_port) as base:
            yield base, dbpath, server, site


@pytest.fixture(scope="session")
def start_production():
    """production_site, for tests that need the whole production setup with options of their own."""
    return production_site
