"""Approved comments, and only those, are baked into the built chronicle, its listings and its structured data."""

from datetime import datetime
import json
import re
import time
from xml.etree import ElementTree

from bs4 import BeautifulSoup
import pytest

from bench.weight import CRITICAL_BUDGET, TOTAL_BUDGET, page_weight
import french_words
from support import APPROVED_AUTHORS, ATOM, PROD_SITEURL, URI, baked_page, baked_site, baked_thread, build_prod, make_isso_database  # noqa: F401,E501  (baked_site: fixture `site`)


# The page itself: what a reader sees without JavaScript.

APPROVED_TEXTS = ["Un premier avis.", "Une réponse à Pauline.", "Réponse au message supprimé."]
NEVER_SHOWN = ["En attente de modération", "Ce message sera supprimé", "Attente", "Supprime"]
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FRENCH_DATE = re.compile(rf"^\d{{1,2}}(er)? ({MONTHS}) \d{{4}}$")
# The time's tooltip: "le 3 décembre 2026 à 18 h 47", no-break spaces around "h".
FRENCH_MOMENT = re.compile(rf"^le \d{{1,2}}(er)? ({MONTHS}) \d{{4}} à \d{{1,2}}\u00a0h\u00a0\d{{2}}$")


def _tree(element):
    """[(id, [replies...]), ...] of the comments directly under `element`."""
    return [
        (comment["id"], _tree(comment.select_one(":scope > .isso-follow-up")))
        for comment in element.select(":scope > .isso-comment")
    ]


def test_the_page_shows_exactly_the_approved_comments_in_thread_order(site):
    thread = baked_thread(site)
    # Replies nested under their parent, oldest first; the deleted comment that has an
    # approved reply stays as an empty stub holding it, exactly as Isso's script shows it.
    assert _tree(thread.select_one("#isso-root")) == [
        ("isso-1", [("isso-2", [])]),
        ("isso-4", [("isso-5", [])]),
        ("isso-6", []),
    ]
    authors = [a.get_text() for a in thread.select(".isso-author")]
    assert authors == ["Pauline", "Jean", "Anonyme", "Orphelin", '<b onmouseover="alert(1)">Hacker</b>']
    text = thread.get_text()
    for approved in APPROVED_TEXTS:
        assert text.count(approved) == 1, approved
    for hidden in NEVER_SHOWN:
        assert hidden not in text, hidden
    stub = thread.select_one("#isso-4")
    assert stub.select_one(".isso-note").get_text() == "Réponse supprimée."
    assert stub.select_one(":scope > .isso-text-wrapper > .isso-text").get_text() == "\u00a0"
    assert thread.select_one(".discussion__count").get_text() == "4 réponses"
    # Isso's embed is gone: no form of its, no data-isso-* left for it.
    assert thread.select(".isso-postbox") == [] and "data-isso" not in str(thread.parent)


def test_replies_isso_never_shows_are_not_baked(tmp_path):
    """Replies to pending, purged or nested comments: the page holds exactly the tree Isso's API returns."""
    import urllib.request

    from bench.gunicorn_server import Gunicorn, free_port, write_config

    port = free_port()
    config = write_config(tmp_path, port)
    db = make_isso_database(tmp_path / "comments.db")
    now = time.time()

    def add(text, parent=None, mode=1, created=now):
        return db.comments.add(URI, {
            "text": text, "author": "Lectrice", "email": "l@exemple.fr", "website": None,
            "parent": parent, "mode": mode, "remote_addr": "127.0.0.0", "created": created,
        })["id"]

    purged = add("En attente depuis longtemps.", mode=2, created=now - 40 * 86400)
    add("Réponse à un commentaire purgé.", parent=purged, created=now - 39 * 86400)
    db.comments.purge(30 * 86400)  # what Isso's purge thread does: the reply stays, its parent goes
    waiting = add("En attente.", mode=2)
    add("Réponse à un commentaire en attente.", parent=waiting)
    kept = add("Supprimé, avec une réponse en attente.")
    add("Réponse en attente.", parent=kept, mode=2)
    db.comments.delete(kept)  # a reply refers to it: Isso keeps a deleted stub
    nested = add("Réponse directe.", parent=1)
    # Isso's own code re-parents a reply to a reply; `isso import` writes it as given.
    db.execute("UPDATE comments SET parent = ? WHERE id = ?", (nested, add("Réponse à une réponse.")))

    with Gunicorn(tmp_path, port, config, workers=1, env={"ISSO_ADMIN_PASSWORD": "baked-test-password"}) as server:
        with urllib.request.urlopen(f"{server.base}/?uri={URI}", timeout=30) as answer:
            api = json.load(answer)["replies"]
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": tmp_path / "comments.db"})

    def api_tree(comments):
        return [(f"isso-{c['id']}", api_tree(c.get("replies", []))) for c in comments]

    baked = _tree(baked_thread(output).select_one("#isso-root"))
    assert baked == api_tree(api)
    assert f"isso-{kept}" in [comment for comment, _ in baked]
    text = baked_thread(output).get_text()
    for hidden in ("Réponse à un commentaire purgé.", "Réponse à un commentaire en attente.", "Réponse à une réponse."):
        assert hidden not in text


