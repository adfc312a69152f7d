"""Keeping published pages fresh: a moderation decision or a scheduled chronicle's date republishes, a mere pending comment does not."""

from datetime import datetime, timedelta
import io
import json
import time
from zoneinfo import ZoneInfo

from isso import config
import pytest
from isso.db import SQLite3

from deploy import freshness, messages, publishing, releases
from support import ROOT, UNTITLED_CHRONICLE

URI = "/chroniques/la-juste-mesure/"


def isso_database(path):
    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(path))
    database = SQLite3(str(path), conf)
    database.threads.new(URI, "La juste mesure")
    return database


def add_comment(database, text, mode):
    return database.comments.add(
        URI,
        {"text": text, "author": "Camille", "email": "camille@exemple.fr", "website": None,
         "parent": None, "mode": mode, "remote_addr": "127.0.0.0"},
    )["id"]


def refresh(site, **kwargs):
    out = io.StringIO()
    release = publishing.refresh(site.repo, site.webroot, stream=out, **kwargs)
    return release, out.getvalue()


def test_only_a_moderation_decision_republishes(make_site):
    site = make_site()
    assert site.push().returncode == 0
    first = site.current()
    page = site.webroot / "current" / URI.strip("/") / "index.html"

    release, said = refresh(site)
    assert release is None and "à jour" in said
    assert site.current().name == first.name

    # The comment database named in deploy.env (absent until the first comment).
    database = isso_database(site.base / "no-comments.db")
    pending = add_comment(database, "Un avis en attente de modération.", mode=2)
    release, said = refresh(site)
    assert release is None, said
    assert "en attente" not in page.read_text(encoding="utf-8")

    database.comments.activate(pending)
    release, said = refresh(site)
    assert release is not None and "modérés" in said
    assert site.current().name == release.name != first.name
    assert "Un avis en attente de modération." in page.read_text(encoding="utf-8")

    release, said = refresh(site)
    assert release is None, said

    database.comments.delete(pending)
    release, said = refresh(site)
    assert release is not None
    assert "Un avis en attente de modération." not in page.read_text(encoding="utf-8")


def test_a_quiet_site_still_drops_the_releases_older_than_the_privacy_policy_says(make_site):
    """Nothing to republish for weeks: the refresh timer's run still removes a release past releases.KEPT_DAYS."""
    site = make_site()
    assert site.push().returncode == 0
    site.commit(site.work, "A second chronicle", {"content/chroniques/seconde.md": SECOND})
    assert site.push().returncode == 0
    old = next(release for release in releases.releases(site.webroot) if release.commit == site.first_commit)
    marker = old.path / releases.MARKER
    aged = {**json.loads(marker.read_text(encoding="utf-8")), "built_at": time.time() - (releases.KEPT_DAYS + 1) * 86400}
    marker.write_text(json.dumps(aged), encoding="utf-8")

    release, said = refresh(site)
    assert release is None and "à jour" in said
    assert not old.path.exists()
    assert site.current().commit != site.first_commit


def test_refresh_rebuilds_the_live_release_not_mains_tip(make_site):
    site = make_site()
    assert site.push().returncode == 0
    site.commit(site.work, "A second chronicle", {"content/chroniques/seconde.md": SECOND})
    assert site.push().returncode == 0
    back = publishing.rollback(site.webroot, stream=io.StringIO())
    assert back.commit == site.first_commit
    database = isso_database(site.base / "no-comments.db")

    # A rollback is not undone by the next refresh.
    database.comments.activate(add_comment(database, "Un premier avis.", mode=2))
    release, said = refresh(site)
    assert release is not None, said
    assert release.commit == site.first_commit == site.current().commit
    assert not (site.webroot / "current" / "chroniques" / "seconde").exists()

    # main now breaks the build: refreshes go on refreshing the live release.
    site.commit(site.work, "A chronicle without a title", {"content/chroniques/sans-titre.md": UNTITLED_CHRONICLE})
    pushed = site.push()
    assert "le site en ligne n’a pas changé" in pushed.stdout, pushed.stdout
    database.comments.activate(add_comment(database, "Un avis publié malgré la poussée ratée.", mode=2))
    release, said = refresh(site)
    assert release is not None and "modérés" in said, said
    assert release.commit == site.first_commit == site.current().commit
    page = site.webroot / "current" / URI.strip("/") / "index.html"
    assert "Un avis publié malgré la poussée ratée." in page.read_text(encoding="utf-8")


