"""The discussion script (theme/static/js/discussion.js) in Chromium as readers get it: the production build behind the shipped nginx configuration and its Content-Security-Policy, the real comment server under /isso/, one origin.

The comment server's database holds an approved comment and an approved reply before the
build, so the chronicle is published with them baked in. Each reader's browser context
says it comes from an address of its own (X-Forwarded-For, which nginx passes on and the
comment server trusts from loopback), so the limits on posting, low here, count each
test's posts apart.
"""

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import expect

import comment_form
import comment_rules
from comments import guard, moderation
from french_words import SCRIPT_WORDS
from support import ROOT, post_seed, thread_comments

CHRONICLE = "/chroniques/la-juste-mesure/"
# Typed plainly; the build and the comment server's answers both typeset it.
BAKED_TEXT = "Oui : « la juste mesure » ! L'avis d'une lectrice ?"
REPLY_TEXT = "D'accord ; merci !"
ADMIN_PASSWORD = "script-test-admin-password"
AXE = next(Path(ROOT / ".venv").glob("lib/python*/site-packages/axe_playwright_python/axe.min.js"))
# Recorded from the first script of the page on: every violation of the page's policy.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
document.addEventListener("DOMContentLoaded", () => {
  for (const comment of document.querySelectorAll("#isso-root .isso-comment")) comment.dataset.baked = "";
});
"""
addresses = (f"198.51.100.{n}" for n in itertools.count(1))


class Production:
    def __init__(self, base, dbpath):
        self.base, self.dbpath = base, dbpath

    def comments(self):
        """(id, mode, parent, author, text) of the chronicle's comments, oldest first."""
        return thread_comments(self.dbpath, CHRONICLE, "comments.id, mode, parent, author, text")


def approved_thread(server, site, conf):
    """A comment and a reply to it, approved, for the build to bake."""
    parent = None
    for n, (text, author) in enumerate([(BAKED_TEXT, "Pauline"), (REPLY_TEXT, "Jean")]):
        parent = post_seed(server, site, CHRONICLE, {
            "text": text, "author": author, "email": f"{author.lower()}@example.org",
            "website": "https://exemple.fr/" if parent is None else None,
            "title": "La juste mesure", "parent": parent}, address=f"192.0.2.{n + 1}")
        assert moderation.approve(conf, parent) is True


