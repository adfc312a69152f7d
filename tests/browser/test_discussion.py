"""The discussion under a chronicle, with and without JavaScript, and Isso's form in our French."""

import json
from pathlib import Path
import re
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader
import pytest

import isso

from .conftest import ROOT

NNBSP = "\u202f"
CHRONICLE = "/chroniques/la-juste-mesure/"
EMBED = Path(isso.__file__).parent / "js" / "embed.min.js"


@pytest.mark.parametrize(
    "count, text", [(0, "0 réponse"), (1, "1 réponse"), (2, "2 réponses"), (3, "3 réponses"), (None, "0 réponse")]
)
def test_the_replies_filter_speaks_french_plurals(count, text):
    """The theme's `replies` filter is french_words' one definition, the feeds' too."""
    from french_words import FILTERS, replies

    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"))
    env.filters.update(FILTERS)
    template = env.from_string("{{ n|replies }}")
    assert template.render(n=count) == text == replies(count)
    # An article no plugin counted has no comment_count at all.
    assert template.render() == "0 réponse"


def test_the_scripts_count_says_what_the_build_says(open_page):
    """discussion.js keeps a copy of the count's words for the browser: it must agree with the build's."""
    from french_words import discussion_count

    script = (ROOT / "theme" / "static" / "js" / "discussion.js").read_text(encoding="utf-8")
    (function,) = re.findall(r"^  function replies\(n\) \{\n.*?^  \}$", script, re.M | re.S)
    counts = [0, 1, 2, 3, 21]
    said = open_page().page.evaluate(f"(() => {{ {function}; return {counts}.map(replies); }})()")
    # The heading (partials/comments.html) says it in words rather than "0 réponse".
    assert said == [discussion_count(n) for n in counts]
    heading = (ROOT / "theme" / "templates" / "partials" / "comments.html").read_text(encoding="utf-8")
    assert "article.comment_count|default(0)|discussion_count" in heading


@pytest.mark.parametrize(
    "path", ["/", "/categories/les-chroniques-de-zohe/", "/mots-cles/marketing/", "/auteurs/jean-nathalie/", "/archives/"]
)
def test_listings_show_reply_counts(open_page, site, path):
    watched = open_page()
    watched.page.goto(site + path)
    counts = watched.page.locator("a[href$='#discussion']")
    assert counts.count() >= 1
    for text in counts.all_inner_texts():
        assert text.split("\n")[0].strip() in ("0 réponse", "1 réponse") or text.split()[1] == "réponses"
    # Each count leads to the discussion of its chronicle.
    counts.first.click()
    assert watched.page.locator("#discussion").is_visible()
    assert watched.errors == []


def test_discussion_without_javascript(open_page, site):
    watched = open_page(java_script_enabled=False)
    page = watched.page
    page.goto(site + CHRONICLE)
    section = page.locator("section#discussion")
    assert section.locator("h2").inner_text() == f"Rejoindre la discussion{NNBSP}?"
    assert f"N’hésitez pas à contribuer{NNBSP}!" in section.inner_text()
    assert (
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *"
        in section.inner_text()
    )
    # The form that works without script, its labels tied to their fields; the notices wait for their fragment.
    form = section.locator("form#discussion-formulaire")
    assert form.is_visible()
    for label in ("Votre réponse", "Nom", "E-mail", "Site web (facultatif)"):
        assert form.get_by_label(label).is_visible()
    assert not page.locator("#reponse-en-attente").is_visible()
    thread = page.locator("#isso-thread")
    assert thread.get_attribute("data-isso-id") == CHRONICLE == urlsplit(page.url).path
    watched.screenshot("discussion-no-javascript")
    assert watched.foreign_requests() == []


def test_pages_have_no_discussion(open_page, site):
    watched = open_page()
    watched.page.goto(site + "/notre-promesse/")
    assert watched.page.locator("#discussion, #isso-thread").count() == 0
    assert not any("embed.min.js" in url for url in watched.requests)