def test_rollback_from_a_refreshed_release_goes_to_what_was_live_before_it(make_site):
    site = make_site()
    assert site.push().returncode == 0
    before = site.current()
    site.commit(site.work, "A second chronicle", {"content/chroniques/seconde.md": SECOND})
    assert site.push().returncode == 0
    rolled_to = site.current()
    site.commit(site.work, "A third chronicle", {"content/chroniques/troisieme.md": THIRD})
    assert site.push().returncode == 0
    rolled_away_from = site.current()
    assert publishing.rollback(site.webroot, stream=io.StringIO()).name == rolled_to.name

    # A comment approved while rolled back: the refresh builds the live commit anew.
    database = isso_database(site.base / "no-comments.db")
    database.comments.activate(add_comment(database, "Un avis pendant le retour en arrière.", mode=2))
    refreshed, said = refresh(site)
    assert refreshed is not None and refreshed.commit == rolled_to.commit, said
    assert refreshed.name != rolled_to.name

    # The refreshed release stands in for the one rolled back to: going back once more
    # reaches what was live before it, never the release just rolled away from (newer by
    # build time than the first two).
    back = publishing.rollback(site.webroot, stream=io.StringIO())
    assert back.name == before.name != rolled_away_from.name
    assert not (site.webroot / "current" / "chroniques" / "seconde").exists()
    assert not (site.webroot / "current" / "chroniques" / "troisieme").exists()
    assert releases.live_history(site.webroot) == [before.name]
    with pytest.raises(messages.DeployError, match="aucune version précédente"):
        publishing.rollback(site.webroot, stream=io.StringIO())


THIRD = """Title: Une troisième chronique
Date: 2024-05-03 10:00
Author: Zôhé
Category: Les Chroniques de Zôhé
Summary: Une chronique publiée puis retirée par un retour en arrière.
Slug: troisieme

Le texte.
"""


SECOND = """Title: Une seconde chronique
Date: 2024-05-01 10:00
Author: Zôhé
Category: Les Chroniques de Zôhé
Summary: Une chronique publiée puis retirée.
Slug: seconde

Le texte.
"""



MIN_LEAD = 20  # seconds


def test_a_scheduled_chronicle_goes_out_at_its_date_not_a_day_later(make_site):
    site = make_site()
    # Dated to the second, far enough ahead for the push's build to finish before it: three
    # times what a first, cold build of the site took here (the test waits for that date).
    started = time.monotonic()
    assert site.push().returncode == 0
    lead = max(MIN_LEAD, 3 * (time.monotonic() - started))
    due = datetime.now(ZoneInfo("Europe/Paris")).replace(microsecond=0) + timedelta(seconds=round(lead))
    # Within a year: a chronicle dated further ahead fails the build (zohe_checks.schedule).
    later = (due + timedelta(days=200)).replace(hour=9, minute=0, second=0)
    commit = site.commit(site.work, "Two scheduled chronicles", {
        "content/chroniques/programmee.md": scheduled("programmee", "Une chronique programmée", due),
        "content/chroniques/plus-tard.md": scheduled("plus-tard", "Une chronique bien plus tard", later),
    })
    assert site.push().returncode == 0
    page = site.webroot / "current" / "chroniques" / "programmee" / "index.html"
    assert time.time() < due.timestamp() and not page.exists(), "the build took longer than the lead"
    assert freshness.next_chronicle(releases.current_release(site.webroot)) == due

    # The injected clock: one second early changes nothing, the due second republishes.
    assert refresh(site, now=due.timestamp() - 1)[0] is None
    time.sleep(max(0.0, due.timestamp() - time.time()) + 1)
    release, said = refresh(site)
    assert release is not None and "chronique programmée" in said, said
    assert release.commit == commit
    assert "Une chronique programmée" in page.read_text(encoding="utf-8")
    assert not (site.webroot / "current" / "chroniques" / "plus-tard").exists()
    # The next one's date is in the new release; until then nothing is due.
    assert freshness.next_chronicle(releases.current_release(site.webroot)) == later
    assert refresh(site)[0] is None


def scheduled(slug, title, when):
    return (
        f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M:%S}\nAuthor: Zôhé\n"
        f"Category: Les Chroniques de Zôhé\nSummary: Une chronique datée dans le futur.\nSlug: {slug}\n\n"
        f"Le texte de « {title} ».\n"
    )