def test_baked_comments_use_isso_markup_with_permalinks_and_french_dates(site):
    thread = baked_thread(site)
    for comment in thread.select(".isso-comment"):
        wrapper = comment.select_one(":scope > .isso-text-wrapper")
        header, body, footer = wrapper.find_all(recursive=False)
        assert header["class"] == ["isso-comment-header"]
        assert body["class"] == ["isso-text"] and footer["class"] == ["isso-comment-footer"]
        assert [c["class"][0] for c in header.find_all(recursive=False)] == [
            "isso-author", "isso-spacer", "isso-permalink", "isso-note"
        ]
        permalink = header.select_one("a.isso-permalink")
        assert permalink["href"] == "#" + comment["id"]
        time = permalink.select_one("time")
        created = datetime.fromisoformat(time["datetime"])
        assert created.utcoffset() is not None
        assert time.get_text() == french_words.date(created)
        assert FRENCH_DATE.match(time.get_text()), time.get_text()
        assert time["title"] == french_words.moment(created)
        assert FRENCH_MOMENT.match(time["title"]), time["title"]
        assert comment.select_one(":scope > .isso-follow-up") is not None
    assert thread.select_one("#isso-1 .isso-text").decode_contents() == "<p>Un <strong>premier</strong> avis.</p>"


def test_baked_comments_are_inert(site):
    thread = baked_thread(site)
    hacker = thread.select_one("#isso-6")
    # The hostile name is shown as text, and its javascript: website is no link.
    assert hacker.select_one(".isso-author").name == "span"
    assert "<b" in hacker.select_one(".isso-author").get_text()
    assert thread.find("script") is None and thread.find("img", src=True) is None
    for tag in thread.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src", "action", "formaction"):
            assert not tag.get(attr, "").strip().lower().startswith(("javascript:", "data:")), tag


def test_the_discussion_links_its_comment_feed_and_says_how_to_take_part(site):
    page = baked_page(site)
    link = page.select_one(".discussion__feed a")
    assert link.get_text() == "Suivre les réponses (Atom)"
    assert link["href"] == f"{PROD_SITEURL}{URI}commentaires.atom.xml"
    assert page.select_one(".discussion noscript") is None


