"""A commenter gets and erases their own data, as in production: the page linked from the discussion, the link mailed through a real SMTP sink, the pages in Chromium behind the shipped nginx configuration, the next build showing the change.

The database holds, before the build: Camille's published comment with Pauline's reply
under it, Camille's comment waiting for a moderator, one held as likely spam (posted
without the form's evidence), and Dominique's published comment, which nothing here may
show or touch.
"""

import json
import re
import sqlite3
import time
import types
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

import commenter_data
from comments import moderation
from comments.data_links import DataLinks
from deploy import freshness
from support import ROOT, build, environment, post_seed, smtp_sink

pytestmark = pytest.mark.timeout(240)

CHRONICLE = "/chroniques/la-juste-mesure/"
CAMILLE = "camille@example.org"
SECRET = "own-data-test-secret-of-at-least-32-characters"
TEXTS = {
    "published": "Mon avis publié, que je veux reprendre.",
    "reply": "La réponse de Pauline, qui doit rester lisible.",
    "pending": "Mon second avis, encore en attente.",
    "held": "Mon troisième avis, sans les vérifications du formulaire.",
    "other": "L’avis de Dominique, qui ne regarde que Dominique.",
}


def seed(server, site, conf):
    def post(key, author, email, parent=None):
        comment = {"text": TEXTS[key], "author": author, "email": email, "title": "La juste mesure", "parent": parent}
        return post_seed(server, site, CHRONICLE, comment)

    ids = {"published": post("published", "Camille", CAMILLE)}
    ids["reply"] = post("reply", "Pauline", "pauline@example.org", parent=ids["published"])
    ids["other"] = post("other", "Dominique", "dominique@example.org")
    ids["pending"] = post("pending", "Camille", "Camille@Example.org")
    ids["held"] = post("held", "Camille", CAMILLE)
    db = moderation.open_db(conf)
    for key in ("published", "reply", "other"):
        moderation.approve(conf, ids[key], db)
    # Held as the spam filter holds one (comments.spam.triage): its row, and its words kept until a decision.
    with sqlite3.connect(server.directory / "comments.db") as con:
        con.execute("INSERT OR REPLACE INTO zohe_held (id, created, score, reasons, held_at) VALUES (?, ?, 9, '[]', ?)",
                    (ids["held"], time.time(), time.time()))
        con.execute("INSERT OR REPLACE INTO zohe_spam_undecided (id, tokens) VALUES (?, ?)",
                    (ids["held"], json.dumps({"troisième": 1})))
    seed.ids = ids


@pytest.fixture(scope="module")
def production(tmp_path_factory, start_production):
    base_dir = tmp_path_factory.mktemp("own-data")
    with smtp_sink() as (port, sink):
        isso = {"general": {"notify": "smtp"},
                "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "to": "moderation@zohe.test"}}
        env = {"ISSO_ADMIN_PASSWORD": "own-data-admin-password", "ZOHE_FORM_SECRET": SECRET}
        with start_production(base_dir, isso, env, seed) as (base, dbpath, server, site):
            yield types.SimpleNamespace(base=base, dbpath=dbpath, server=server, site=site, sink=sink,
                                        base_dir=base_dir, ids=seed.ids)


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(15_000)
    context.statuses = []
    context.on("response", lambda response: context.statuses.append(response.status))
    yield context
    assert [status for status in context.statuses if status >= 500] == []
    context.close()


def mails_to(sink, address):
    return [message for recipients, message in list(sink.messages) if address in recipients]


def mailed_link(sink, address, after=0):
    """The message and link of the mail to ``address`` that follows the first ``after`` ones."""
    sink.wait_for(lambda *_: len(mails_to(sink, address)) > after, timeout=20)
    message = mails_to(sink, address)[after]
    body = message.get_content()
    links = re.findall(r"http\S+/mes-donnees/acces\?jeton=[\w.%-]+", body)
    assert len(links) == 1, body
    return message, links[0]


def ask(page, base, address):
    page.goto(base + "/isso" + commenter_data.PATH)
    page.get_by_label("Votre adresse électronique").fill(address)
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.locator("h1")).to_have_text("Regardez votre messagerie")


def rows(dbpath, sql, parameters=()):
    with sqlite3.connect(dbpath) as con:
        return con.execute(sql, parameters).fetchall()


