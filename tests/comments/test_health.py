"""The health check systemd acts on: /health answers 200 only when a comment could be written now, and the command says so by its exit status."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from comments import health, locks, settings
from isso_support import ADMIN_PASSWORD, Server

pytestmark = pytest.mark.timeout(120)

DEPLOY = settings.REPO_ROOT / "deploy" / "systemd"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("health")) as server:
        yield server


def check(server, *arguments):
    """``python -m comments.health`` as zohe-comments-health.service runs it, with the server's configuration."""
    env = {**os.environ, "ISSO_SETTINGS": str(server.config), "ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "ZOHE_ENV": "production"}
    return subprocess.run([sys.executable, "-m", "comments.health", *arguments], cwd=settings.REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_working_server_is_healthy(server):
    r = server.client().get("/health")
    assert r.status == 200
    assert r.json() == {"message": health.MESSAGES["ok"]}
    assert r.header("Cache-Control") == "no-store"
    run = check(server)  # the address from the configuration's [server] listen
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == health.MESSAGES["ok"]


def test_a_held_write_lock_is_unhealthy(server):
    """What a worker killed holding Isso's old semaphore left: no comment could be written, systemd must restart."""
    held = locks.beside(server.dbpath, "writes")
    assert held.acquire(timeout=10)
    try:
        r = server.client().get("/health")
        assert r.status == 503
        assert r.json() == {"message": health.MESSAGES["locked"]}
        run = check(server, server.base + "/health")
        assert run.returncode == 1
        assert run.stderr.strip().splitlines()[-1] == health.MESSAGES["locked"]
    finally:
        held.release()
    assert check(server).returncode == 0


def test_a_server_that_does_not_answer_is_unhealthy(tmp_path):
    server = Server(tmp_path)  # configured, never started
    run = check(server)
    assert run.returncode == 1
    last_line = run.stderr.strip().splitlines()[-1]
    assert last_line == f"Le serveur de commentaires ne répond pas sur {server.base}/health\u00a0: connexion refusée."


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_health_units_are_valid_systemd_units(tmp_path):
    """The timer and the service that runs the check, as systemd itself reads them (the venv's path made local)."""
    for name in ("zohe-comments-health.service", "zohe-comments-health.timer", "zohe-comments.service"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        text = text.replace("/srv/zohe/app/.venv/bin/python", sys.executable)
        text = text.replace("/srv/zohe/app/.venv/bin/gunicorn", str(shutil.which("true")))
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = subprocess.run(["systemd-analyze", "verify", "--man=no", "zohe-comments-health.service",
                          "zohe-comments-health.timer"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and not run.stderr.strip(), run.stderr
    service = (DEPLOY / "zohe-comments-health.service").read_text(encoding="utf-8")
    # It asks the address gunicorn binds, whatever Isso's [server] listen says.
    bind = re.search(r"--bind (\S+)", (DEPLOY / "zohe-comments.service").read_text(encoding="utf-8")).group(1)
    assert f"ExecStart=/srv/zohe/app/.venv/bin/python -m comments.health http://{bind}/health\n" in service
    assert "systemctl --no-block restart zohe-comments.service" in service


def test_a_database_gone_bad_is_unhealthy(tmp_path):
    with Server(tmp_path) as server:
        server.spoil_database()
        r = server.client().get("/health")
        assert r.status == 503
        assert r.json() == {"message": health.MESSAGES["database"]}
        assert check(server).returncode == 1