def test_the_chronicle_bakes_the_form_and_a_reply_link_for_each_approved_comment(site):
    """The form without script (comment_form): its action, its thread, its attributes from comment_rules."""
    import comment_rules

    page = baked_page(site)
    comments_url = PROD_SITEURL + "/isso"
    form = page.select_one("form#discussion-formulaire")
    assert (form["method"], form["action"]) == ("post", comments_url + "/formulaire")
    assert form.select_one("input[name=uri]")["value"] == URI
    assert form.select_one("input[name=title]")["value"] == "La juste mesure"
    assert form.select_one("input[name=parent]") is None
    assert json.loads(form["data-regles"]) == comment_rules.as_data()
    for rule in comment_rules.FIELDS:
        control = form.select_one(f"#discussion-{rule.name}")
        assert control["name"] == rule.name
        assert control.has_attr("required") is rule.required
        assert int(control["maxlength"]) == rule.max_length
        assert control.get("type") == rule.type and control.get("autocomplete") == rule.autocomplete
        assert control["aria-describedby"] == f"discussion-{rule.name}-erreur"
        assert form.select_one(f"label[for=discussion-{rule.name}]").get_text().startswith(rule.label)
    assert form.select_one("#discussion-text")["minlength"] == "3"
    # The notices the server's redirect targets, hidden until then (CSS :target).
    assert [p["id"] for p in page.select(".discussion__status")] == ["reponse-en-attente", "reponse-publiee"]
    # Every approved comment, and no deleted stub, has its « Répondre » link to the server's page.
    links = {a.find_parent(class_="isso-comment")["id"]: a["href"] for a in page.select("a.discussion__reply")}
    assert links == {f"isso-{n}": f"{comments_url}/repondre?uri={URI.replace('/', '%2F')}&parent={n}"
                     for n in (1, 2, 5, 6)}
    # Our scripts alone (the discussion, the proof of work), Isso's embed no more; the words it writes are french_words'.
    scripts = [s["src"] for s in page.select("script[src]")]
    assert len(scripts) == 2 and re.search(r"/js/discussion(\.[0-9a-f]+)?\.js$", scripts[0])
    assert json.loads(page.select_one("#isso-thread")["data-mots"])["pending"] == french_words.SCRIPT_WORDS["pending"]
    # The evidence for the spam defence (comments.evidence): the include nginx replaces with
    # a token, the field proof.js fills, and the honeypot no reader sees or reaches.
    assert re.search(r"/js/proof(\.[0-9a-f]+)?\.js$", scripts[1])
    assert f'<!--# include virtual="/isso/jeton?uri={URI}" -->' in str(form)
    assert form.select_one("input[name=altcha]")["type"] == "hidden"
    assert form["data-preuve"] == comments_url + "/altcha"
    trap = form.select_one(".discussion__piege")
    assert trap["aria-hidden"] == "true" and trap.input["name"] == "sujet" and trap.input["tabindex"] == "-1"
    assert trap.input["autocomplete"] == "off" and "ne remplissez pas ce champ" in trap.label.get_text()


def test_json_ld_lists_the_approved_comments(site):
    page = baked_page(site)
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["commentCount"] == 4
    assert [c["@id"] for c in data["comment"]] == [f"{PROD_SITEURL}{URI}#isso-{i}" for i in (1, 2, 5, 6)]
    assert [c["author"]["name"] for c in data["comment"]] == APPROVED_AUTHORS
    assert data["comment"][0]["text"] == "Un premier avis."
    assert all(c["@type"] == "Comment" and c["dateCreated"] for c in data["comment"])


LISTINGS = {
    "index.html": "a.card__replies",
    "categories/les-chroniques-de-zohe/index.html": "a.card__replies",
    "archives/index.html": "a.count",
}


@pytest.mark.parametrize("path, selector", LISTINGS.items())
def test_listings_take_their_counts_from_the_build(site, path, selector):
    html = (site / path).read_text(encoding="utf-8")
    counts = {a["href"]: a.find(string=True) for a in BeautifulSoup(html, "html.parser").select(selector)}
    assert counts[f"{PROD_SITEURL}{URI}#discussion"] == "4 réponses"
    assert counts[f"{PROD_SITEURL}/chroniques/quelle-est-votre-promesse/#discussion"] == "0 réponse"
    # A reader's browser asks the comment server nothing to show a count.
    assert "embed.min.js" not in html and "/isso" not in html


def test_no_comments_yet_says_so(tmp_path):
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": tmp_path / "absent.db"})
    thread = baked_thread(output)
    assert thread.select_one(".discussion__count").get_text() == "Aucune réponse pour l’instant"
    assert thread.select(".isso-comment") == []
    assert thread.select_one("#isso-root") is not None


# Budgets with a long discussion.

def _long_discussion(path, count=50):
    """A thread of `count` approved comments, one in three a reply, each a paragraph or two."""
    db = make_isso_database(path)
    start = time.time() - 86400
    parent = None
    for n in range(count - 4):  # make_isso_database already holds 4 approved
        text = (
            f"Réponse numéro {n}. Ce que vous dites de la juste mesure me parle : "
            "nous avons, nous aussi, appris à dire non à des clients pressés. "
            f"Le **temps long** est une promesse qu’on tient ensemble.\n\nDeuxième paragraphe {n * 7}."
        )
        comment = db.comments.add(URI, {
            "text": text, "author": f"Lectrice {n}", "email": f"l{n}@exemple.fr", "website": None,
            "parent": parent if n % 3 else None, "mode": 1, "remote_addr": "127.0.0.0",
            "created": start + 10 * n,
        })
        if n % 3 == 0:
            parent = comment["id"]