def test_a_commenter_downloads_then_erases_every_comment_of_their_address(production, context, tmp_path):
    ids = production.ids
    page = context.new_page()
    # From the discussion, a small line near the form.
    page.goto(production.base + CHRONICLE)
    page.get_by_role("link", name="Retrouver ou effacer vos commentaires").click()
    expect(page).to_have_url(production.base + "/isso" + commenter_data.PATH)
    ask(page, production.base, " Camille@EXAMPLE.org ")
    message, link = mailed_link(production.sink, CAMILLE)
    assert message["Subject"] == "Vos commentaires sur le site Zôhé"
    assert link.startswith(production.base + "/isso/mes-donnees/acces?jeton=")
    assert f"valable {commenter_data.LIFETIME_WORDS}" in message.get_content()

    page.goto(link)
    expect(page.locator("h1")).to_have_text("Ouvrir vos commentaires")
    page.get_by_role("button", name="Voir mes commentaires").click()
    expect(page.locator("h1")).to_have_text("Vos commentaires")
    main = page.locator("main")
    for key in ("published", "pending", "held"):
        expect(main).to_contain_text(TEXTS[key])
    expect(main).to_contain_text("en attente de modération")
    expect(main).to_contain_text("retenu comme indésirable")
    expect(main).not_to_contain_text(TEXTS["other"])
    expect(main).not_to_contain_text(TEXTS["reply"])

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger tous mes commentaires")).click()
    assert download.value.suggested_filename == "mes-commentaires-zohe.json"
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["adresse électronique"] == CAMILLE and exported["nombre de commentaires"] == 3
    by_number = {c["numéro"]: c for c in exported["commentaires"]}
    assert {by_number[ids[k]]["texte"] for k in ("published", "pending", "held")} == {TEXTS[k] for k in
                                                                                  ("published", "pending", "held")}
    assert by_number[ids["published"]]["état"] == "publié"
    assert by_number[ids["published"]]["page"] == CHRONICLE

    # One by one: the pending comment.
    page.get_by_role("button", name=f"Effacer le commentaire n°\u00a0{ids['pending']}").click()
    expect(page.get_by_role("status")).to_contain_text("1\u00a0commentaire effacé")
    expect(main).not_to_contain_text(TEXTS["pending"])
    assert rows(production.dbpath, "SELECT id FROM comments WHERE id = ?", (ids["pending"],)) == []

    # All the rest, once confirmed.
    page.get_by_label("Je comprends que l’effacement est définitif.").check()
    page.get_by_role("button", name="Effacer tous mes commentaires").click()
    expect(page.get_by_role("status")).to_contain_text("2\u00a0commentaires effacés")
    expect(main).to_contain_text("avec l’adresse camille@example.org\u00a0: 0.")

    # Nothing of Camille's left: the replied-to comment a stub with no text, name, address or IP.
    assert rows(production.dbpath, "SELECT mode, text, author, email, website, remote_addr FROM comments WHERE id = ?",
                (ids["published"],)) == [(4, "", None, None, None, "")]
    assert rows(production.dbpath, "SELECT id FROM comments WHERE id = ?", (ids["held"],)) == []
    assert rows(production.dbpath, "SELECT COUNT(*) FROM comments WHERE lower(email) LIKE 'camille@%'") == [(0,)]
    erased = (ids["published"], ids["pending"], ids["held"])
    assert rows(production.dbpath, "SELECT COUNT(*) FROM zohe_evidence WHERE comment = ?", (ids["reply"],)) == [(1,)]
    for table, column in (("zohe_held", "id"), ("zohe_evidence", "comment"), ("zohe_spam_undecided", "id")):
        assert rows(production.dbpath, f"SELECT COUNT(*) FROM {table} WHERE {column} IN (?, ?, ?)", erased) == [(0,)]
    assert rows(production.dbpath, "SELECT mode, text FROM comments WHERE id = ?", (ids["reply"],)) == [(1, TEXTS["reply"])]
    assert rows(production.dbpath, "SELECT mode FROM comments WHERE id = ?", (ids["other"],)) == [(1,)]

    # The refresh's own test sees the change, and the next build shows it.
    release = types.SimpleNamespace(path=production.base_dir / "release")
    assert freshness.comments_changed(release, production.dbpath)
    with environment(ZOHE_SITEURL=production.site, ZOHE_COMMENTS_DB=str(production.dbpath)):
        rebuilt = build(prod=True, output=tmp_path / "release")
    html = (Path(rebuilt) / CHRONICLE.strip("/") / "index.html").read_text(encoding="utf-8")
    stub = re.search(rf'<div class="isso-comment" id="isso-{ids["published"]}">.*', html, re.S)[0]
    assert "Réponse supprimée." in stub.split('class="isso-follow-up"')[0]
    assert TEXTS["reply"] in stub and TEXTS["published"] not in html and ">Camille<" not in html
    assert not freshness.comments_changed(types.SimpleNamespace(path=Path(rebuilt)), production.dbpath)

    # The link served once.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Lien déjà utilisé")

    # The moderators' log has each step, under a keyed hash, never the address.
    log = (production.server.directory / "server.log").read_text(encoding="utf-8", errors="replace")
    key = DataLinks(SECRET.encode(), None).address_key(CAMILLE)
    for step in ("link queued", "link used, session opened", "3 comment(s) listed", "3 comment(s) downloaded",
                 f"comment(s) {ids['pending']} erased", f"data link for address {key} sent"):
        assert step in log, step
    assert f"address {key}" in log
    assert "camille" not in log.lower()


