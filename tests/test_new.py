"""`invoke new`: the scaffolded chronicle is a draft in the preview, absent from production, and passes the strict checks once published."""

from datetime import datetime
import shutil
from zoneinfo import ZoneInfo

from invoke import Context, Exit
import pytest

import tasks
from support import ROOT, build, build_prod
from publish.new import ChronicleExists, new_chronicle

NOW = datetime(2024, 6, 3, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


def test_the_scaffold_is_a_draft_until_its_status_line_goes(content, tmp_path):
    path = new_chronicle("Une idée neuve", content=content, now=NOW)
    assert path == content / "chroniques" / "une-idee-neuve.md"
    header = path.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    assert header == [
        "Title: Une idée neuve",
        "Date: 2024-06-03 09:30",
        "Author: Zôhé",
        "Category: Les Chroniques de Zôhé",
        "Tags:",
        "Summary: À écrire : une ou deux phrases qui donnent envie de lire la chronique.",
        "Slug: une-idee-neuve",
        "Status: draft",
    ]

    dev = build(output=tmp_path / "dev", overrides={"PATH": str(content)})
    assert "Une idée neuve" in (dev / "brouillons/une-idee-neuve/index.html").read_text(encoding="utf-8")
    prod = build_prod(tmp_path / "prod", PATH=str(content))
    assert not (prod / "chroniques/une-idee-neuve").exists()
    assert [p for p in prod.rglob("*.html") if "Une idée neuve" in p.read_text(encoding="utf-8")] == []

    # Published as scaffolded: the strict production build passes (it raises on any warning).
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    prod = build_prod(tmp_path / "published", PATH=str(content))
    page = (prod / "chroniques/une-idee-neuve/index.html").read_text(encoding="utf-8")
    assert "Une idée neuve" in page and "3\xa0juin\xa02024" in page.replace(" ", "\xa0")


def test_the_readme_shows_what_the_scaffold_writes(content):
    header = new_chronicle("Mon titre", content=content, now=NOW).read_text(encoding="utf-8").split("\n\n")[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = header.replace("2024-06-03 09:30", "2026-11-22 10:00")
    assert f"```\n{shown}\n```".replace("\n", "\n  ") in readme


def test_an_existing_chronicle_is_never_overwritten(content):
    existing = content / "chroniques" / "la-juste-mesure.md"
    before = existing.read_bytes()
    with pytest.raises(ChronicleExists, match="la-juste-mesure.md already exists"):
        new_chronicle("La juste mesure", content=content, now=NOW)
    assert existing.read_bytes() == before


def test_the_task_says_so_without_a_traceback(capsys):
    # The project's own content: "La juste mesure" exists there, so nothing is written.
    existing = ROOT / "content" / "chroniques" / "la-juste-mesure.md"
    before = existing.read_bytes()
    with pytest.raises(Exit) as raised:
        tasks.new(Context(), "La juste mesure")
    assert raised.value.code == 1
    assert str(raised.value.message).startswith("Not created: ")
    assert "already exists" in str(raised.value.message)
    assert existing.read_bytes() == before
