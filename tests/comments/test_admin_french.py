"""The logged-in admin page, rendered by the real server, is French: no word of Isso's template stays visible, each French text is there.

The English words are read from the installed Isso's own template, so an upgrade that
rewords or adds a string fails here instead of leaving English on the moderators' page.
A server of this module's own holds exactly the comments it seeds, in every mode: the
lists show nothing but them.
"""

from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
import re
import sqlite3

import isso
import pytest

import french_words
from comments import admin_french, moderation
from isso_support import ADMIN_PASSWORD, Server, cookie_pair, login, visitor

pytestmark = pytest.mark.timeout(120)

TEMPLATE = Path(isso.__file__).resolve().parent / "templates" / "admin.html"
# Words of Isso's template that French writes alike, or that the French examples of the
# search help keep (https://exemple.fr/…#isso-1).
SHARED_WITH_FRENCH = {"administration", "pages", "https", "isso"}
# Elements holding a commenter's own words (comments.admin_french.COMMENTER_FIELD).
COMMENTER_FIELD = re.compile(r"isso-(author|email|website|text)-\d+")
WORDED_ATTRIBUTES = ("alt", "placeholder", "title", "aria-label")
# HTML's spaces, not the no-break ones French typography puts.
SPACES = re.compile(r"[ \t\r\n]+")


class Visible(HTMLParser):
    """A page's words a moderator reads or hears: its text (hidden parts included) and its worded attributes.

    The commenters' own fields are left out (``commenter``): they are not Isso's words.
    """

    VOID = {"br", "img", "input", "link", "meta", "hr"}

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.words, self.commenter, self.stack = [], [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.words += [attrs[name] for name in WORDED_ATTRIBUTES if attrs.get(name)]
        if tag not in self.VOID:
            self.stack.append(bool(COMMENTER_FIELD.fullmatch(attrs.get("id") or "")))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            (self.commenter if any(self.stack) else self.words).append(SPACES.sub(" ", data.strip(" \t\r\n")))

    @property
    def text(self):
        return "\n".join(self.words)


def template_words():
    """Every word Isso's admin template shows: its text, its worded attributes, the sort keys it lists."""
    source = TEMPLATE.read_text(encoding="utf-8")
    listed = " ".join(re.findall(r"\{%\s*for \w+ in \[([^\]]*)\]\s*%\}", source))
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)
    visible = Visible(source)
    words = set(re.findall(r"[A-Za-z]{2,}", visible.text + " " + " ".join(visible.commenter) + " " + listed))
    return {word for word in words if word.lower() not in SHARED_WITH_FRENCH}


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    """{name: the admin page's HTML} for each list and view, and the seeded comments' numbers."""
    server = Server(tmp_path_factory.mktemp("admin-french")).start()
    try:
        client = server.client()
        thread = "/chroniques/la-juste-mesure/"

        def new(text, **fields):
            return client.new(thread, text, title="La juste mesure", email="camille@exemple.fr", **fields).json()["id"]

        conf = server.conf()
        published = new("Un avis publié.", website="https://exemple.fr/camille")
        reply = new("Une réponse publiée.", parent=published)
        deleted = new("Un avis supprimé, qui garde sa réponse.")
        kept = new("La réponse qui le garde.", parent=deleted)
        for number in (published, reply, deleted, kept):
            moderation.approve(conf, number)
        moderation.delete(conf, deleted)
        pending = new("Un avis en attente.")
        # Isso's own words, written by a commenter: theirs, not to be translated.
        commenter = new("Delete", author="Edit")
        cookie = cookie_pair(login(server.client(origin=server.base), ADMIN_PASSWORD, visitor()), "admin-session")
        views = {
            "en attente": "", "publiés": "?mode=1", "supprimés": "?mode=4", "par discussion": "?mode=1&order_by=tid",
            "croissant": "?mode=1&order_by=created&asc=1",
            "recherche vide": "?mode=0&comment_search_url=https://exemple.fr/chroniques/rien/",
        }
        pages = {}
        for name, query in views.items():
            r = server.client().get("/admin/" + query, headers={"Cookie": cookie})
            assert r.status == 200 and 'id="isso-root"' in r.text, (name, r.status)
            pages[name] = r.text
        yield pages, {"published": published, "pending": pending, "deleted": deleted, "commenter": commenter,
                      "database": server.dbpath}
    finally:
        server.stop()


def test_no_word_of_isso_s_template_stays_visible(admin):
    pages, _ = admin
    english = template_words()
    assert {"Valid", "Pending", "Staled", "Delete", "Validate", "Edit", "Cancel", "Send", "created"} <= english
    for name, page in pages.items():
        text = Visible(page).text
        left = sorted(word for word in english if re.search(rf"\b{word}\b", text, re.IGNORECASE))
        assert left == [], f"{name}: {left}"


def test_every_french_text_is_shown(admin):
    pages, numbers = admin
    server_db = numbers["database"]
    text = "\n".join(Visible(page).text for page in pages.values())
    for english, french in admin_french.TEXTS.items():
        pattern = re.escape(french)
        for name, matches in admin_french.PLACEHOLDERS.items():
            pattern = pattern.replace(re.escape("{" + name + "}"), matches)
        assert re.search(pattern, text), (english, french)
    for page in pages.values():
        assert '<html lang="fr">' in page
        assert "<title>Administration des commentaires — Zôhé</title>" in page
    # Each comment's date, the French way, in the site's time zone; the deleted one's author, which Isso blanks.
    created = sqlite3.connect(server_db).execute("SELECT created FROM comments WHERE id = ?",
                                                 (numbers["published"],)).fetchone()[0]
    moment = french_words.moment(datetime.fromtimestamp(int(created), french_words.PARIS))
    assert re.search(rf"<time>{moment}</time>", pages["publiés"]), moment
    assert f'id="isso-author-{numbers["deleted"]}">Anonyme</span>' in pages["supprimés"]
    assert 'Publiés (3)' in pages["publiés"] and "En attente (2)" in pages["publiés"]
    assert "Supprimés (1)" in pages["publiés"]
    assert admin_french.NONE in pages["recherche vide"] and admin_french.NONE not in pages["publiés"]
    assert "↑" in pages["croissant"]


def test_a_commenter_s_words_stay_as_written_even_when_they_are_isso_s(admin):
    pages, numbers = admin
    number = numbers["commenter"]
    assert f'id="isso-author-{number}">Edit</span>' in pages["en attente"]
    assert f'<pre id="isso-text-{number}">Delete</pre>' in pages["en attente"]
