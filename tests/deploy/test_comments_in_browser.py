"""Isso in Chromium as readers get it: a chronicle served by nginx under the shipped Content-Security-Policy, the real comment server behind /isso/."""

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


def test_isso_renders_its_form_under_the_content_security_policy(nginx, page):
    problems, requests, answers = [], [], {}
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: answers.setdefault(response.url.split("?")[0], response.status))

    response = page.goto(nginx + CHRONICLE)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Isso's script ran: it asked its server for the configuration and the thread, and
    # inserted its form, in our French, with what the server requires marked required.
    form = page.locator("#isso-thread .isso-postbox")
    expect(form).to_be_visible()
    expect(form.locator("textarea")).to_be_editable()
    expect(form.locator("input[type=submit]")).to_have_value("Envoyer")
    expect(form.locator("input[name=email]")).to_have_attribute("placeholder", "camille@exemple.fr")
    assert form.locator("input[name=author]").evaluate("el => el.required")
    expect(page.locator("#isso-thread")).not_to_contain_text(re.compile(r"\[\?"))
    assert answers.get(nginx + "/isso/js/embed.min.js") == 200, answers
    assert answers.get(nginx + "/isso/config") == 200, answers
    assert answers.get(nginx + "/isso/") == 200, answers  # the thread itself

    # Nothing refused by the policy, no error, nothing fetched from anywhere but the site.
    assert page.evaluate("window.__csp") == []
    assert problems == []
    assert all(url.startswith(nginx + "/") for url in requests), requests
