"""The discussion under a chronicle, with and without JavaScript: the form in our French, the thread our script writes from the comment server's answer."""

from datetime import datetime
import json
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
import pytest

from french_words import date, moment

from .conftest import ROOT

NNBSP = "\u202f"
CHRONICLE = "/chroniques/la-juste-mesure/"


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
    """discussion.js counts with french_words' words (data-mots): its rule must agree with the build's."""
    from french_words import NO_REPLIES, SCRIPT_WORDS, replies

    script = (ROOT / "theme" / "static" / "js" / "discussion.js").read_text(encoding="utf-8")
    (function,) = re.findall(r"^  function replies\(n\) \{\n.*?^  \}$", script, re.M | re.S)
    counts = [1, 2, 3, 21]
    said = open_page().page.evaluate(
        f"(() => {{ const words = {json.dumps(SCRIPT_WORDS)}; {function}; return {counts}.map(replies); }})()")
    assert said == [replies(n) for n in counts]
    # The heading (partials/comments.html) says it in words rather than "0 réponse"; so does the script.
    assert SCRIPT_WORDS["none"] == NO_REPLIES and "count ? replies(count) : words.none" in script
    heading = (ROOT / "theme" / "templates" / "partials" / "comments.html").read_text(encoding="utf-8")
    assert "article.comment_count|default(0)|discussion_count" in heading


def test_the_scripts_dates_say_what_the_build_says(open_page):
    """discussion.js writes a comment's date, tooltip and datetime as french_words and the template do, in Paris time."""
    script = (ROOT / "theme" / "static" / "js" / "discussion.js").read_text(encoding="utf-8")
    functions = re.findall(r"^  function (?:parts|when)\(.*?^  \}$", script, re.M | re.S)
    assert len(functions) == 2
    paris = ZoneInfo("Europe/Paris")
    cases = [
        datetime(2026, 12, 3, 18, 47, tzinfo=paris),
        datetime(2026, 12, 1, 9, 5, tzinfo=paris),  # "1er", "9 h 05"
        datetime(2026, 8, 1, 0, 0, 7, tzinfo=paris),  # summer time, midnight
        datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")).astimezone(paris),  # another year in Paris
    ]
    said = open_page().page.evaluate(
        f"(() => {{ const zone = 'Europe/Paris'; {''.join(functions)}; "
        f"return {[c.timestamp() for c in cases]}.map(when); }})()")
    assert said == [{"iso": c.isoformat(timespec="seconds"), "date": date(c), "moment": moment(c)} for c in cases]


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
    assert form.locator("input[name=uri]").get_attribute("value") == CHRONICLE == urlsplit(page.url).path
    watched.screenshot("discussion-no-javascript")
    assert watched.foreign_requests() == []


def test_pages_have_no_discussion(open_page, site):
    watched = open_page()
    watched.page.goto(site + "/notre-promesse/")
    assert watched.page.locator("#discussion, #isso-thread").count() == 0
    assert not any("embed.min.js" in url or "/js/discussion" in url for url in watched.requests)


def _comment(id_, author, text, parent=None):
    return {
        "id": id_, "parent": parent, "text": text, "author": author, "website": None,
        "mode": 1, "created": 1700000000.0 + id_, "modified": None, "likes": 0, "dislikes": 0,
        "hash": "4505c1eeda98", "replies": [], "total_replies": 0, "hidden_replies": 0,
    }


class FakeIsso:
    """Answers for the comment server's thread (``GET /?uri=``), as Isso's API gives it."""

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
        cors = {"Access-Control-Allow-Origin": self.origin, "Access-Control-Allow-Credentials": "true"}
        if url.path == "/":
            return route.fulfill(status=200, headers=cors, content_type="application/json", body=json.dumps(self.thread))
        return route.fulfill(status=404, headers=cors, body="")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_and_the_scripts_thread_speak_our_french(open_page, site, comments_url, axe_script, scheme):
    watched = open_page(scheme=scheme)
    page = watched.page
    fake = FakeIsso(comments_url, site)
    page.unroute(comments_url + "/**")
    page.route(comments_url + "/**", fake)
    page.goto(site + CHRONICLE)
    page.locator("#isso-1 > .isso-follow-up > #isso-2").wait_for()

    # The thread asked for is exactly the page's own path, once; nothing else of the server.
    assert [(method, path, query["uri"]) for method, path, query in fake.asked] == [("GET", "/", [CHRONICLE])]
    assert page.locator("#discussion-compte").text_content() == "2 réponses"
    assert page.locator("#isso-1 .isso-author").first.inner_text() == "Camille"
    # Dates and tooltips in french_words' words, in the site's time zone.
    created = datetime.fromtimestamp(1700000001, ZoneInfo("Europe/Paris"))
    time = page.locator("#isso-1 time").first
    assert time.text_content() == date(created) == "14 novembre 2023"
    assert time.get_attribute("title") == moment(created) == "le 14 novembre 2023 à 23\u00a0h\u00a013"
    assert time.get_attribute("datetime") == created.isoformat(timespec="seconds")
    form = page.locator("#discussion-formulaire")
    assert form.is_visible()
    assert page.locator("label[for='discussion-author']").inner_text() == "Nom *"
    assert page.locator("label[for='discussion-email']").inner_text() == "E-mail *"
    assert page.locator("label[for='discussion-website']").inner_text() == "Site web (facultatif)"
    author = page.get_by_label("Nom")
    email = page.get_by_label("E-mail")
    assert author.get_attribute("placeholder") == "Camille Martin"
    assert email.get_attribute("placeholder") == "camille@exemple.fr"
    assert author.evaluate("el => el.required") and email.evaluate("el => el.required")
    assert form.get_by_role("button").inner_text() == "Envoyer"
    # Our stylesheet alone; no avatar.
    assert not any(path.endswith(".css") for _, path, _ in fake.asked)
    assert page.locator("#isso-thread img, .isso-avatar").count() == 0
    assert page.evaluate("getComputedStyle(document.querySelector('#discussion-formulaire .button')).borderRadius") != "0px"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.add_script_tag(path=axe_script)
    results = page.evaluate("() => axe.run('#discussion')")
    grave = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert grave == []
    watched.screenshot(f"discussion-script-{scheme}", page.locator("#discussion"))
    assert watched.errors == []
    assert watched.foreign_requests() == []
