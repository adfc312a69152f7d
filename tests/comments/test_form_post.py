"""The no-script form's routes on the real comment server (gunicorn, 2 workers, moderation, limits and mail on): POST /formulaire and GET /repondre."""

import json
from urllib.parse import urlencode

from bs4 import BeautifulSoup
import pytest

import comment_form
import comment_rules
from comments import csp, moderation
from isso_support import SITE, Server, mail_about, mailing_to, visitor
from support import thread_comments

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp_sink):
    """As in production: moderation on, the limits on posting on, the moderators' e-mail to the sink."""
    started = Server(tmp_path_factory.mktemp("form"), guard={"enabled": "true"}, **mailing_to(smtp_sink[0])).start()
    yield started
    started.stop()


def fields(uri, **values):
    return {"uri": uri, "title": "Une chronique", "text": "Un texte de lecteur.", "author": "Camille",
            "email": "camille@example.org", "website": "", **values}


def post_form(server, data, headers=None, origin=SITE, body=None):
    client = server.client(origin)
    return client.post("/formulaire", body=body if body is not None else urlencode(data),
                       headers={**FORM, **visitor(), **(headers or {})}, origin=origin)


def page(response):
    assert response.header("Content-Type").startswith("text/html"), response.text
    assert response.header("Content-Language") == "fr"
    return BeautifulSoup(response.text, "html.parser")


def stored(server, uri):
    return thread_comments(server.dbpath, uri, "comments.id, comments.mode, comments.parent, comments.text")


def test_a_post_is_handed_to_isso_and_redirects_to_the_pending_notice(server, smtp_sink, uri):
    r = post_form(server, fields(uri, text="Écrit sans JavaScript."))
    assert r.status == 303, r.text
    assert r.header("Location") == f"{SITE}{uri}#{comment_form.PENDING}"
    [(comment_id, mode, parent, text)] = stored(server, uri)
    assert (mode, parent, text) == (2, None, "Écrit sans JavaScript.")
    # Isso's edit cookie, for the commenter's browser, as the JSON API gives it.
    assert any(c.startswith(f"{comment_id}=") for c in r.header_all("Set-Cookie"))
    mail_about(smtp_sink[1], comment_id, "Écrit sans JavaScript.")


def test_every_refused_field_is_shown_next_to_it_with_the_text_kept(server, uri):
    text = "Mon texte, gardé tel quel\u202f! <b>sans</b> balise exécutée."
    r = post_form(server, fields(uri, text=text, author="", email="camille@exemple", website="pas une adresse"))
    assert r.status == 400
    html = page(r)
    assert html.select_one("#discussion-text").get_text() == text
    assert html.select_one("#discussion-text").get("aria-invalid") is None
    for name, key in (("author", "author_required"), ("email", "email_invalid"), ("website", "website_invalid")):
        field = html.select_one(f"#discussion-{name}")
        assert field["aria-invalid"] == "true"
        assert field["aria-describedby"] == f"discussion-{name}-erreur"
        assert html.select_one(f"#discussion-{name}-erreur").get_text() == comment_rules.MESSAGES[key]
    assert html.select_one("#discussion-email")["value"] == "camille@exemple"
    assert len(html.select("#discussion-erreurs li")) == 3
    # The refused post is still the same form: same thread, same route.
    assert html.select_one("form")["action"] == "./formulaire"
    assert html.select_one("input[name=uri]")["value"] == uri
    assert stored(server, uri) == []


def test_a_short_text_gets_the_rules_message(server, uri):
    r = post_form(server, fields(uri, text="ok "))
    assert page(r).select_one("#discussion-text-erreur").get_text() == comment_rules.MESSAGES["text_too_short"]


@pytest.mark.parametrize("headers, origin", [
    ({}, "http://evil.example"),
    ({}, "null"),
    ({"Referer": "http://evil.example/page"}, None),
    ({}, None),  # neither Origin nor Referer: a form post is refused, unlike the JSON API's
])
def test_a_post_from_elsewhere_is_refused_in_french(server, uri, headers, origin):
    r = post_form(server, fields(uri, text="Texte forgé ailleurs."), headers=headers, origin=origin)
    assert r.status == 403
    assert "ne vient pas du site Zôhé" in page(r).get_text()
    assert stored(server, uri) == []


