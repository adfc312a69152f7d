"""nginx's own answer when the comment server is down, restarting or too slow: French, for browsers and for the discussion script.

Through the shipped configuration (deploy/nginx/zohe-site.conf, @isso_unavailable_*) in
front of the production build: the comment server is killed with SIGKILL mid-way (master
and workers, as a crash would), or nginx's upstream is a port where nothing listens, or a
socket that accepts and never answers. What the reader sees must be the sentence of
comments/errors.py, UNAVAILABLE, which the configuration holds as written there.
"""

import contextlib
import json
import os
import signal
import socket
import time

import pytest
from playwright.sync_api import expect

import comment_form
from bench.nginx_server import SITE_CONF
from comments import errors
from support import free_port, http_request, moderation_links, post_seed

CHRONICLE = "/chroniques/la-juste-mesure/"
TEXT = "Écrit pendant que le serveur redémarrait : le garder, s’il vous plaît !"
# What Chromium sends when it navigates: the header nginx's map chooses the page by.
NAVIGATION_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class Production:
    def __init__(self, base, server, site, webroot):
        self.base, self.server, self.site, self.webroot = base, server, site, webroot


@pytest.fixture(scope="module")
def production(tmp_path_factory, start_production, moderation_mail):
    """The production build behind nginx, the comment server up (each test that kills it starts it again)."""
    directory = tmp_path_factory.mktemp("server-down")
    isso = {"general": {"notify": "smtp"},
            "smtp": {"host": "127.0.0.1", "port": moderation_mail[0], "security": "none", "to": "moderation@zohe.test"}}
    env = {"ISSO_ADMIN_PASSWORD": "server-down-test-password"}
    with start_production(directory, isso, env) as (base, _, server, site):
        yield Production(base, server, site, directory / "www")


@pytest.fixture(scope="module")
def down(tmp_path_factory, start_nginx, production):
    """The same release behind nginx whose comment server is a loopback port where nothing listens: its base URL."""
    with start_nginx(tmp_path_factory.mktemp("nginx-down"), free_port(), production.webroot, free_port()) as base:
        yield base


@contextlib.contextmanager
def killed(server):
    """The comment server killed with SIGKILL, master and workers, until the block ends; then started again."""
    master = server.process.pid
    with open(f"/proc/{master}/task/{master}/children") as children:
        pids = [master] + [int(pid) for pid in children.read().split()]
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    server.process.wait(10)
    server.stop()
    deadline = time.monotonic() + 10
    for _ in range(200):  # the workers' deaths close the listening socket
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()
        except ConnectionRefusedError:
            break
        assert time.monotonic() < deadline, "the comment server still answers after SIGKILL"
        time.sleep(0.05)
    try:
        yield
    finally:
        server.start()


def assert_french_page(status, headers, body):
    headers = {name.lower(): value for name, value in headers.items()}
    assert status == 503, body
    assert headers["retry-after"].isdigit()
    assert headers["cache-control"] == "no-store"
    assert headers["content-language"] == "fr"
    assert headers["content-security-policy"] == STRICT_CSP
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body.startswith('<!DOCTYPE html><html lang="fr">')
    assert f"<p>{errors.UNAVAILABLE}</p>" in body
    assert "Revenez à la page précédente pour retrouver votre texte." in body
    assert "Bad Gateway" not in body and "nginx" not in body


def assert_french_json(status, headers, body):
    assert status == 503, body
    assert headers["Retry-After"].isdigit()
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body) == {"message": errors.UNAVAILABLE}


def test_the_sentence_is_french_with_its_typography():
    assert "indisponible\u00a0: rien de ce que vous venez d’envoyer n’a été enregistré." in errors.UNAVAILABLE
    assert errors.UNAVAILABLE in SITE_CONF.read_text(encoding="utf-8")


def test_a_form_posted_without_javascript_gets_a_french_page_and_the_text_is_found_again(production, browser):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(production.base + CHRONICLE)
        page.get_by_label("Votre réponse").fill(TEXT)
        page.get_by_label("Nom").fill("Camille Martin")
        page.get_by_label("E-mail").fill("camille@example.org")
        with killed(production.server):
            with page.expect_navigation() as navigation:
                page.get_by_role("button", name=comment_form.SUBMIT).click()
            answer = navigation.value
            assert_french_page(answer.status, answer.all_headers(), answer.text())
            expect(page.get_by_role("heading", level=1)).to_have_text("Serveur de commentaires indisponible")
            assert page.locator("html").get_attribute("lang") == "fr"
            page.go_back()
            expect(page.get_by_label("Votre réponse")).to_have_value(TEXT)
    finally:
        context.close()