def _without_comment_text(html):
    """The page with each baked comment's text, and its copy in the JSON-LD, emptied.

    The issue excepts the text itself from the critical budget, not the markup, the
    authors, dates, links or CSS around it: weighing this page is weighing the built one
    minus the brotli size its comment texts add.
    """
    html, found = re.subn(r'(<div class="isso-text">).*?(</div>)', r"\1\2", html, flags=re.S)
    assert found >= 50
    html, found = re.subn(r'("@type": "Comment", .*?"text": )"(?:[^"\\]|\\.)*"', r'\1""', html)
    assert found >= 50
    return html


def test_budgets_hold_with_fifty_baked_comments(tmp_path):
    database = tmp_path / "comments.db"
    _long_discussion(database)
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
    page = output / "chroniques/la-juste-mesure/index.html"
    html = page.read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").select_one(".discussion__count").get_text() == "50 réponses"
    stripped = page.with_name("sans-texte.html")
    stripped.write_text(_without_comment_text(html), encoding="utf-8")

    comments_url = PROD_SITEURL + "/isso"
    whole = page_weight(output, str(page.relative_to(output)), siteurl=PROD_SITEURL, exclude=(comments_url,))
    weight = page_weight(output, str(stripped.relative_to(output)), siteurl=PROD_SITEURL, exclude=(comments_url,))
    # The measure sees the stylesheet and our script; the text really was a part of the page.
    assert any(f.endswith(".css") for f in weight.files) and any(re.search(r"discussion[.\w]*\.js$", f) for f in weight.files)
    assert whole.critical["brotli"] - weight.critical["brotli"] > 500
    assert weight.critical["brotli"] <= CRITICAL_BUDGET, weight
    assert weight.total["brotli"] <= TOTAL_BUDGET, weight


# A comment as a reader posts it: through Isso's API, which stores author and website escaped.

def _post(base, uri, payload):
    import urllib.request

    request = urllib.request.Request(
        f"{base}/new?uri={uri}", data=json.dumps(payload).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


@pytest.fixture(scope="module")
def posted(tmp_path_factory):
    """A site baked from a database a real comment server wrote, and that server's answer for the thread."""
    import urllib.request

    from bench.gunicorn_server import Gunicorn, free_port, write_config

    base = tmp_path_factory.mktemp("posted")
    port = free_port()
    config = write_config(base, port, moderation={"enabled": "false"})
    with Gunicorn(base, port, config, workers=1, env={"ISSO_ADMIN_PASSWORD": "baked-test-password"}) as server:
        _post(server.base, URI, {
            "text": "Merci pour ce texte.", "author": "Jean & Marie <3", "email": "jm@exemple.fr",
            "website": "https://exemple.fr/?a=1&b=2", "title": "La juste mesure",
        })
        with urllib.request.urlopen(f"{server.base}/?uri={URI}", timeout=30) as answer:
            api = json.load(answer)["replies"][0]
    return build_prod(base / "output", BAKED_COMMENTS={"database": base / "comments.db"}), api


def test_a_comment_posted_through_the_api_is_escaped_once(posted):
    site, api = posted
    # What Isso's script shows: the API's author as HTML, its website as an href.
    shown_author = BeautifulSoup(api["author"], "html.parser").get_text()
    shown_website = BeautifulSoup(f'<a href="{api["website"]}">', "html.parser").a["href"]
    assert (shown_author, shown_website) == ("Jean & Marie <3", "https://exemple.fr/?a=1&b=2")

    author = baked_thread(site).select_one(f"#isso-{api['id']} .isso-author")
    assert author.decode_contents() == api["author"]
    assert author.get_text() == shown_author
    assert author["href"] == shown_website

    data = json.loads(baked_page(site).select_one('script[type="application/ld+json"]').string)
    assert [c["author"]["name"] for c in data["comment"]] == [shown_author]
    feed = ElementTree.parse(site / "chroniques/la-juste-mesure/commentaires.atom.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == shown_author
    assert entry.find(f"{ATOM}title").text.startswith(f"{shown_author} sur ")