def test_the_referer_alone_from_the_site_is_enough(server, uri):
    r = post_form(server, fields(uri), headers={"Referer": f"{SITE}{uri}"}, origin=None)
    assert r.status == 303, r.text


@pytest.mark.parametrize("body, headers, status", [
    ("text=%ff%fe&uri=/chroniques/x/", {}, 400),
    ("uri=/chroniques/x/&uri=/chroniques/y/&title=T&text=abcd", {}, 400),
    ("uri=//evil.example/&title=T&text=abcd", {}, 400),
    ("uri=/chroniques/x/&title=T&text=abcd&parent=-1", {}, 400),
    ("uri=/chroniques/x/&title=T&text=abcd&parent=99999999999999999999", {}, 400),
    ('{"text": "abcd"}', {"Content-Type": "application/json"}, 415),
    ("text=" + "a" * 300_000, {}, 413),
])
def test_a_broken_or_huge_body_gets_a_french_error(server, body, headers, status):
    r = post_form(server, None, headers=headers, body=body)
    assert r.status == status, r.text
    assert page(r).select_one("h1").get_text()
    assert "Content-Security-Policy" in r.headers


def test_the_limits_on_posting_apply_and_keep_the_text(server, uri):
    address = visitor()
    for n in range(2):
        assert post_form(server, fields(uri, text=f"Réponse {n} du même réseau."), headers=address).status == 303
    r = post_form(server, fields(uri, text="La troisième, de trop."), headers=address)
    assert r.status == 429 and int(r.header("Retry-After")) > 0
    html = page(r)
    assert "réessayez dans" in html.select_one("#discussion-erreurs").get_text()
    assert html.select_one("#discussion-text").get_text() == "La troisième, de trop."


def test_a_script_asking_for_json_gets_json(server, uri):
    accept = {"Accept": "application/json"}
    r = post_form(server, fields(uri, email="camille@exemple"), headers=accept)
    assert r.status == 400 and r.header("Content-Type").startswith("application/json")
    assert r.json()["fields"] == {"email": comment_rules.MESSAGES["email_invalid"]}
    r = post_form(server, fields(uri, text="Par le script."), headers=accept)
    assert r.status == 202 and r.json()["mode"] == 2


def test_reply_page_shows_a_published_comment_and_posts_a_reply(server, uri):
    assert post_form(server, fields(uri, text="Le **premier** mot.")).status == 303
    [(parent, *_)] = stored(server, uri)
    client = server.client()
    query = "/repondre?" + urlencode({"uri": uri, "parent": parent})
    assert client.get(query).status == 404  # pending: nobody may answer it yet
    assert moderation.approve(server.conf(), parent) is True

    r = client.get(query)
    assert r.status == 200
    assert r.header("Content-Security-Policy").startswith(csp.POLICIES["form"])
    html = page(r)
    assert html.select_one("h1").get_text() == "Répondre à Camille"
    assert html.select_one("blockquote strong").get_text() == "premier"
    assert html.select_one("input[name=parent]")["value"] == str(parent)

    r = post_form(server, fields(uri, text="Une réponse sans script.", parent=str(parent)))
    assert r.status == 303
    assert stored(server, uri)[-1][1:] == (2, parent, "Une réponse sans script.")


@pytest.mark.parametrize("query", [
    {"uri": "/chroniques/ailleurs/", "parent": "1"},
    {"uri": "/chroniques/x/", "parent": "999999"},
    {"uri": "/chroniques/x/", "parent": "abc"},
    {"uri": "javascript:alert(1)", "parent": "1"},
    {},
])
def test_reply_page_for_no_published_comment_is_a_french_404(server, query):
    r = server.client().get("/repondre?" + urlencode(query))
    assert r.status == 404
    assert "n’est pas encore publié" in page(r).get_text()
    assert "javascript:" not in r.text


def test_other_methods_are_refused_in_french(server):
    client = server.client()
    assert client.get("/formulaire").status == 405
    r = client.post("/repondre", body="x", headers=FORM)
    assert r.status == 405 and r.header("Content-Language") == "fr"
    assert json.loads(r.body)["message"]


