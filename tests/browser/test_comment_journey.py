"""The whole discussion in real Chromium: a reader comments, the moderator approves from the e-mail, the comment shows.

Everything is real and on loopback: the production build of the site served
as nginx would, the comment server (comments.wsgi under gunicorn) with its
own database, and an SMTP sink receiving the moderation e-mail.
"""

import re

from aiosmtpd.controller import Controller
from playwright.sync_api import expect
import pytest

from french_words import SCRIPT_WORDS

from bench import gunicorn_server
from support import Sink, build, environment, free_port, moderation_links, serve_directory

CHRONICLE = "chroniques/la-juste-mesure/"
TEXT = "Merci pour « La juste mesure » : la confiance avant le marketing."


@pytest.fixture(scope="module")
def discussion(tmp_path_factory):
    """(site URL, mailbox): the site and the comment server it talks to, both on loopback."""
    base = tmp_path_factory.mktemp("journey")
    site_port, comments_port = free_port(), free_port()
    site_url = f"http://127.0.0.1:{site_port}"
    mailbox = Sink()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    config = gunicorn_server.write_config(
        base,
        comments_port,
        general={"host": site_url, "notify": "smtp"},
        moderation={"enabled": "true"},
        smtp={"host": "127.0.0.1", "port": smtp.port, "security": "none", "to": "moderation@zohe.test"},
    )
    server = gunicorn_server.Gunicorn(
        base, comments_port, config, env={"ISSO_ADMIN_PASSWORD": "journey-admin-password"}
    ).start()
    try:
        with environment(ZOHE_SITEURL=site_url, ZOHE_COMMENTS_URL=server.base):
            output = build(
                prod=True, output=base / "output",
                overrides={"BAKED_COMMENTS": {"database": base / "comments.db"}},
            )
        with serve_directory(output, port=site_port):
            yield site_url, mailbox
    finally:
        server.stop()
        smtp.stop()


def test_reader_comments_moderator_approves_from_the_email(discussion, open_page):
    site_url, mailbox = discussion
    watched = open_page(width=1280)
    page = watched.page

    page.goto(f"{site_url}/{CHRONICLE}")
    page.get_by_label("Votre réponse").fill(TEXT)
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail").fill("camille@exemple.fr")
    page.get_by_role("button", name="Envoyer").click()

    # Posted by our script, without leaving the page: the notice, and the comment shown to its author.
    expect(page.locator("#reponse-en-attente")).to_be_visible()
    pending = page.locator("#isso-root .isso-comment")
    expect(pending.locator(".isso-note")).to_have_text(SCRIPT_WORDS["pending"])
    watched.screenshot("journey-pending")

    recipients, message = mailbox.wait_for(lambda to, message: True)
    assert recipients == ["moderation@zohe.test"]
    body = message.get_content()
    assert "Camille" in body and "La juste mesure" in body
    activate = moderation_links(body)["activate"]

    # Before approval, another reader sees nothing.
    fresh = open_page(width=1280).page
    with fresh.expect_response(lambda r: "/?uri=" in r.url):
        fresh.goto(f"{site_url}/{CHRONICLE}")
    expect(fresh.locator("#isso-root .isso-comment")).to_have_count(0)

    # The link shows the comment and asks for confirmation, publishes, then leads to its chronicle.
    moderator = open_page(width=1280).page
    moderator.goto(activate)
    assert moderator.locator("h1").inner_text() == "Publier ce commentaire\u202f?"
    assert "la confiance avant le marketing" in moderator.locator("blockquote").inner_text()
    moderator.get_by_role("button", name="Publier").click()
    moderator.get_by_text("Le commentaire est publié.").wait_for()
    moderator.get_by_role("link", name="Voir la discussion").click()
    moderator.wait_for_url(re.compile(re.escape(f"{site_url}/{CHRONICLE}") + r"#isso-\d+$"))

    # Published: the author's page shows it from the comment server, without the pending mark.
    page.reload()
    shown = page.locator("#isso-root .isso-comment")
    expect(shown.locator(".isso-note")).to_have_text("")
    assert shown.count() == 1
    assert shown.locator(".isso-author").inner_text() == "Camille"
    assert "la confiance avant le marketing" in shown.locator(".isso-text").inner_text()
    watched.screenshot("journey-approved")
    assert watched.errors == []
    assert watched.foreign_requests() == []
