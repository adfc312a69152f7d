"""The discussion script in Chromium as readers get it: a chronicle served by nginx under the shipped Content-Security-Policy, the real comment server behind /isso/."""

import re

import pytest
from playwright.sync_api import expect

CHRONICLE = "/chroniques/la-juste-mesure/"
# Recorded from the first script of the page on: every violation of the page's policy.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH_CSP)
    yield context.new_page()
    context.close()


def test_the_discussion_script_runs_under_the_content_security_policy(nginx, page):
    problems, requests, answers = [], [], {}
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: answers.setdefault(response.url.split("?")[0], response.status))

    with page.expect_response(lambda r: r.url.startswith(nginx + "/isso/?uri=")):
        response = page.goto(nginx + CHRONICLE)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Our script ran: it asked the comment server for the thread, and wrote its count.
    form = page.locator("#discussion-formulaire")
    expect(form).to_be_visible()
    expect(form.get_by_label("Votre réponse")).to_be_editable()
    expect(form.get_by_role("button")).to_have_text("Envoyer")
    expect(page.locator("#discussion-compte")).to_have_text("Aucune réponse pour l’instant")
    assert any(re.search(r"/js/discussion\.[0-9a-f]+\.js$", url) and status == 200 for url, status in answers.items())
    assert answers.get(nginx + "/isso/") in (200, 404), answers  # the thread itself (404: none yet)
    # Isso's embed script is no more asked for.
    assert not any("embed.min.js" in url or "/isso/config" in url for url in requests)

    # Nothing refused by the policy, no error, nothing fetched from anywhere but the site.
    assert page.evaluate("window.__csp") == []
    assert [p for p in problems if "404" not in p] == []
    assert all(url.startswith(nginx + "/") for url in requests), requests
