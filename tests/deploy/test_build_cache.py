"""The build cache beside the releases: a push re-reads and recompresses only what it changed, and publishes the same bytes."""

import io
import json
import os
from pathlib import Path
import pickle

from deploy import build_run, lock as publishing_lock, releases, settings
from publish import content_cache

CHRONICLE = "content/chroniques/la-juste-mesure.md"


def files(release):
    """Every file of a release as {relative path: bytes}, without what only a deployment adds."""
    marker = json.loads((release / releases.MARKER).read_text(encoding="utf-8"))
    left_out = {releases.MARKER, *marker["carried"]}
    found = {
        path.relative_to(release).as_posix(): path.read_bytes()
        for path in sorted(release.rglob("*"))
        if path.is_file() and path.relative_to(release).as_posix() not in left_out
    }
    return found


def reader_cache_keys(cache):
    """The source paths Pelican's reader cache holds, per cache file."""
    found = {}
    for path in cache.glob("content-*/*-Readers"):
        with open(path, "rb") as handle:  # GZIP_CACHE is off
            found[path.name] = set(pickle.load(handle))
    return found


def test_a_push_reuses_the_cache_and_publishes_what_a_build_without_it_would(make_site):
    site = make_site()
    cache = site.webroot / settings.CACHE
    assert site.push().returncode == 0
    index = json.loads(next((cache / "precompressed").glob("*/index.json")).read_text(encoding="utf-8"))
    assert index["build"] == 1
    checkout = (site.webroot / build_run.CHECKOUT).resolve()
    first_keys = reader_cache_keys(cache)
    assert set(first_keys) == {"ArticlesGenerator-Readers", "PagesGenerator-Readers"}
    # The build marked the folder it used: the one the next publication keeps first.
    used = content_cache.newest_first(cache)
    assert len(used) == 1 and (used[0] / content_cache.USED).is_file()
    # Keyed by the stable checkout, so the next build finds them.
    assert all(Path(key).is_relative_to(checkout) for keys in first_keys.values() for key in keys)
    assert str(checkout / CHRONICLE) in first_keys["ArticlesGenerator-Readers"]
    assert not checkout.exists() or not any(checkout.iterdir())

    text = (site.work / CHRONICLE).read_text(encoding="utf-8")
    commit = site.commit(site.work, "One more sentence in a chronicle",
                         {CHRONICLE: text + "\nUne phrase ajoutée après coup.\n"})
    pushed = site.push()
    assert pushed.returncode == 0, pushed.stdout
    release = site.current()
    assert release.commit == commit
    index = json.loads(next((cache / "precompressed").glob("*/index.json")).read_text(encoding="utf-8"))
    assert index["build"] == 2
    assert reader_cache_keys(cache) == first_keys
    # Unchanged pages got their compressed copies from the cache (hard links, same file
    # system); the edited chronicle's page was compressed anew.
    cached = {(os.stat(p).st_dev, os.stat(p).st_ino) for p in (cache / "precompressed").glob("*/*.br")}
    linked = {p for p in release.path.rglob("*.br") if (p.stat().st_dev, p.stat().st_ino) in cached}
    assert len(linked) > 10
    page = release.path / "chroniques" / "la-juste-mesure" / "index.html.br"
    assert "Une phrase ajoutée après coup." in page.with_suffix("").read_text(encoding="utf-8")
    assert page not in linked

    # The same commit built with no cache at all, in a web root of its own.
    reference = site.base / "reference"
    reference.mkdir()
    (reference / settings.ENV_FILE).write_text(
        (site.webroot / settings.ENV_FILE).read_text(encoding="utf-8") + "ZOHE_CACHE_PATH=\n",
        encoding="utf-8",
    )
    with publishing_lock.Lock(reference):
        built = build_run.build_release(site.repo, reference, commit, "sans-cache", stream=io.StringIO())
    assert not (reference / settings.CACHE).exists()
    expected, actual = files(built.path), files(release.path)
    assert sorted(actual) == sorted(expected)
    differing = [name for name in expected if actual[name] != expected[name]]
    assert differing == []