def signed_link(production, nonce, expires):
    """A link signed with the server's own key (the test knows ZOHE_FORM_SECRET): only its time or nonce is wrong."""
    token = DataLinks(SECRET.encode(), None).token(nonce, expires)
    return f"{production.base}/isso{commenter_data.PATH}/acces?jeton={token}"


def test_a_forged_an_expired_or_a_used_link_is_refused_in_french(production, context):
    page = context.new_page()
    ask(page, production.base, "dominique@example.org")
    _, link = mailed_link(production.sink, "dominique@example.org")
    parts = urlsplit(link)
    token = parse_qs(parts.query)["jeton"][0]
    nonce, expires, mac = token.split(".")
    forged = link.replace(mac, mac[:-2] + ("AA" if not mac.endswith("AA") else "BB"))
    longer = link.replace(f".{expires}.", f".{int(expires) + 86400}.")
    expired = signed_link(production, nonce, int(time.time()) - 1)
    refusals = {
        forged: (403, "Lien non valable", "mal copié ou modifié"),
        longer: (403, "Lien non valable", "mal copié ou modifié"),
        expired: (410, "Lien expiré", f"n’est valable que {commenter_data.LIFETIME_WORDS}"),
    }
    for address, (status, title, words) in refusals.items():
        response = page.goto(address)
        assert response.status == status, address
        expect(page.locator("h1")).to_have_text(title)
        expect(page.locator("main")).to_contain_text(words)
        expect(page.get_by_role("link", name="Demander un nouveau lien")).to_have_attribute("href", "/isso/mes-donnees")
        # Posting it (the button's request, sent by hand) opens nothing either.
        answer = context.request.post(address, headers={"Origin": production.base}, max_redirects=0)
        assert answer.status == status and title in answer.text()

    page.goto(link)
    page.get_by_role("button", name="Voir mes commentaires").click()
    expect(page.locator("h1")).to_have_text("Vos commentaires")
    expect(page.locator("main")).to_contain_text(TEXTS["other"])
    # Used: the same link, again, in this browser and in another.
    other = context.browser.new_context(locale="fr-FR")
    try:
        for tab in (page, other.new_page()):
            response = tab.goto(link)
            assert response.status == 410
            expect(tab.locator("h1")).to_have_text("Lien déjà utilisé")
            expect(tab.locator("main")).to_contain_text("chaque lien ne s’utilise qu’une fois")
        # Without the session's cookie the listing is closed.
        response = tab.goto(f"{production.base}/isso{commenter_data.PATH}/commentaires")
        assert response.status == 403
        expect(tab.locator("h1")).to_have_text("Session terminée")
    finally:
        other.close()
    assert rows(production.dbpath, "SELECT mode FROM comments WHERE id = ?", (production.ids["other"],)) == [(1,)]


def post_request(production, address, origin=None, client="198.51.100.1"):
    """The request form's post, from ``client`` (nginx adds it to X-Forwarded-For, loopback is trusted)."""
    request = urllib.request.Request(
        f"{production.base}/isso{commenter_data.PATH}", method="POST",
        data=f"adresse={urllib.parse.quote(address)}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin or production.base,
                 "X-Forwarded-For": client})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_the_answer_tells_nothing_of_the_address_and_asking_is_limited(production):
    # An address with comments and one without get the same page, byte for byte.
    with_comments = post_request(production, "pauline@example.org")
    without = post_request(production, "personne@example.org")
    assert with_comments == without and with_comments[0] == 200
    # Both get their link (the owner of the mailbox alone learns what the address holds).
    mailed_link(production.sink, "pauline@example.org")
    mailed_link(production.sink, "personne@example.org")
    # Asked again and again for one address, from anywhere: the same answer, a few mails only.
    from comments.data_pages import PER_ADDRESS

    answers = {post_request(production, "quota@example.org", client=f"198.51.100.{10 + n}") for n in range(PER_ADDRESS + 2)}
    assert answers == {with_comments}
    mailed_link(production.sink, "quota@example.org", after=PER_ADDRESS - 1)
    assert rows(production.dbpath, "SELECT COUNT(*) FROM zohe_data_links WHERE address = 'quota@example.org'") == [
        (PER_ADDRESS,)]
    # An address that is not one: said so, the typed text kept.
    status, body = post_request(production, "camille@exemple")
    assert status == 400 and "Cette adresse électronique n’est pas valable\u00a0: vérifiez-la." in body
    assert 'value="camille@exemple"' in body
    # A page of another site cannot ask for a link in a visitor's name.
    status, body = post_request(production, "pauline@example.org", origin="http://ailleurs.example")
    assert status == 403 and "rien n’a été fait" in body
    # One connection may ask a few times an hour; then a French refusal, and no more mail.
    from comments.data_pages import PER_CLIENT

    client = "198.51.100.2"
    answers = [post_request(production, f"lecteur{n}@example.org", client=client)[0] for n in range(PER_CLIENT)]
    assert answers == [200] * PER_CLIENT
    status, body = post_request(production, "lecteur@example.org", client=client)
    assert status == 429 and f"Trop de liens demandés depuis votre connexion\u00a0: réessayez dans {commenter_data.LIFETIME_WORDS}." in body
    assert mails_to(production.sink, "lecteur@example.org") == []