@pytest.fixture(scope="module")
def production(tmp_path_factory, start_production):
    """nginx with the shipped conf in front of the production build and the comment server, one origin."""
    isso = {"guard": {"enabled": "true", "ratelimit": "2", "direct-reply": "10"}}
    env = {"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD}
    with start_production(tmp_path_factory.mktemp("script-production"), isso, env, approved_thread) as (base, dbpath, *_):
        yield Production(base, dbpath)


@pytest.fixture
def reader(browser):
    """reader(**options) -> a page in a fresh context (a reader of their own, from an address of their own).

    Under the site's policy unless bypass_csp=True (axe is an inline script); at the end,
    no page saw a policy violation, a script error or a 5xx.
    """
    contexts, pages, problems = [], [], []

    def open_(**options):
        context = browser.new_context(locale="fr-FR", extra_http_headers={"X-Forwarded-For": next(addresses)},
                                      **options)
        context.set_default_timeout(15_000)
        context.add_init_script(WATCH_CSP)
        context.on("response", lambda r: r.status >= 500 and problems.append(f"{r.status} {r.url}"))
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
                and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        contexts.append(context)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        if not page.is_closed():
            assert page.evaluate("window.__csp") == []
    for context in contexts:
        context.close()
    assert problems == []


def open_chronicle(page, production):
    """The chronicle, once the script has written the thread from the comment server."""
    with page.expect_response(lambda r: "/isso/?uri=" in r.url):
        page.goto(production.base + CHRONICLE)
    expect(page.locator("#isso-root .isso-comment[data-baked]")).to_have_count(0)
    return page


def fill(page, text, author="Camille Martin", email="camille@example.org"):
    page.get_by_label("Votre réponse").fill(text)
    page.get_by_label("Nom").fill(author)
    page.get_by_label("E-mail").fill(email)


def send(page):
    with page.expect_response(lambda r: r.url.endswith("/isso" + comment_form.POST_PATH)) as answer:
        page.get_by_role("button", name=comment_form.SUBMIT).click()
    return answer.value


def own_comment(page, text):
    return page.locator("#isso-root .isso-comment", has_text=text)


def test_the_script_writes_the_thread_exactly_as_the_build_baked_it(production, reader):
    """Same markup, same typography, same dates and tooltips, same count: nothing changes when the script takes over."""
    baked = reader(java_script_enabled=False)
    baked.goto(production.base + CHRONICLE)
    before = baked.locator("#isso-root").inner_html()
    count = baked.locator("#discussion-compte").text_content()
    assert "«\u202fla juste mesure\u202f»\u202f!" in before and "lectrice\u202f?" in before
    assert 'title="le ' in before and "isso-follow-up\"><div class=\"isso-comment\"" in before

    page = open_chronicle(reader(), production)
    assert page.locator("#isso-root").inner_html() == before
    assert page.locator("#discussion-compte").text_content() == count == "2 réponses"
    # No trace of Isso's embed script: none fetched, no data-isso-* left.
    assert page.locator("script[src*='embed'], [data-isso], [data-isso-id]").count() == 0
    assert page.evaluate("[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('data-isso')))") is False


def test_a_reader_posts_inline_sees_the_pending_state_and_only_they_see_the_comment(production, reader):
    page = open_chronicle(reader(), production)
    text = "Écrit avec le script : publié après relecture !"
    fill(page, text)
    answer = send(page)
    assert answer.status == 202
    assert page.url == production.base + CHRONICLE  # no page change
    notice = page.locator("#" + comment_form.PENDING)
    expect(notice).to_be_visible()
    expect(notice).to_have_text(comment_form.NOTICES[comment_form.PENDING])
    expect(page.get_by_label("Votre réponse")).to_have_value("")
    mine = own_comment(page, "Écrit avec le script")
    expect(mine.locator(".isso-note")).to_have_text(SCRIPT_WORDS["pending"])
    # The comment server's typography, as in every other comment.
    expect(mine.locator(".isso-text")).to_have_text("Écrit avec le script\u00a0: publié après relecture\u202f!")
    comment_id, mode, parent, author, stored = production.comments()[-1]
    assert (mode, parent, author, stored) == (2, None, "Camille Martin", text)
    # The count is of published comments only.
    expect(page.locator("#discussion-compte")).to_have_text("2 réponses")

    # Still there for its author after a reload; another browser never sees it.
    page.reload()
    expect(own_comment(page, "Écrit avec le script").locator(".isso-note")).to_have_text(SCRIPT_WORDS["pending"])
    other = open_chronicle(reader(), production)
    expect(own_comment(other, "Écrit avec le script")).to_have_count(0)
    expect(other.locator("#isso-root .isso-comment")).to_have_count(2)


def test_the_author_edits_then_deletes_a_pending_comment_within_the_window(production, reader):
    page = open_chronicle(reader(), production)
    fill(page, "Une première version du texte.")
    send(page)
    comment_id = production.comments()[-1][0]
    mine = page.locator(f"#isso-{comment_id}")
    expect(mine.locator(".isso-note")).to_have_text(SCRIPT_WORDS["pending"])
    mine.get_by_role("button", name=SCRIPT_WORDS["edit"]).click()
    editor = mine.get_by_label("Votre réponse")
    expect(editor).to_have_value("Une première version du texte.")
    editor.fill("Une version corrigée : merci !")
    with page.expect_response(lambda r: "/isso/id/" in r.url and r.request.method == "PUT") as put:
        mine.get_by_role("button", name=SCRIPT_WORDS["save"]).click()
    assert put.value.status == 200
    edited = own_comment(page, "Une version corrigée")
    expect(edited.locator(".isso-text")).to_have_text("Une version corrigée\u00a0: merci\u202f!")
    assert production.comments()[-1][4] == "Une version corrigée : merci !"

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: "/isso/id/" in r.url and r.request.method == "DELETE") as deleted:
        edited.get_by_role("button", name=SCRIPT_WORDS["delete"]).click()
    assert deleted.value.status == 200
    expect(own_comment(page, "Une version corrigée")).to_have_count(0)
    assert comment_id not in [row[0] for row in production.comments()]

    # Once Isso's window is over (its cookie gone), the buttons go too.
    fill(page, "Un autre avis, gardé celui-là.")
    send(page)
    kept = own_comment(page, "gardé celui-là")
    expect(kept.get_by_role("button", name=SCRIPT_WORDS["delete"])).to_be_visible()
    page.context.clear_cookies()
    page.reload()
    expect(own_comment(page, "gardé celui-là").locator(".isso-note")).to_have_text(SCRIPT_WORDS["pending"])
    expect(own_comment(page, "gardé celui-là").get_by_role("button")).to_have_count(0)