def test_the_json_api_and_the_form_share_the_rules_messages(server, uri):
    def new(**values):
        payload = {"text": "Un texte.", "author": "Camille", "email": "camille@example.org", "title": "T", **values}
        return server.client().post(f"/new?uri={uri}", json_body=payload, headers=visitor()).json()["message"]

    assert new(email="camille@exemple") == comment_rules.MESSAGES["email_invalid"]
    assert new(text="ab") == comment_rules.MESSAGES["text_too_short"]


@pytest.mark.parametrize("name, longest, refusal", [
    ("text", "abc" + " " * 5, "text_too_short"),  # Isso counts the text without its trailing spaces
    ("text", "a" * comment_rules.TEXT.max_length, "text_too_long"),
    ("author", "C" * comment_rules.AUTHOR.max_length, "author_too_long"),
    ("website", "https://exemple.fr/" + "a" * (comment_rules.WEBSITE.max_length - 19), "website_too_long"),
])
def test_the_rules_limits_are_isso_s_own(server, uri, name, longest, refusal):
    """At a rule's limit Isso stores the comment; one character past it, the form refuses with the rules' message."""
    assert post_form(server, fields(uri, **{name: longest})).status == 303
    beyond = longest[:2] + " " if refusal == "text_too_short" else longest + "a"
    r = post_form(server, fields(uri, **{name: beyond}))
    assert r.status == 400
    assert page(r).select_one(f"#discussion-{name}-erreur").get_text() == comment_rules.MESSAGES[refusal]


def test_without_moderation_the_reader_is_sent_to_the_published_notice(unmoderated, uri):
    r = post_form(unmoderated, fields(uri, text="Publié sans relecture."))
    assert r.status == 303
    assert r.header("Location") == f"{SITE}{uri}#{comment_form.PUBLISHED}"


def test_reply_page_shows_a_hostile_comment_as_text(server, uri):
    author = '<b onmouseover="alert(1)">Hacker</b>'
    assert post_form(server, fields(uri, author=author, text="<script>alert(1)</script> [x](javascript:alert(1))")).status == 303
    [(parent, *_)] = stored(server, uri)
    assert moderation.approve(server.conf(), parent) is True
    html = page(server.client().get("/repondre?" + urlencode({"uri": uri, "parent": parent})))
    assert html.select_one("h1").get_text() == f"Répondre à {author}"
    assert html.find("script") is None and html.find("b") is None
    assert not [a for a in html.find_all("a") if a.get("href", "").startswith("javascript:")]


def test_a_path_with_any_character_is_redirected_to_quoted(server, uri):
    """A header is Latin-1: a forged path with a euro sign, stored by Isso, still gets its 303, never a 5xx."""
    odd = uri.rstrip("/") + "-\u20ac/"
    r = post_form(server, fields(odd, text="Un chemin qui sort du Latin-1."))
    assert r.status == 303, r.text
    assert r.header("Location") == f"{SITE}{uri.rstrip('/')}-%E2%82%AC/#{comment_form.PENDING}"


def test_a_refusal_links_back_only_to_a_path_of_the_site(server):
    """A forged ``uri`` naming another host is never the refusal page's way back."""
    for forged in ("@evil.example/", "//evil.example/"):
        r = post_form(server, fields(forged, text="x"))
        assert r.status == 400
        links = [a["href"] for a in page(r).select("a[href]")]
        assert links and not any("evil.example" in link for link in links), links


def test_the_sites_pages_may_read_every_answer_of_the_form_across_origins(server, uri):
    """As in the preview, where the pages and the comment server are two origins: the script reads a refusal and a success."""
    accept = {"Accept": "application/json"}
    for r, status in ((post_form(server, fields(uri, email="camille@exemple"), headers=accept), 400),
                      (post_form(server, fields(uri, text="Lu par le script."), headers=accept), 202)):
        assert r.status == status
        assert r.header_all("Access-Control-Allow-Origin") == [SITE]
        assert r.header("Access-Control-Allow-Credentials") == "true"
    elsewhere = post_form(server, fields(uri), headers=accept, origin="https://ailleurs.example")
    assert elsewhere.status == 403 and not elsewhere.header_all("Access-Control-Allow-Origin")
