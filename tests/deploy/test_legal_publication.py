"""A push goes live only with a complete legal notice: every fact the law asks for in deploy.env, no placeholder in a page."""

from bs4 import BeautifulSoup

import legal_notice
from deploy import settings
from support import LEGAL_FACTS, legal_facts_lines


def write_facts(site, facts):
    """deploy.env with `facts` as its legal notice's lines, its other lines kept."""
    env_file = site.webroot / settings.ENV_FILE
    kept = [line for line in env_file.read_text(encoding="utf-8").splitlines()
            if line.partition("=")[0] not in {fact.variable for fact in legal_notice.FACTS}]
    env_file.write_text("\n".join(kept) + "\n" + legal_facts_lines(facts), encoding="utf-8")


def live_notice(site):
    html = (site.webroot / "current" / "mentions-legales" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find("main")


def test_a_push_is_refused_while_deploy_env_lacks_a_fact_then_published_with_them(make_site):
    site = make_site()
    incomplete = {name: value for name, value in LEGAL_FACTS.items() if name != "ZOHE_HOST_PHONE"}
    incomplete["ZOHE_PUBLISHER_PHONE"] = "à compléter"
    write_facts(site, incomplete)

    result = site.push()
    assert result.returncode == 0, result.stdout
    env_file = site.webroot / settings.ENV_FILE
    for variable, name in (("ZOHE_PUBLISHER_PHONE", "le téléphone de l’éditeur"),
                           ("ZOHE_HOST_PHONE", "le téléphone de l’hébergeur")):
        assert (
            f"remote: Zôhé\u00a0: {env_file}\u00a0: il manque {name}, que la loi demande dans les mentions "
            f"légales\u202f; ajoutez la ligne «\u00a0{variable}=…\u00a0» (le site en ligne n’a pas changé)"
        ) in result.stdout
    assert "construction de la version" not in result.stdout and "Traceback" not in result.stdout
    assert site.current() is None

    write_facts(site, LEGAL_FACTS)
    site.commit(site.work, "Publish again")
    result = site.push()
    assert result.returncode == 0 and "en ligne" in result.stdout, result.stdout
    text = live_notice(site).get_text()
    assert all(value in text for value in LEGAL_FACTS.values()), text
    assert "manquant" not in text and "il manque" not in text


def test_a_push_is_refused_while_a_page_carries_a_placeholder(make_site):
    site = make_site()
    assert site.push().returncode == 0
    live = site.current()
    page = site.work / "content" / "pages" / "mentions-legales.md"
    text = page.read_text(encoding="utf-8") + "\nNuméro de TVA : TODO\n"
    commit = site.commit(site.work, "A fact not known yet", {"content/pages/mentions-legales.md": text})

    result = site.push()
    assert (
        f"content/pages/mentions-legales.md, ligne {len(text.splitlines())}\u00a0: «\u00a0TODO\u00a0» reste dans "
        "la page, qui ne peut pas être publiée ainsi\u202f; écrivez ce qui manque, ou retirez la phrase"
    ) in result.stdout
    assert f"la construction de {commit[:12]} a échoué" in result.stdout
    assert site.current() == live