def test_a_reply_goes_under_its_comment(production, reader):
    page = open_chronicle(reader(), production)
    parent_id = next(row[0] for row in production.comments() if row[4] == BAKED_TEXT)
    link = page.locator(f"#isso-{parent_id} > .isso-text-wrapper .discussion__reply")
    # Without script the link leads to the reply page; with it, the form comes under the comment.
    assert comment_form.REPLY_PATH + "?uri=" in link.get_attribute("href")
    link.click()
    assert page.url == production.base + CHRONICLE
    form = page.locator(f"#isso-{parent_id} > #{comment_form.FORM_ID}")
    expect(form).to_be_visible()
    expect(page.get_by_label("Votre réponse")).to_be_focused()
    assert form.locator("input[name=parent]").get_attribute("value") == str(parent_id)
    # « Annuler » takes it back, for a new comment; « Répondre » again brings it here.
    form.get_by_role("button", name=SCRIPT_WORDS["cancel"]).click()
    expect(page.locator(f"#discussion > #{comment_form.FORM_ID} input[name=parent]")).to_have_count(0)
    expect(page.locator(f"#discussion > #{comment_form.FORM_ID}")).to_be_visible()
    expect(page.get_by_role("button", name=SCRIPT_WORDS["cancel"])).to_have_count(0)
    link.click()
    expect(form).to_be_visible()
    fill(page, "Une réponse à Pauline, avec le script.", author="Jean")
    send(page)
    _, mode, parent, author, _ = production.comments()[-1]
    assert (mode, parent, author) == (2, parent_id, "Jean")
    reply = page.locator(f"#isso-{parent_id} > .isso-follow-up > .isso-comment", has_text="avec le script")
    expect(reply.locator(".isso-note")).to_have_text(SCRIPT_WORDS["pending"])
    # The form is back in its place, for a new comment.
    expect(page.locator(f"#discussion > #{comment_form.FORM_ID}")).to_be_visible()
    expect(page.locator(f"#{comment_form.FORM_ID} input[name=parent]")).to_have_count(0)