@pytest.mark.parametrize("method, path, body, headers", [
    pytest.param("POST", "/isso" + comment_form.POST_PATH, f"uri={CHRONICLE}&text=Un+avis".encode(),
                 {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                 id="the discussion script's post"),
    pytest.param("POST", f"/isso/new?uri={CHRONICLE}", json.dumps({"text": "Un avis"}).encode(),
                 {"Content-Type": "application/json"}, id="Isso's API, as its embed posts"),
    pytest.param("GET", f"/isso/?uri={CHRONICLE}", None, {"Accept": "*/*"}, id="the thread, as fetch() asks"),
])
def test_the_api_gets_the_french_message_as_json(down, method, path, body, headers):
    assert_french_json(*http_request(down, method, path, body, headers))


@pytest.mark.parametrize("path", ["/isso/admin/", "/isso" + comment_form.POST_PATH])
def test_a_browser_gets_the_french_page(down, path):
    assert_french_page(*http_request(down, "GET", path, headers={"Accept": NAVIGATION_ACCEPT}))


def test_the_chronicle_is_served_whole_its_form_without_a_token(down):
    """nginx itself reads the form's token from the comment server (ssi): the message must not land in the form."""
    status, headers, body = http_request(down, "GET", CHRONICLE, headers={"Accept": NAVIGATION_ACCEPT})
    assert status == 200
    assert headers["Cache-Control"] == "private, no-cache" and "Retry-After" not in headers
    assert 'name="title" value="La juste mesure"><input type="hidden" name="altcha"' in body
    assert errors.UNAVAILABLE not in body and "Bad Gateway" not in body


def test_a_moderation_link_while_the_comment_server_is_down_gets_the_french_page(production, moderation_mail, browser):
    comment = post_seed(production.server, production.site, CHRONICLE, {
        "text": "Un avis à modérer pendant la panne.", "author": "Lou", "title": "La juste mesure"})
    _, message = moderation_mail[1].wait_for(lambda to, msg: f"/isso/id/{comment}/activate/" in msg.get_content()
                                             and production.site in msg.get_content())
    link = moderation_links(message.get_content())["activate"]
    assert link.startswith(production.base + "/isso/")
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        with killed(production.server):
            answer = page.goto(link)
            assert answer.status == 503
            assert answer.headers["cache-control"] == "no-store" and answer.headers["retry-after"].isdigit()
            assert page.locator("html").get_attribute("lang") == "fr"
            expect(page.locator("main p").first).to_have_text(errors.UNAVAILABLE)
    finally:
        context.close()


def test_the_discussion_script_shows_the_french_sentence_and_keeps_the_text(production, browser):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        with page.expect_response(lambda r: "/isso/?uri=" in r.url):
            page.goto(production.base + CHRONICLE)
        page.get_by_label("Votre réponse").fill(TEXT)
        page.get_by_label("Nom").fill("Camille Martin")
        page.get_by_label("E-mail").fill("camille@example.org")
        with killed(production.server):
            with page.expect_response(lambda r: r.url.endswith("/isso" + comment_form.POST_PATH)) as answer:
                page.get_by_role("button", name=comment_form.SUBMIT).click()
            assert answer.value.status == 503
            expect(page.locator("#discussion-erreurs")).to_have_text(errors.UNAVAILABLE)
            expect(page.get_by_label("Votre réponse")).to_have_value(TEXT)
    finally:
        context.close()


def test_a_comment_server_too_slow_gets_the_french_answer(tmp_path, start_nginx, production):
    """A socket that never answers, behind the shipped server block with one change: proxy_read_timeout 1 s, not 30 s."""
    shipped = SITE_CONF.read_text(encoding="utf-8")
    assert shipped.count("proxy_read_timeout 30s;") == 1
    quick = tmp_path / "zohe-site-quick.conf"
    quick.write_text(shipped.replace("proxy_read_timeout 30s;", "proxy_read_timeout 1s;"), encoding="utf-8")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts the connections; nobody reads them
        with start_nginx(tmp_path / "nginx", free_port(), production.webroot, silent.getsockname()[1],
                         site_conf=quick) as base:
            assert_french_json(*http_request(base, "POST", "/isso" + comment_form.POST_PATH, b"text=Un+avis", {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}))
            assert_french_page(*http_request(base, "POST", "/isso" + comment_form.POST_PATH, b"text=Un+avis", {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": NAVIGATION_ACCEPT}))
