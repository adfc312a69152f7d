"""The legal notice shows the facts the law asks for, from production's settings; the preview says what is missing."""

import shutil

from bs4 import BeautifulSoup
import pytest

import legal_notice
from publish.build import BuildError, build
from support import LEGAL_FACTS, ROOT, build_prod

PAGE = "mentions-legales/index.html"


def main_of(site, page=PAGE):
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").find("main")


def facts_shown(main):
    """{(heading, label): value} of the notice's lists of facts."""
    shown = {}
    for listing in main.select(".legal-facts dl"):
        heading = listing.find_previous_sibling("h2").get_text()
        for term in listing.find_all("dt"):
            shown[heading, term.get_text()] = term.find_next_sibling("dd").get_text()
    return shown


def test_production_shows_every_fact_deploy_env_gives_under_its_label(prod_site):
    main = main_of(prod_site)
    assert facts_shown(main) == {
        (fact.section, fact.label): LEGAL_FACTS[fact.variable]
        for fact in legal_notice.FACTS if fact.variable in LEGAL_FACTS
    }
    assert main.select(".unfinished") == [] and "manquant" not in main.get_text()
    # Nothing left to fill in, on any page of the real content.
    for page in (ROOT / "content" / "pages").glob("*.md"):
        assert legal_notice.placeholder(page.read_text(encoding="utf-8")) is None, page


def test_registration_asks_for_the_capital_too():
    unregistered = dict(LEGAL_FACTS)
    assert legal_notice.missing(unregistered) == []
    registered = {**LEGAL_FACTS, "ZOHE_PUBLISHER_REGISTRATION": "RCS Essai 999 999 999"}
    assert [fact.variable for fact in legal_notice.missing(registered)] == ["ZOHE_PUBLISHER_CAPITAL"]
    # A fact written as a placeholder is missing all the same.
    assert [fact.variable for fact in legal_notice.missing({**LEGAL_FACTS, "ZOHE_HOST_PHONE": "À compléter"})] == [
        "ZOHE_HOST_PHONE"]


def test_the_preview_says_in_the_page_which_facts_are_missing_and_which_placeholder_remains(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "pages" / "a-propos.md").write_text(
        (content / "pages" / "a-propos.md").read_text(encoding="utf-8") + "\nNotre adresse : TODO.\n",
        encoding="utf-8",
    )
    site = build(prod=False, output=tmp_path / "output", overrides={"PATH": str(content)})

    notice = main_of(site).select_one(".unfinished")
    assert notice.find("h2").get_text() == "Aperçu seulement\u00a0: cette page ne peut pas être publiée"
    lines = [item.get_text() for item in notice.find_all("li")]
    assert lines == [
        f"Il manque {fact.name}\u00a0: en production, la ligne «\u202f{fact.variable}=…\u202f» de deploy.env "
        "la donne, et sans elle le site n’est pas publié."
        for fact in legal_notice.missing({})
    ]
    assert set(facts_shown(main_of(site)).values()) == {"manquant (aperçu)"}

    about = main_of(site, "a-propos/index.html").select_one(".unfinished")
    last = len((content / "pages" / "a-propos.md").read_text(encoding="utf-8").splitlines())
    assert [item.get_text() for item in about.find_all("li")] == [
        f"Ligne {last}\u00a0: «\u202fTODO\u202f» reste dans la page\u202f; écrivez ce qui manque, sans quoi elle ne "
        "sera pas publiée."
    ]
    # A finished page carries no notice.
    assert main_of(site, "notre-promesse/index.html").select(".unfinished") == []


def test_production_refuses_a_page_still_carrying_a_placeholder(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    page = content / "pages" / "mentions-legales.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nTéléphone : à préciser.\n", encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines())
    with pytest.raises(BuildError) as failure:
        build_prod(tmp_path / "output", PATH=str(content))
    assert failure.value.problems == [
        f"content/pages/mentions-legales.md, ligne {line}\u00a0: «\u00a0à préciser\u00a0» reste dans la page, qui ne "
        "peut pas être publiée ainsi\u202f; écrivez ce qui manque, ou retirez la phrase"
    ]


def test_the_example_deploy_env_shows_every_fact_and_no_value():
    from deploy.settings import read_env_file

    example = read_env_file(ROOT / "deploy" / "deploy.env.example")
    assert {fact.variable for fact in legal_notice.FACTS} <= set(example)
    assert legal_notice.from_environment(example) == {}
