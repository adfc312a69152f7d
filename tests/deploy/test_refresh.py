"""Keeping published pages fresh: a moderation decision republishes, a mere pending comment does not."""

from datetime import date, timedelta
import io

from isso import config
from isso.db import SQLite3

from publish import deploy
from support import ROOT

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
    release = deploy.refresh(site.repo, site.webroot, stream=out, **kwargs)
    return release, out.getvalue()


def test_only_a_moderation_decision_or_a_new_day_republishes(make_site):
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

    release, said = refresh(site, today=date.today() + timedelta(days=1))
    assert release is not None and "nouvelle journée" in said