def test_the_server_mails_only_so_many_links_whoever_asks(production):
    """Past PER_SERVER links in a link's lifetime, from any number of connections: no mail, the reader told so whatever the address, a warning."""
    from comments.data_pages import PER_ADDRESS, PER_SERVER

    # Each link mailed is counted for the server.
    before = rows(production.dbpath, "SELECT COUNT(*) FROM zohe_data_requests WHERE key = 'server'")[0][0]
    post_request(production, "compte@example.org", client="198.51.100.76")
    mailed_link(production.sink, "compte@example.org")
    already = rows(production.dbpath, "SELECT COUNT(*) FROM zohe_data_requests WHERE key = 'server'")[0][0]
    assert already == before + 1
    now = time.time()
    with sqlite3.connect(production.dbpath) as con:
        con.executemany("INSERT INTO zohe_data_requests (key, at) VALUES ('server', ?)", [(now,)] * (PER_SERVER - already))
    try:
        same = post_request(production, "personne@example.org", client="198.51.100.77")
        assert post_request(production, "beaucoup@example.org", client="198.51.100.78") == same
        # An address already at its own limit gets the same answer: it tells nothing of the address.
        for _ in range(PER_ADDRESS):
            post_request(production, "limitee@example.org", client="198.51.100.79")
        assert post_request(production, "limitee@example.org", client="198.51.100.80") == same
        status, body = same
        assert status == 429 and f"aucun n’est parti cette fois. Réessayez dans {commenter_data.LIFETIME_WORDS}." in body
        assert rows(production.dbpath, "SELECT COUNT(*) FROM zohe_data_links WHERE address = 'beaucoup@example.org'") == [(0,)]
        log = (production.server.directory / "server.log").read_text(encoding="utf-8", errors="replace")
        assert "link not sent" in log and "the server's limit" in log
    finally:
        with sqlite3.connect(production.dbpath) as con:
            con.execute("DELETE FROM zohe_data_requests WHERE key = 'server'")


def test_a_session_cookie_out_of_shape_closes_the_listing_in_french(production):
    """A cookie the server never gave (not ASCII, the wrong length) is no session: a French 403, never a 500."""
    for cookie in ("é", "x" * 42 + "é", "abc"):  # sent as Latin-1 bytes, as a browser may
        request = urllib.request.Request(f"{production.base}/isso{commenter_data.PATH}/commentaires",
                                         headers={"Cookie": f"zohe-donnees={cookie}"})
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("the listing opened")
        except urllib.error.HTTPError as error:
            assert error.code == 403, (cookie, error.code)


def test_the_pages_are_accessible(production, browser):
    """axe-core on each page (bypassing the CSP for axe's own script): the request form, the link's page, the listing, a refusal."""
    axe = next(Path(ROOT / ".venv").glob("lib/python*/site-packages/axe_playwright_python/axe.min.js"))
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()

    def violations():
        page.add_script_tag(path=str(axe))
        results = page.evaluate("() => axe.run()")
        return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]

    try:
        page.goto(production.base + "/isso" + commenter_data.PATH)
        assert violations() == []
        page.get_by_label("Votre adresse électronique").fill("axe@exemple")
        page.get_by_role("button", name="Recevoir le lien").click()
        expect(page.locator("h1")).to_have_text("Adresse à corriger")
        assert violations() == []
        ask(page, production.base, "axe@example.org")
        assert violations() == []
        _, link = mailed_link(production.sink, "axe@example.org")
        page.goto(link)
        assert violations() == []
        page.get_by_role("button", name="Voir mes commentaires").click()
        expect(page.locator("h1")).to_have_text("Vos commentaires")
        assert violations() == []
        page.goto(link)
        assert violations() == []
    finally:
        context.close()
