"""Releases on disk without building: the switch of `current`, pruning, rollback order, the hook's input and env file."""

import json
import threading

import pytest

from publish import deploy


def fake_release(webroot, name, built_at, commit=None):
    path = webroot / deploy.RELEASES / name
    path.mkdir(parents=True)
    (path / "index.html").write_text(f"<p>{name}</p>", encoding="utf-8")
    marker = {"commit": commit or name, "built_at": built_at, "carried": []}
    (path / deploy.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return deploy.Release(name, path, commit or name, built_at)


def test_a_reader_never_finds_current_missing_while_it_switches(tmp_path):
    one, two = fake_release(tmp_path, "un", 1.0), fake_release(tmp_path, "deux", 2.0)
    deploy.switch(tmp_path, one)
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            try:
                seen.add((tmp_path / "current" / "index.html").read_text(encoding="utf-8"))
            except OSError as error:
                seen.add(f"missing: {error}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        times = [deploy.switch(tmp_path, release) for _ in range(300) for release in (two, one)]
    finally:
        stop.set()
        reader.join()
    assert seen <= {"<p>un</p>", "<p>deux</p>"}, seen
    assert max(times) < 0.5
    assert deploy.current_release(tmp_path).name == "un"


def test_pruning_keeps_the_five_newest_and_the_current_one(tmp_path):
    made = [fake_release(tmp_path, f"r{n}", float(n)) for n in range(8)]
    (tmp_path / deploy.RELEASES / "incomplete").mkdir()  # a build that died before its marker
    (tmp_path / deploy.RELEASES / ".r9.new-x").mkdir()  # a crashed build's staging folder
    deploy.switch(tmp_path, made[1])
    removed = deploy.prune(tmp_path)
    kept = sorted(p.name for p in (tmp_path / deploy.RELEASES).iterdir())
    assert kept == ["r1", "r3", "r4", "r5", "r6", "r7"]
    assert sorted(removed) == [".r9.new-x", "incomplete", "r0", "r2"]


def test_rollback_steps_back_one_release_at_a_time(tmp_path):
    made = [fake_release(tmp_path, f"r{n}", float(n)) for n in range(3)]
    deploy.switch(tmp_path, made[2])
    assert deploy.rollback(tmp_path).name == "r1"
    assert deploy.rollback(tmp_path).name == "r0"
    with pytest.raises(deploy.DeployError, match="aucune version précédente"):
        deploy.rollback(tmp_path)
    assert deploy.current_release(tmp_path).name == "r0"


def test_only_an_update_of_main_publishes(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(deploy, "publish", lambda *args, **kwargs: calls.append(args))
    old, new = "1" * 40, "2" * 40
    assert deploy.receive(tmp_path, tmp_path, [f"{old} {new} refs/heads/brouillons"]) == 0
    assert deploy.receive(tmp_path, tmp_path, [f"{old} {new} refs/tags/v1"]) == 0
    assert deploy.receive(tmp_path, tmp_path, [f"{new} {deploy.NULL_COMMIT} refs/heads/main"]) == 0
    assert calls == []
    assert deploy.receive(tmp_path, tmp_path, [f"{old} {new} refs/heads/main"]) == 0
    assert len(calls) == 1


def test_the_env_file_reaches_the_build_and_gits_hook_variables_do_not(tmp_path, monkeypatch):
    (tmp_path / deploy.ENV_FILE).write_text(
        "# production\nZOHE_SITEURL=https://zohe.fr\nexport ZOHE_COMMENTS_URL='https://zohe.fr/isso'\n\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_DIR", ".")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    env = deploy.build_environment(tmp_path)
    assert env["ZOHE_SITEURL"] == "https://zohe.fr"
    assert env["ZOHE_COMMENTS_URL"] == "https://zohe.fr/isso"
    assert "GIT_DIR" not in env and "PYTHONPATH" not in env
    (tmp_path / deploy.ENV_FILE).write_text("pas une ligne valable\n", encoding="utf-8")
    with pytest.raises(deploy.DeployError, match="ligne 1"):
        deploy.build_environment(tmp_path)


def test_installing_refuses_what_is_not_a_bare_repository(tmp_path):
    with pytest.raises(deploy.DeployError, match="pas un dépôt Git nu"):
        deploy.install_hook(tmp_path / "nothing", tmp_path / "www")
