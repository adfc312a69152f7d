"""axe-core on every page type as readers get them (issue 18), light and dark, JavaScript on and off; its figures are the accessibility statement's (issue 19).

One sweep, in Chromium: the production build behind nginx with the shipped configuration
and the real comment server under /isso/, its moderation e-mail to a real SMTP sink. The
chronicle has a published comment and a reply baked in; a pending comment gives the
moderation page its e-mail link and the admin page, once logged in, a comment to
publish. Each mode is one browser context whose one page goes through every page of
PAGES.

axe-core needs scripts. "JavaScript off" is read by a second context whose scripts are
off: the page, and what is done there, as such a reader gets it (no script run, each
`<noscript>` shown as the browser lays it out then, in the flow); that document, its inert
`<script>` elements taken out, is then given to the checking page at the same address,
which lays it out with its stylesheets and runs axe on it. (Allowing scripts again in the
reading page would not do: Chromium hides `<noscript>` as soon as scripts may run.)

The run's figures must equal those committed (accessibility_figures.PATH), which the
statement page shows: `invoke accessibility` runs this module with ZOHE_WRITE_ACCESSIBILITY=1
to rewrite them.
"""

from dataclasses import dataclass
import itertools
import os
from typing import Callable

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

import accessibility_figures
import comment_form
from comments import moderation
from support import moderation_links, post_seed

CHRONICLE = "/chroniques/la-juste-mesure/"
ADMIN_PASSWORD = "accessibility-test-admin-password"
addresses = (f"198.51.100.{n}" for n in itertools.count(101))


def refused(page, scripts):
    """The comment server's refusal page: the reply form sent with an address it refuses."""
    page.get_by_label("Votre réponse").fill("Une réponse à une adresse mal écrite.")
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail").fill("camille@exemple")
    page.get_by_role("button", name=comment_form.SUBMIT).click()
    expect(page.locator("#discussion-email-erreur")).to_be_visible()


def search_results(page, scripts):
    """With scripts, a word typed and its results shown; without, the page's own notice, parsed as markup (scripts were off)."""
    if scripts:
        page.get_by_role("searchbox", name="Chercher dans les chroniques et les pages").fill("mesure")
        expect(page.locator(".pf-result-link").first).to_be_visible()
    else:
        # (Playwright's text locators skip <noscript>: the DOM says it.)
        assert page.evaluate("document.querySelector('#recherche noscript p').textContent").startswith(
            "La recherche a besoin de JavaScript")