def expect_refused(page, name, message):
    field = page.locator(f"#discussion-{name}")
    expect(page.locator(f"#discussion-{name}-erreur")).to_have_text(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    summary = page.locator("#discussion-erreurs")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text(message)


def test_each_refusal_is_shown_in_french_next_to_its_field(production, reader):
    page = open_chronicle(reader(), production)
    text = "Un texte que je ne veux pas retaper\u202f!"
    fill(page, text, email="camille@exemple")  # accepted by the browser's type="email", refused by the server
    assert send(page).status == 400
    expect_refused(page, "email", comment_rules.MESSAGES["email_invalid"])
    expect(page.get_by_label("Votre réponse")).to_have_value(text)

    # The limits of comment_rules are checked before sending, with the same messages.
    posted = []
    page.on("request", lambda r: r.method == "POST" and posted.append(r.url))
    page.get_by_label("E-mail").fill("camille@exemple.fr")
    page.get_by_label("Votre réponse").fill("ok")
    page.get_by_role("button", name=comment_form.SUBMIT).click()
    expect_refused(page, "text", comment_rules.MESSAGES["text_too_short"])
    expect(page.locator("#discussion-email")).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Nom").fill("")
    page.get_by_role("button", name=comment_form.SUBMIT).click()
    expect_refused(page, "text", comment_rules.MESSAGES["text_too_short"])
    expect(page.locator("#discussion-author-erreur")).to_have_text(comment_rules.MESSAGES["author_required"])
    assert posted == []


def test_the_limits_on_posting_are_said_in_french(production, reader):
    page = open_chronicle(reader(), production)
    statuses = []
    for n in range(3):  # ratelimit = 2 a minute from one address
        fill(page, f"Avis numéro {n + 1}, envoyé vite.")
        statuses.append(send(page).status)
        if statuses[-1] == 429:
            break
    assert statuses == [202, 202, 429]
    summary = page.locator("#discussion-erreurs")
    expect(summary).to_contain_text(guard.MESSAGES["per_address"].split("{delay}")[0])
    expect(page.get_by_label("Votre réponse")).to_have_value("Avis numéro 3, envoyé vite.")


def test_a_network_failure_keeps_the_text(production, reader):
    page = open_chronicle(reader(), production)
    page.route("**/isso" + comment_form.POST_PATH, lambda route: route.abort())
    fill(page, "Écrit dans le train, sans réseau.")
    page.get_by_role("button", name=comment_form.SUBMIT).click()
    expect(page.locator("#discussion-erreurs")).to_have_text(SCRIPT_WORDS["offline"])
    expect(page.get_by_label("Votre réponse")).to_have_value("Écrit dans le train, sans réseau.")


def test_a_body_too_large_for_nginx_is_said_in_french_and_the_text_kept(production, reader):
    """Within the rules' 65,535 characters, accented text percent-encoded passes nginx's 256 KiB: its French page's message shows."""
    page = open_chronicle(reader(), production)
    text = "é" * 60_000
    fill(page, text)
    assert send(page).status == 413
    expect(page.locator("#discussion-erreurs")).to_contain_text("Votre réponse est trop volumineuse pour être envoyée")
    expect(page.get_by_label("Votre réponse")).to_have_value(text)


def test_a_reader_posts_with_the_keyboard_only(production, reader):
    page = open_chronicle(reader(), production)
    for _ in range(200):
        if page.evaluate("document.activeElement.id") == "discussion-text":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("Tab never reached the form")
    page.keyboard.type("Au clavier seulement.")
    for value in ("Camille Clavier", "clavier@example.org", ""):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == comment_form.SUBMIT
    with page.expect_response(lambda r: r.url.endswith("/isso" + comment_form.POST_PATH)) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 202
    expect(page.locator("#" + comment_form.PENDING)).to_be_focused()
    assert production.comments()[-1][3:] == ("Camille Clavier", "Au clavier seulement.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_any_state_of_the_form(production, reader, scheme):
    """Empty, refused, pending, reply: axe-core on the discussion each time (CSP bypassed for axe's inline script)."""
    page = open_chronicle(reader(color_scheme=scheme, bypass_csp=True), production)

    def violations():
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("() => axe.run('#discussion')")
        return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]

    assert violations() == []  # empty
    fill(page, "Un texte gardé.", email="camille@exemple")
    send(page)
    expect(page.locator("#discussion-email-erreur")).not_to_be_empty()
    assert violations() == []  # refused
    page.get_by_label("E-mail").fill("camille@exemple.fr")
    send(page)
    expect(page.locator("#" + comment_form.PENDING)).to_be_visible()
    assert violations() == []  # pending, the comment in the thread with its buttons
    page.locator(".discussion__reply").first.click()
    expect(page.locator(f".isso-comment #{comment_form.FORM_ID}")).to_be_visible()
    assert violations() == []  # reply