def _comment(id_, author, text, parent=None):
    return {
        "id": id_, "parent": parent, "text": text, "author": author, "website": None,
        "mode": 1, "created": 1700000000.0 + id_, "modified": None, "likes": 0, "dislikes": 0,
        "hash": "4505c1eeda98", "replies": [], "total_replies": 0, "hidden_replies": 0,
    }


class FakeIsso:
    """Answers for the comment server: Isso's real client script, a config and one thread."""

    def __init__(self, comments_url, site):
        self.comments_url = comments_url
        self.origin = site
        self.asked = []
        reply = _comment(2, "Nathalie", "<p>Merci, la discussion est ouverte.</p>", parent=1)
        first = _comment(1, "Camille", "<p>La juste mesure, c’est aussi savoir dire non.</p>")
        first.update(replies=[reply], total_replies=1)
        self.thread = {"id": 1, "total_replies": 1, "hidden_replies": 0, "replies": [first]}

    def __call__(self, route):
        request = route.request
        url = urlsplit(request.url)
        self.asked.append((request.method, url.path, parse_qs(url.query)))
        cors = {
            "Access-Control-Allow-Origin": self.origin,
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
        }
        if request.method == "OPTIONS":
            return route.fulfill(status=204, headers=cors)
        if url.path == "/js/embed.min.js":
            return route.fulfill(path=str(EMBED), content_type="text/javascript")
        if url.path == "/config":
            body = {"config": {
                "reply-to-self": False, "require-email": True, "require-author": True,
                "reply-notifications": False, "gravatar": False, "avatar": False, "feed": False,
            }}
        elif url.path == "/":
            body = self.thread
        else:
            return route.fulfill(status=404, headers=cors, body="")
        return route.fulfill(status=200, headers=cors, content_type="application/json", body=json.dumps(body))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_isso_form_speaks_our_french(open_page, site, comments_url, axe_script, scheme):
    watched = open_page(scheme=scheme)
    page = watched.page
    fake = FakeIsso(comments_url, site)
    page.unroute(comments_url + "/**")
    page.route(comments_url + "/**", fake)
    page.goto(site + CHRONICLE)
    form = page.locator(".isso-postbox").first
    form.wait_for()
    page.locator("#isso-root .isso-comment").first.wait_for()

    # The thread asked for is exactly the page's own path.
    fetches = [query for method, path, query in fake.asked if method == "GET" and path == "/"]
    assert fetches and fetches[0]["uri"] == [CHRONICLE]
    assert page.locator("h4.isso-thread-heading").text_content() == "1 réponse"
    assert page.locator("label[for='isso-postbox-author']").first.inner_text() == "Nom *"
    assert page.locator("label[for='isso-postbox-email']").first.inner_text() == "E-mail *"
    assert page.locator("label[for='isso-postbox-website']").first.inner_text() == "Site web (facultatif)"
    author = page.locator("input[name=author]").first
    email = page.locator("input[name=email]").first
    assert author.get_attribute("placeholder") == "Camille Martin"
    assert email.get_attribute("placeholder") == "camille@exemple.fr"
    # Our script marks what the server requires as required.
    assert author.evaluate("el => el.required") and email.evaluate("el => el.required")
    assert page.locator("input[type=submit]").first.get_attribute("value") == "Envoyer"
    assert "[?" not in page.locator("#isso-thread").inner_text(), "a string Isso could not translate"
    # Our stylesheet styles Isso; Isso's own CSS and avatars are never fetched.
    assert not any(path.endswith(".css") for _, path, _ in fake.asked)
    assert page.locator("#isso-thread img, .isso-avatar").count() == 0
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.isso-post-action input[type=submit]')).borderRadius"
    ) != "0px"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.add_script_tag(path=axe_script)
    results = page.evaluate("() => axe.run('#discussion')")
    grave = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert grave == []
    watched.screenshot(f"discussion-isso-{scheme}", page.locator("#discussion"))
    assert watched.errors == []
    assert watched.foreign_requests() == []