def link_asked(page, scripts):
    """The commenters' own data page: an address given, the answer that a link was sent if it has comments."""
    page.get_by_label("Votre adresse électronique").fill("camille@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("button", name="Recevoir le lien")).to_have_count(0)


def logged_in(page, scripts):
    """The moderators' admin page, logged in: the comment waiting, with its buttons."""
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#isso-root .isso-comment")).to_have_count(1)


@dataclass(frozen=True)
class Page:
    """A page of the sweep: its name in the statement, its address, its answer's status, what to do there then.

    An address may name what the fixture found ({reply}: the baked comment's reply page;
    {moderation}: the e-mail's link to a pending comment) or be a whole URL.
    """

    name: str
    address: str
    status: int = 200
    then: Callable | None = None
    # axe rules left out on this page for now; the statement says so.
    excluded: tuple = ()


# One line per page type: the statement lists them under these names.
PAGES = (
    Page("Accueil", "/"),
    Page("Chronique, avec ses commentaires publiés et son formulaire", CHRONICLE),
    Page("Page (À propos)", "/a-propos/"),
    Page("Notre promesse", "/notre-promesse/"),
    Page("Déclaration d’accessibilité", "/declaration-d-accessibilite/"),
    Page("Offre : adhésion", "/adhesion/"),
    Page("Offre : abonnement", "/abonnement/"),
    Page("Offre : accompagnement", "/accompagnement/"),
    Page("Catégorie", "/categories/les-chroniques-de-zohe/"),
    Page("Liste des catégories", "/categories/"),
    Page("Mot-clé", "/mots-cles/marketing/"),
    Page("Liste des mots-clés", "/mots-cles/"),
    Page("Archives", "/archives/"),
    Page("Archives d’une année", "/archives/2023/"),
    Page("Archives d’un mois", "/archives/2023/03/"),
    Page("Auteur", "/auteurs/jean-nathalie/"),
    Page("Liste des auteurs", "/auteurs/"),
    Page("Recherche (avec des résultats quand JavaScript est activé)", "/recherche/", then=search_results),
    Page("Page introuvable (erreur 404)", "/nulle-part/", status=404),
    Page("Réponse à un commentaire (service de commentaires)", "{reply}"),
    Page("Formulaire refusé (service de commentaires)", "{reply}", then=refused),
    Page("Modération depuis le lien de l’e-mail (service de commentaires)", "{moderation}"),
    Page("Connexion à l’administration des commentaires", "/isso/admin/"),
    Page("Administration des commentaires, une fois connecté (service de commentaires)", "/isso/admin/",
         then=logged_in),
    Page("Vos commentaires : demander le lien (service de commentaires)", "/isso/mes-donnees"),
    Page("Vos commentaires : lien demandé (service de commentaires)", "/isso/mes-donnees", then=link_asked),
    Page("Vos commentaires : lien refusé (service de commentaires)", "/isso/mes-donnees/acces?jeton=faux", status=403),
    Page("Vos commentaires : liste sans lien ouvert (service de commentaires)", "/isso/mes-donnees/commentaires",
         status=403),
)
# Colour scheme and scripts: every page in each of these four ways.
MODES = tuple(accessibility_figures.Mode(scheme, scripts) for scheme in ("light", "dark") for scripts in (True, False))


class Production:
    def __init__(self, base, found):
        self.base = base
        # What a page's address may name (Page).
        self.found = found


@pytest.fixture(scope="module")
def production(tmp_path_factory, start_production, moderation_mail):
    """nginx with the shipped conf in front of the production build and the comment server, one origin."""
    seeded = {}

    def seed(server, site, conf):
        parent = None
        for author, text in (("Pauline", "Un avis déjà publié sur la page."), ("Jean", "Une réponse publiée.")):
            parent = post_seed(server, site, CHRONICLE, {
                "text": text, "author": author, "email": f"{author.lower()}@example.org",
                "title": "La juste mesure", "parent": parent}, address=next(addresses))
            assert moderation.approve(conf, parent) is True
        seeded["parent"] = parent
        seeded["pending"] = post_seed(server, site, CHRONICLE, {
            "text": "Un commentaire en attente de modération.", "author": "Camille",
            "email": "camille@example.org", "title": "La juste mesure"}, address=next(addresses))

    isso = {"general": {"notify": "smtp"},
            "smtp": {"host": "127.0.0.1", "port": moderation_mail[0], "security": "none", "to": "moderation@zohe.test"}}
    env = {"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD}
    with start_production(tmp_path_factory.mktemp("accessibility"), isso, env, seed) as (base, *_):
        _, message = moderation_mail[1].wait_for(lambda to, msg: f"/id/{seeded['pending']}/" in msg.get_content())
        yield Production(base, {
            "reply": f"{base}/isso{comment_form.REPLY_PATH}?uri={CHRONICLE}&parent={seeded['parent']}",
            "moderation": moderation_links(message.get_content())["activate"],
        })


# The document a reader without scripts has: each <noscript> laid out in the flow, no script.
WITHOUT_SCRIPTS = """() => {
  for (const element of document.querySelectorAll("noscript")) element.replaceWith(...element.childNodes);
  for (const element of document.querySelectorAll("script")) element.remove();
  return "<!DOCTYPE html>" + document.documentElement.outerHTML;
}"""


def sweep(browser, production):
    """Every page in every mode through axe-core: the run's figures and its violations, one line each."""
    run = accessibility_figures.Run(browser.version)
    contexts = []

    def open_page(mode, scripts):
        context = browser.new_context(locale="fr-FR", color_scheme=mode.scheme, java_script_enabled=scripts,
                                      extra_http_headers={"X-Forwarded-For": next(addresses)})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    try:
        for mode in MODES:
            checking = open_page(mode, True)
            reading = checking if mode.scripts else open_page(mode, False)
            for entry in PAGES:
                address = entry.address.format(**production.found)
                response = reading.goto(address if address.startswith("http") else production.base + address)
                assert response.status == entry.status, f"{entry.name}: {response.status} {reading.url}"
                if mode.scripts:  # what the scripts fetch is on the page (the chronicle's thread)
                    reading.wait_for_load_state("networkidle")
                if entry.then:
                    entry.then(reading, mode.scripts)
                if not mode.scripts:
                    document, url = reading.evaluate(WITHOUT_SCRIPTS), reading.url
                    checking.route(lambda asked: asked == url, lambda route: route.fulfill(
                        status=200, content_type="text/html; charset=utf-8", body=document))
                    checking.goto(url)
                    checking.unroute_all()
                checking.evaluate(AXE_SCRIPT)
                options = {"rules": {rule: {"enabled": False} for rule in entry.excluded}}
                run.add(entry.name, mode, checking.evaluate("(options) => axe.run(document, options)", options),
                        entry.excluded)
    finally:
        for context in contexts:
            context.close()
    return run


def test_axe_finds_no_violation_on_any_page_in_any_mode(browser, production):
    run = sweep(browser, production)
    assert run.tested == len(PAGES) * len(MODES)
    figures = run.figures()
    # Written even with violations: the statement then says them.
    if os.environ.get(accessibility_figures.WRITE) == "1":
        accessibility_figures.write(figures)
    assert run.problems() == [], "\n".join(run.problems())
    assert accessibility_figures.comparable(accessibility_figures.read()) == accessibility_figures.comparable(figures), (
        accessibility_figures.STALE)
