"""Publishing by `git push` end to end: a bare repository, the hook installed by the task, pushes from a clone."""

import fcntl
import json
import os
import time

from invoke import Context

from deploy import lock as publishing_lock, releases
from deploy import tasks as deploy_tasks
from support import UNTITLED_CHRONICLE



def chronicle(slug, title):
    return (
        f"Title: {title}\nDate: 2024-05-01 10:00\nAuthor: Zôhé\n"
        f"Category: Les Chroniques de Zôhé\nSummary: Une chronique de test.\nSlug: {slug}\n\n"
        f"Le texte de « {title} ».\n"
    )


def test_push_to_main_publishes_the_site_and_a_broken_push_changes_nothing(make_site):
    site = make_site()
    first = site.push()
    assert first.returncode == 0, first.stdout
    release = site.current()
    assert release is not None and release.commit == site.first_commit
    assert release.name == site.first_commit
    assert os.readlink(site.webroot / "current") == f"releases/{site.first_commit}"
    current = site.webroot / "current"
    home = (current / "index.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in home and site.siteurl in home
    assert (current / "chroniques" / "la-juste-mesure" / "index.html").is_file()
    assert "remote: Zôhé\u00a0: en ligne\u00a0: version" in first.stdout

    broken = site.commit(site.work, "A chronicle without a title",
                         {"content/chroniques/sans-titre.md": UNTITLED_CHRONICLE})
    result = site.push()
    # The push itself went through (git reports the ref update); the site did not change.
    assert result.returncode == 0, result.stdout
    assert "refs/heads/main" in result.stdout and site.main_tip() == broken
    assert "remote: " in result.stdout
    assert "remote: content/chroniques/sans-titre.md\u00a0: il manque la métadonnée «\u00a0Title\u00a0»" in result.stdout
    assert "le site en ligne n’a pas changé" in result.stdout
    assert site.current().commit == site.first_commit
    assert (current / "index.html").read_text(encoding="utf-8") == home
    assert not (site.webroot / "releases" / broken).exists()
    # Nothing half-built is left behind.
    assert sorted(p.name for p in (site.webroot / "releases").iterdir()) == [site.first_commit]


def test_rollback_goes_back_one_publication_at_a_time_and_pushes_to_other_branches_publish_nothing(make_site):
    site = make_site()
    assert site.push().returncode == 0
    second = site.commit(site.work, "A new chronicle",
                         {"content/chroniques/nouvelle.md": chronicle("nouvelle", "Une nouvelle chronique")})
    assert site.push().returncode == 0
    assert site.current().commit == second
    assert (site.webroot / "current" / "chroniques" / "nouvelle" / "index.html").is_file()
    # The first release's hashed stylesheet stays reachable from the second.
    first_css = {p.name for p in (site.webroot / "releases" / site.first_commit / "theme" / "css").iterdir()}
    second_css = {p.name for p in (site.webroot / "current" / "theme" / "css").iterdir()}
    assert first_css <= second_css

    site.commit(site.work, "Work in progress",
                {"content/chroniques/brouillon.md": chronicle("brouillon", "Un brouillon")})
    other = site.push(ref="brouillons")
    assert other.returncode == 0, other.stdout
    assert "construction" not in other.stdout
    assert site.current().commit == second

    third = site.commit(site.work, "Another chronicle",
                        {"content/chroniques/autre.md": chronicle("autre", "Une autre chronique")})
    assert site.push().returncode == 0
    assert site.current().commit == third

    deploy_tasks.rollback(Context(), webroot=str(site.webroot))
    assert site.current().commit == second
    deploy_tasks.rollback(Context(), webroot=str(site.webroot))
    assert site.current().commit == site.first_commit
    assert not (site.webroot / "current" / "chroniques" / "nouvelle").exists()
    assert (site.webroot / "current" / "chroniques" / "la-juste-mesure" / "index.html").is_file()


def test_two_pushes_at_once_end_on_a_complete_release_of_mains_last_commit(make_site):
    site = make_site()
    assert site.push().returncode == 0
    other_work = site.clone("other")
    commit_a = site.commit(site.work, "Chronicle A", {"content/chroniques/a.md": chronicle("chronique-a", "Chronique A")})
    commit_b = site.commit(other_work, "Chronicle B", {"content/chroniques/b.md": chronicle("chronique-b", "Chronique B")})

    # Hold the deployment lock so that both hooks are running (and waiting) at the same time.
    with open(site.webroot / publishing_lock.LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        push_a = site.push(background=True)
        _wait_for(lambda: site.main_tip() == commit_a)
        push_b = site.push(other_work, force=True, background=True)
        _wait_for(lambda: site.main_tip() == commit_b)
        time.sleep(0.3)  # let B's hook reach the lock too
        fcntl.flock(lock, fcntl.LOCK_UN)
    out_a, _ = push_a.communicate(timeout=300)
    out_b, _ = push_b.communicate(timeout=300)
    assert push_a.returncode == 0 and push_b.returncode == 0, out_a + out_b
    assert "attente" in out_a + out_b

    release = site.current()
    assert release.commit == commit_b == site.main_tip()
    current = site.webroot / "current"
    marker = json.loads((current / releases.MARKER).read_text())
    assert marker["commit"] == commit_b
    assert (current / "chroniques" / "chronique-b" / "index.html").is_file()
    assert not (current / "chroniques" / "chronique-a").exists()
    assert (current / "index.html").is_file() and (current / "pagefind" / "pagefind-ui.js").is_file()
    leftovers = [p.name for p in site.webroot.iterdir() if p.name.startswith(".current")]
    leftovers += [p.name for p in (site.webroot / "releases").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def _wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
