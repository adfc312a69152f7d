"""`invoke new`: the scaffolded chronicle is a draft in the preview, absent from production, and passes the strict checks once published."""

from datetime import datetime
import shutil
from zoneinfo import ZoneInfo

from invoke import Context, Exit
import pytest

import tasks
from support import ROOT, build, build_prod
from publish.build import BuildError
from publish.new import ChronicleExists, TitleWithoutSlug, new_chronicle

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

    # Published with the scaffold's placeholders: refused, naming the file and what to write.
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_prod(tmp_path / "published", PATH=str(content))
    assert ("chroniques/une-idee-neuve.md, ligne 6\u00a0: le résumé est encore celui qu’a écrit ./dev new\u202f; "
            "écrivez le vôtre") in str(failure.value)
    assert "chroniques/une-idee-neuve.md\u00a0: le texte est encore celui qu’a écrit ./dev new" in str(failure.value)

    # Once the author wrote them, the strict production build passes (it raises on any warning).
    text = path.read_text(encoding="utf-8")
    text = text.replace("À écrire : une ou deux phrases qui donnent envie de lire la chronique.", "Une idée, enfin.")
    path.write_text(text.replace("Le texte de la chronique commence ici.", "Voici l’idée."), encoding="utf-8")
    prod = build_prod(tmp_path / "published", PATH=str(content))
    page = (prod / "chroniques/une-idee-neuve/index.html").read_text(encoding="utf-8")
    assert "Une idée neuve" in page and "3\xa0juin\xa02024" in page.replace(" ", "\xa0")


def test_an_elided_word_starts_a_word_of_the_address(content):
    path = new_chronicle("L’été à Zôhé : l'année", content=content, now=NOW)
    assert path.name == "l-ete-a-zohe-l-annee.md"


def test_a_title_without_letters_writes_nothing_and_the_task_says_why(content):
    with pytest.raises(TitleWithoutSlug):
        new_chronicle("?!", content=content, now=NOW)
    assert sorted(p.name for p in (content / "chroniques").iterdir()) == sorted(
        p.name for p in (ROOT / "content" / "chroniques").iterdir())
    with pytest.raises(Exit) as raised:
        tasks.new(Context(), "…")
    assert raised.value.code == 1 and "n’a ni lettre ni chiffre" in str(raised.value.message)


def test_the_readme_shows_what_the_scaffold_writes(content):
    header = new_chronicle("Mon titre", content=content, now=NOW).read_text(encoding="utf-8").split("\n\n")[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = header.replace("2024-06-03 09:30", "2026-11-22 10:00")
    assert f"```\n{shown}\n```".replace("\n", "\n  ") in readme


def test_an_existing_chronicle_is_never_overwritten(content):
    existing = content / "chroniques" / "la-juste-mesure.md"
    before = existing.read_bytes()
    with pytest.raises(ChronicleExists, match="la-juste-mesure.md existe déjà"):
        new_chronicle("La juste mesure", content=content, now=NOW)
    assert existing.read_bytes() == before


def test_the_task_says_so_without_a_traceback(capsys):
    # The project's own content: "La juste mesure" exists there, so nothing is written.
    existing = ROOT / "content" / "chroniques" / "la-juste-mesure.md"
    before = existing.read_bytes()
    with pytest.raises(Exit) as raised:
        tasks.new(Context(), "La juste mesure")
    assert raised.value.code == 1
    assert str(raised.value.message).startswith("Chronique non créée\u00a0: ")
    assert "existe déjà" in str(raised.value.message)
    assert existing.read_bytes() == before
