"""Releases on disk without building: the switch of `current`, what went live, pruning, rollback, the hook's input, the env file."""

import json
import os
import shutil
import threading

import pytest

from deploy import hook, messages, publishing, releases, repository, settings
from publish import content_cache

# The tests' releases are built in the first seconds of 1970: none is past releases.KEPT_DAYS then.
NOW = 100.0


def fake_release(webroot, name, built_at, commit=None):
    path = webroot / releases.RELEASES / name
    path.mkdir(parents=True)
    (path / "index.html").write_text(f"<p>{name}</p>", encoding="utf-8")
    marker = {"commit": commit or name, "built_at": built_at, "carried": []}
    (path / releases.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return releases.Release(name, path, commit or name, built_at)


def test_a_reader_never_finds_current_missing_while_it_switches(tmp_path):
    one, two = fake_release(tmp_path, "un", 1.0), fake_release(tmp_path, "deux", 2.0)
    releases.switch(tmp_path, one)
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
        for _ in range(300):
            releases.switch(tmp_path, two)
            releases.switch(tmp_path, one)
    finally:
        stop.set()
        reader.join()
    assert seen <= {"<p>un</p>", "<p>deux</p>"}, seen
    assert releases.current_release(tmp_path).name == "un"


def test_pruning_keeps_the_current_one_what_rollback_goes_to_and_the_newest(tmp_path):
    made = [fake_release(tmp_path, f"r{n}", float(n)) for n in range(8)]
    (tmp_path / releases.RELEASES / "incomplete").mkdir()  # a build that died before its marker
    (tmp_path / releases.RELEASES / ".r9.new-x").mkdir()  # a crashed build's staging folder
    # A web root from before the history: rollback from r1 would go to r0, by build time.
    releases.switch(tmp_path, made[1])
    removed = releases.prune(tmp_path, now=NOW)
    kept = sorted(p.name for p in (tmp_path / releases.RELEASES).iterdir())
    assert kept == ["r0", "r1", "r4", "r5", "r6", "r7"]
    assert sorted(removed) == [".r9.new-x", "incomplete", "r2", "r3"]


def test_pruning_removes_every_release_older_than_the_privacy_policy_says_but_the_live_one(tmp_path):
    """A release keeps the comments as they were: one erased since must not outlive KEPT_DAYS on disk, nor come back by rollback."""
    day = 24 * 3600.0
    old, live, recent = (fake_release(tmp_path, name, built * day)
                         for name, built in [("ancienne", 1), ("live", 2), ("recente", 20)])
    releases.go_live(tmp_path, old, "publish")
    releases.go_live(tmp_path, live, "publish")
    releases.go_live(tmp_path, recent, "publish")
    releases.go_live(tmp_path, live, "rollback")
    # Day 20 + KEPT_DAYS: "ancienne" (what rollback would reach) is past it, "live" is served.
    removed = releases.prune(tmp_path, now=(1 + releases.KEPT_DAYS) * day + 1)
    assert sorted(removed) == ["ancienne"]
    assert sorted(p.name for p in (tmp_path / releases.RELEASES).iterdir()) == ["live", "recente"]


def test_pruning_keeps_the_two_reader_caches_last_used_and_the_rest_of_the_cache(tmp_path):
    cache = tmp_path / settings.CACHE
    for age, name in enumerate(["content-new", "content-before", "content-old", "content-older"]):
        (cache / name / "templates").mkdir(parents=True)
        content_cache.mark_used(cache / name)
        os.utime(cache / name / content_cache.USED, (1e9 - age, 1e9 - age))
        # Compiled templates are written whenever a template changes, the mark at each good build.
        os.utime(cache / name / "templates", (2e9 + age, 2e9 + age))
    # A build that never succeeded with its cache never marked it: nothing worth keeping, however recent.
    (cache / "content-failed" / "templates").mkdir(parents=True)
    (cache / "content-stray").write_bytes(b"not a cache")
    (cache / "precompressed").mkdir()
    (cache / "search").mkdir()
    removed = publishing.prune_reader_caches(cache)
    assert sorted(p.name for p in cache.iterdir()) == [
        "content-before", "content-new", "content-stray", "precompressed", "search"]
    assert sorted(p.name for p in removed) == ["content-failed", "content-old", "content-older"]


def test_refreshes_never_prune_the_release_rollback_goes_to(tmp_path):
    before = fake_release(tmp_path, "avant", 1.0)
    live = fake_release(tmp_path, "live", 2.0)
    releases.go_live(tmp_path, before, "publish")
    releases.go_live(tmp_path, live, "publish")
    # A day of moderation: each refresh is a newer release of the live commit.
    for n in range(2, 9):
        refreshed = fake_release(tmp_path, f"live-{n}", float(n + 1), commit="live")
        releases.go_live(tmp_path, refreshed, "replace")
        releases.prune(tmp_path, now=NOW)
    kept = sorted(p.name for p in (tmp_path / releases.RELEASES).iterdir())
    assert kept == ["avant", "live-4", "live-5", "live-6", "live-7", "live-8"]
    assert publishing.rollback(tmp_path).name == "avant"


def test_rollback_steps_back_through_what_went_live(tmp_path):
    a, b, c = (fake_release(tmp_path, name, float(n)) for n, name in enumerate("abc"))
    for release in (a, b, c):
        releases.go_live(tmp_path, release, "publish")
    assert publishing.rollback(tmp_path).name == "b"
    assert publishing.rollback(tmp_path).name == "a"
    with pytest.raises(messages.DeployError, match="aucune version précédente"):
        publishing.rollback(tmp_path)
    assert releases.current_release(tmp_path).name == "a"
    assert releases.live_history(tmp_path) == ["a"]
    lines = (tmp_path / releases.HISTORY).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["publish"] * 3 + ["rollback"] * 2


def test_rollback_after_a_push_goes_to_the_release_rolled_back_to_not_the_one_rolled_away_from(tmp_path):
    a, b, c = (fake_release(tmp_path, name, float(n)) for n, name in enumerate("abc"))
    releases.go_live(tmp_path, a, "publish")
    releases.go_live(tmp_path, b, "publish")
    assert publishing.rollback(tmp_path).name == "a"  # b was a mistake
    releases.go_live(tmp_path, c, "publish")
    assert publishing.rollback(tmp_path).name == "a"


def test_rollback_skips_a_release_no_longer_kept_and_survives_a_torn_line(tmp_path):
    a, b, c = (fake_release(tmp_path, name, float(n)) for n, name in enumerate("abc"))
    for release in (a, b, c):
        releases.go_live(tmp_path, release, "publish")
    shutil.rmtree(b.path)
    with open(tmp_path / releases.HISTORY, "a", encoding="utf-8") as history:
        history.write('{"release": "d", "ev')  # a crash in the middle of a line
    assert publishing.rollback(tmp_path).name == "a"


def test_only_an_update_of_main_publishes(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(hook, "publish", lambda *args, **kwargs: calls.append(args))
    old, new = "1" * 40, "2" * 40
    assert hook.receive(tmp_path, tmp_path, [f"{old} {new} refs/heads/brouillons"]) == 0
    assert hook.receive(tmp_path, tmp_path, [f"{old} {new} refs/tags/v1"]) == 0
    assert hook.receive(tmp_path, tmp_path, [f"{new} {repository.NULL_COMMIT} refs/heads/main"]) == 0
    assert calls == []
    assert hook.receive(tmp_path, tmp_path, [f"{old} {new} refs/heads/main"]) == 0
    assert len(calls) == 1


def test_the_env_file_reaches_the_build_and_gits_hook_variables_do_not(tmp_path, monkeypatch):
    (tmp_path / settings.ENV_FILE).write_text(
        "# production\nZOHE_SITEURL=https://zohe.fr\nexport ZOHE_COMMENTS_URL='https://zohe.fr/isso'\n\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_DIR", ".")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    env = settings.build_environment(tmp_path)
    assert env["ZOHE_SITEURL"] == "https://zohe.fr"
    assert env["ZOHE_COMMENTS_URL"] == "https://zohe.fr/isso"
    assert "GIT_DIR" not in env and "PYTHONPATH" not in env
    # The build cache lives beside the releases unless deploy.env says otherwise.
    assert env["ZOHE_CACHE_PATH"] == str(tmp_path.resolve() / "cache")
    monkeypatch.setenv("ZOHE_CACHE_PATH", "/a/developer/cache")
    assert settings.build_environment(tmp_path)["ZOHE_CACHE_PATH"] == str(tmp_path.resolve() / "cache")
    moved = {"/var/cache/zohe": "/var/cache/zohe", "ailleurs": str(tmp_path.resolve() / "ailleurs"), "": ""}
    for value, expected in moved.items():
        (tmp_path / settings.ENV_FILE).write_text(f"ZOHE_CACHE_PATH={value}\n", encoding="utf-8")
        assert settings.build_environment(tmp_path)["ZOHE_CACHE_PATH"] == expected
    (tmp_path / settings.ENV_FILE).write_text("pas une ligne valable\n", encoding="utf-8")
    with pytest.raises(messages.DeployError, match="ligne 1"):
        settings.build_environment(tmp_path)


def test_installing_refuses_what_is_not_a_bare_repository(tmp_path):
    with pytest.raises(messages.DeployError, match="pas un dépôt Git nu"):
        hook.install_hook(tmp_path / "nothing", tmp_path / "www")
