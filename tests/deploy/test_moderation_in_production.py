"""The three ways of moderating, as in production: behind nginx with the shipped configuration, in Chromium, under the comment server's Content-Security-Policy.

The e-mail's links (read from a real SMTP sink), the admin page (its sessions included) and
the command line. Every policy violation of every page Chromium opens is recorded through
a binding, which survives navigations and runs whatever the page's policy allows.
"""

import json
import re
import sqlite3
import time

import pytest
from invoke import Context
from playwright.sync_api import expect

from support import http_request, moderation_links

CHRONICLE = "/chroniques/la-juste-mesure/"
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__zoheCsp(`${location.pathname}: ${event.violatedDirective} ${event.blockedURI} `
                   + `${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def browsing(browser):
    """A French Chromium context whose policy violations and page errors land in ``context.problems``."""
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    context.problems = []
    context.expose_binding("__zoheCsp", lambda source, text: context.problems.append("CSP " + text))
    context.add_init_script(WATCH_CSP)
    context.on("console", lambda m: context.problems.append("console " + m.text) if m.type == "error" else None)
    context.on("weberror", lambda error: context.problems.append(f"page error {error.error}"))
    yield context
    context.close()


def post_comment(nginx, uri, text):
    """A reader's comment, as the embed script sends it from the site: JSON, through nginx, with the site's Origin."""
    payload = {"text": text, "author": "Camille <3", "email": "camille@example.org", "title": "Une chronique"}
    status, _, body = http_request(nginx, "POST", f"/isso/new?uri={uri}", json.dumps(payload).encode(),
                                   {"Content-Type": "application/json", "Origin": nginx})
    assert status == 202, body
    return json.loads(body)["id"]


def published_ids(nginx, uri):
    status, _, body = http_request(nginx, "GET", f"/isso/?uri={uri}")
    return [c["id"] for c in json.loads(body)["replies"]] if status == 200 else []


def mailed_links(sink, nginx, comment_id):
    """{action: URL} of the moderation e-mail about ``comment_id``, found by the links' shape alone (support.moderation_links).

    Its links start with this site's address: the sink is the session's, and another module's
    server (the accessibility sweep's) mails about comments of the same numbers.
    """
    def links(message):
        found = moderation_links(message.get_content())
        ours = found and all(link.startswith(f"{nginx}/isso/id/{comment_id}/") for link in found.values())
        return found if ours else None

    _, message = sink.wait_for(lambda to, msg: links(msg) is not None)
    return links(message)


def unique_uri(name):
    return f"/chroniques/{name}-{time.monotonic_ns()}/"


def test_isso_answers_only_what_readers_and_moderators_need_under_its_own_policy(nginx):
    for path in ("/isso/info", "/isso/info/", "/isso/demo/", "/isso/demo/index.html", "/isso/health"):
        status, headers, body = http_request(nginx, "GET", path)
        assert status == 404 and 'lang="fr"' in body, path
    status, headers, _ = http_request(nginx, "GET", "/isso/config")
    # One policy, the comment server's: nothing for the API, the site's own not added.
    assert status == 200 and headers.get_all("Content-Security-Policy") == [
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"]
    # The admin page's logo is Isso's file, not taken by the site's image rule.
    status, headers, _ = http_request(nginx, "GET", "/isso/img/isso.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg")
    status, headers, _ = http_request(nginx, "GET", CHRONICLE)
    assert status == 200 and "script-src 'self' 'wasm-unsafe-eval'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("action, button, result", [
    ("activate", "Publier", "Le commentaire est publié."),
    ("delete", "Supprimer", "Le commentaire est supprimé."),
])
def test_the_mail_link_shows_the_comment_and_its_button_decides(nginx, comment_server, moderation_mail, browsing,
                                                                 action, button, result):
    uri = unique_uri(f"lien-{action}")
    text = "Merci <b>beaucoup</b> & à bientôt.\n\nDeuxième paragraphe, entier."
    comment_id = post_comment(nginx, uri, text)
    if action == "delete":
        # Not the newest comment when deleted: SQLite gives the newest's number to the next one, and a
        # link to that number signed within the second of the deletion is refused (comments.hardening).
        post_comment(nginx, uri, "Un autre avis, qui reste.")
    link = mailed_links(moderation_mail[1], nginx, comment_id)[action]
    assert link.startswith(nginx + "/isso/id/"), link

    page = browsing.new_page()
    response = page.goto(link)
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(f"{button} ce commentaire\u202f?")
    expect(page.locator("main")).to_contain_text("Camille <3")
    expect(page.locator("main")).to_contain_text(uri)
    # The whole text, as written: markup shown, not run.
    expect(page.locator("blockquote")).to_contain_text("Merci <b>beaucoup</b> & à bientôt.")
    expect(page.locator("blockquote")).to_contain_text("Deuxième paragraphe, entier.")
    assert published_ids(nginx, uri) == []

    page.get_by_role("button", name=button).click()
    expect(page.locator("main")).to_contain_text(result)
    admin_link = page.get_by_role("link", name="Ouvrir la page d’administration")
    expect(admin_link).to_have_attribute("href", "../../../admin/")
    if action == "activate":
        expect(page.get_by_role("link", name="Voir la discussion")).to_have_attribute(
            "href", f"{nginx}{uri}#isso-{comment_id}")
        assert published_ids(nginx, uri) == [comment_id]
    assert browsing.problems == []
    if action == "delete":
        con = sqlite3.connect(comment_server.directory / "comments.db")
        assert con.execute("SELECT COUNT(*) FROM comments WHERE id = ?", (comment_id,)).fetchone() == (0,)
        con.close()
        # Gone: its own link now opens a French page that says so (Chromium logs the 404).
        response = page.goto(link)
        assert response.status == 404
        expect(page.locator("h1")).to_have_text("Commentaire introuvable")
        assert [p for p in browsing.problems if "404" not in p] == []


def admin_session(browsing):
    return next(c for c in browsing.cookies() if c["name"] == "admin-session")


def log_in(page, nginx, password):
    page.goto(nginx + "/isso/admin/")
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("#isso-root")).to_be_attached()


def opens_admin_page(nginx, cookie):
    """Whether the admin page opens with this cookie, replayed by a plain HTTP client."""
    status, _, body = http_request(nginx, "GET", "/isso/admin/", headers={"Cookie": f"admin-session={cookie}"})
    assert status == 200, status
    assert ('id="isso-root"' in body) != ('name="password"' in body), body[:300]
    return 'id="isso-root"' in body


def test_the_admin_page_is_french_validates_deletes_and_its_sessions_end(nginx, comment_server, browsing):
    uri = unique_uri("admin")
    comment_id = post_comment(nginx, uri, "À valider depuis la page d’administration.")
    doomed_id = post_comment(nginx, uri, "À supprimer depuis la page d’administration.")
    password = comment_server.env["ISSO_ADMIN_PASSWORD"]
    page = browsing.new_page()
    log_in(page, nginx, password)
    response = page.reload()
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe" not in policy
    cookie = admin_session(browsing)
    assert (cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == ("/isso/", True, "Strict")

    # French (comments.admin_french): the document, the tabs, the buttons.
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Administration des commentaires — Zôhé")
    expect(page.get_by_role("heading", level=1)).to_have_text("Commentaires de Zôhé")
    expect(page.locator(".mode")).to_contain_text(
        re.compile(r"Publiés \(\d+\)\s+En attente \(\d+\)\s+Supprimés \(\d+\)"))
    expect(page.get_by_label("Grouper par discussion\u00a0:")).not_to_be_checked()
    expect(page.get_by_role("link", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("button", name="Chercher", exact=True)).to_be_visible()
    comment = page.locator(f"#isso-{comment_id}")
    expect(comment).to_contain_text("Discussion\u00a0: Une chronique")
    # (Playwright's text matchers take a no-break space for a space: the DOM says it.)
    assert re.fullmatch(r"le \d{1,2}(er)? \w+ \d{4} à \d{1,2}\u00a0h\u00a0\d\d",
                        comment.locator("time").text_content())
    expect(comment.locator(".note")).to_have_text("En attente")
    for name in ("Modifier", "Supprimer", "Publier"):
        expect(comment.get_by_role("button", name=name)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(
        re.compile(r"\b(Valid|Pending|Staled|Edit|Delete|Validate|Log Out)\b"))

    with page.expect_response(lambda r: f"/id/{comment_id}/activate/" in r.url) as answer:
        comment.get_by_role("button", name="Publier").click()
    assert answer.value.status == 200
    expect(comment).to_be_hidden()
    assert published_ids(nginx, uri) == [comment_id]

    # The page's other buttons run too: Modifier and Annuler, Supprimer, the search help (by keyboard), the grouping.
    doomed = page.locator(f"#isso-{doomed_id}")
    doomed.get_by_role("button", name="Modifier").click()
    expect(doomed.get_by_label("Texte du commentaire")).to_have_value("À supprimer depuis la page d’administration.")
    expect(doomed.get_by_role("button", name="Enregistrer")).to_be_visible()
    doomed.get_by_role("button", name="Annuler").click()
    expect(doomed.locator("textarea")).to_have_count(0)
    with page.expect_response(lambda r: f"/id/{doomed_id}/delete/" in r.url) as answer:
        doomed.get_by_role("button", name="Supprimer").click()
    assert answer.value.status == 200
    expect(doomed).to_be_hidden()
    page.get_by_role("button", name="Aide sur la recherche").press("Enter")
    expect(page.locator(".search-tooltip-text")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator(".search-tooltip-text")).to_contain_text("Donnez l’adresse d’une discussion")
    page.get_by_label("Grouper par discussion\u00a0:").click()
    page.wait_for_url(re.compile(r"order_by=tid"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # Logging out ends the session on the server: the old cookie, replayed, gets the login page.
    assert opens_admin_page(nginx, cookie["value"])
    page.get_by_role("link", name="Se déconnecter").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    assert page.url == nginx + "/isso/admin/"
    assert not opens_admin_page(nginx, cookie["value"])

    # A new admin password ends every session opened with the old one.
    log_in(page, nginx, password)
    cookie = admin_session(browsing)["value"]
    assert opens_admin_page(nginx, cookie)
    comment_server.stop()
    comment_server.env["ISSO_ADMIN_PASSWORD"] = password + "-changed"
    try:
        comment_server.start()
        assert not opens_admin_page(nginx, cookie)
        page.reload()
        expect(page.locator("input[name=password]")).to_be_visible()
        log_in(page, nginx, password + "-changed")
    finally:
        comment_server.stop()
        comment_server.env["ISSO_ADMIN_PASSWORD"] = password
        comment_server.start()
    assert browsing.problems == []


def test_a_comment_approved_on_the_command_line_shows_on_its_chronicle(nginx, comment_server, browsing, monkeypatch,
                                                                       capsys):
    from comments import tasks

    text = f"Approuvé en ligne de commande ({time.monotonic_ns()})."
    comment_id = post_comment(nginx, CHRONICLE, text)
    monkeypatch.setenv("ISSO_SETTINGS", str(comment_server.config))
    tasks.approve(Context(), str(comment_id))
    assert "publié" in capsys.readouterr().out

    page = browsing.new_page()
    page.goto(nginx + CHRONICLE)
    expect(page.locator(f"#isso-{comment_id}")).to_contain_text(text)
    assert browsing.problems == []
