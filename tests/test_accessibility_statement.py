"""The accessibility statement (issue 19): its figures are the sweep's file, shown by the plugin; every page's footer and the legal notice link to it."""

import json

from bs4 import BeautifulSoup
import pytest

import accessibility_figures
from publish.build import BuildError
from support import build

STATEMENT = "declaration-d-accessibilite/index.html"
FOOTER_LINK = "Accessibilité\u00a0: non conforme"


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_links_the_statement_from_its_footer_with_its_state(prod_site):
    pages = sorted(prod_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        links = [a for a in soup(path).select("footer a") if a.get_text() == FOOTER_LINK]
        assert [a["href"] for a in links] == ["https://zohe.example/declaration-d-accessibilite/"], path
    # In the footer only, not in the main navigation.
    assert "Déclaration" not in soup(prod_site / "index.html").select_one(".site-nav").get_text()


def test_the_legal_notice_links_the_statement(prod_site):
    notice = soup(prod_site / "mentions-legales/index.html").select_one("main")
    assert notice.select('a[href="https://zohe.example/declaration-d-accessibilite/"]')


def test_the_statement_shows_the_committed_figures_in_rgaa_s_form(prod_site):
    figures = accessibility_figures.read()
    assert figures is not None, accessibility_figures.STALE
    main = soup(prod_site / STATEMENT).select_one("main")
    headings = [h.get_text() for h in main.select("h2")]
    assert headings == ["État de conformité", "Résultats des tests", "Établissement de cette déclaration d’accessibilité",
                        "Contenus non accessibles", "Retour d’information et contact", "Voies de recours"]
    text = main.get_text(" ", strip=True)
    assert "est non conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1" in text
    assert f"axe-core {figures['axe_core']} a passé {figures['rules']} règles sur {len(figures['pages'])} pages" in text
    assert f"Chromium {figures['chromium']}" in text
    names = [li.get_text().replace("\u00a0", " ") for li in main.select("h3:-soup-contains('Pages du site') + ul li")]
    assert names == figures["pages"]
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in text


def test_the_figures_come_from_the_file_not_the_page(content, tmp_path):
    """Another run's figures, and the page says them: nothing on it is typed by hand."""
    figures = accessibility_figures.read()
    figures.update(date="2027-03-01", axe_core="9.9.9", rules=7, tested=8, pages=["Accueil", "Chronique"],
                   violations={"critical": 0, "serious": 2, "moderate": 1, "minor": 0},
                   to_review=["color-contrast"], excluded={"Chronique": ["region"]})
    accessibility_figures.write(figures, accessibility_figures.in_content(content))
    output = build(output=tmp_path / "output", overrides={"PATH": str(content)})
    main = soup(output / STATEMENT).select_one("main")
    text = main.get_text(" ", strip=True)
    assert "Le 1er mars 2027, l’outil axe-core 9.9.9 a passé 7 règles sur 2 pages" in text
    assert "soit 8 vérifications. Il y a trouvé 3 violations." in text
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in main.select("tbody tr")]
    assert rows == [["critique", "0"], ["grave", "2"], ["modéré", "1"], ["mineur", "0"]]
    assert "sur la page «\u202fChronique\u202f», où une correction est en cours\u00a0: region." in main.get_text()


def test_a_statement_without_figures_fails_the_build_naming_the_task(content, tmp_path):
    accessibility_figures.in_content(content).unlink()
    with pytest.raises(BuildError) as failed:
        build(output=tmp_path / "output", overrides={"PATH": str(content)})
    assert failed.value.problems == [
        "content/accessibilite.json\u00a0: fichier absent, la déclaration d’accessibilité n’a pas ses chiffres\u202f; "
        "lancez `invoke accessibility`, qui les écrit"]


def test_the_figures_file_is_the_sweeps_shape():
    """What the sweep writes is what the plugin reads: every key of a run, and a date."""
    run = accessibility_figures.Run("156.0")
    mode = accessibility_figures.Mode("dark", False)
    results = {"testEngine": {"version": "4.12.1"}, "passes": [{"id": "region"}], "inapplicable": [{"id": "list"}],
               "incomplete": [{"id": "color-contrast"}],
               "violations": [{"id": "label", "impact": "critical", "nodes": [{"target": ["input"]}]}]}
    run.add("Accueil", mode, results, excluded=("region",))
    figures = run.figures()
    assert json.loads(json.dumps(figures)) == figures
    assert set(accessibility_figures.comparable(figures)) == set(accessibility_figures.read()) - {"date"}
    assert figures["modes"] == ["thème sombre, JavaScript désactivé"] and figures["rules"] == 4
    assert figures["violations"] == {"critical": 1, "serious": 0, "moderate": 0, "minor": 0}
    assert run.problems() == ["Accueil (thème sombre, JavaScript désactivé): label [critical] input"]
