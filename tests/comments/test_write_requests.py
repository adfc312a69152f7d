"""The API's writes against the real server: JSON only, from the site only, well-formed, with a valid e-mail (comments.hardening)."""

import pytest

from isso_support import ADMIN_PASSWORD, SITE, admin_page_key, cookie_pair, login, thread_texts, visitor

pytestmark = pytest.mark.timeout(60)


# Writes the embed script makes, with a body that would be accepted.
def api_writes(uri):
    body = '{"text": "Un commentaire honnête.", "author": "A", "email": "a@example.org", "title": "T"}'
    return [
        ("POST", f"/new?uri={uri}", body),
        ("POST", "/count", '["/a/"]'),
        ("POST", "/preview", '{"text": "Aperçu"}'),
        ("PUT", "/id/1", '{"text": "Modifié."}'),
        ("DELETE", "/id/1", ""),
        ("POST", "/id/1/like", ""),
        ("POST", "/id/1/dislike", ""),
    ]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_api_writes_without_json_content_type_are_refused(unmoderated, uri, content_type):
    client = unmoderated.client()
    for method, path, body in api_writes(uri):
        headers = {"Content-Type": content_type} if content_type else {}
        r = client.request(method, path, body=body, headers=headers)
        assert r.status == 403, (method, path, r.status, r.text)
        assert "JSON" in r.json()["message"]
    assert thread_texts(client, uri) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9.evil.example"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://evil.example", "Referer": SITE + "/chroniques/"},
    ],
    ids=["foreign-origin", "null-origin", "lookalike-origin", "foreign-referer", "foreign-origin-own-referer"],
)
def test_writes_from_another_site_are_refused(unmoderated, uri, headers):
    client = unmoderated.client()
    for method, path, body in api_writes(uri):
        r = client.request(method, path, body=body, headers={"Content-Type": "application/json", **headers}, origin=None)
        assert r.status == 403, (method, path, r.status)
        assert "site Zôhé" in r.json()["message"]
    # Moderation and login posts too.
    r = client.request("POST", "/id/1/activate/key", headers=headers, origin=None)
    assert r.status == 403
    r = client.request("POST", "/login/", body="password=x",
                       headers={"Content-Type": "application/x-www-form-urlencoded", **headers}, origin=None)
    assert r.status == 403
    assert thread_texts(client, uri) == []


def test_writes_from_the_site_or_its_referer_are_accepted(unmoderated, uri):
    client = unmoderated.client()
    assert client.new(uri, "Depuis le site.").status == 201
    r = client.request("POST", f"/new?uri={uri}", origin=None, headers={"Referer": SITE + uri},
                       json_body={"text": "Depuis la page.", "author": "B", "email": "b@example.org", "title": "T"})
    assert r.status == 201
    assert len(thread_texts(client, uri)) == 2


@pytest.mark.parametrize(
    "path, body, message",
    [
        ("/new?uri={uri}", "[]", "objet JSON"),
        ("/new?uri={uri}", '"texte"', "objet JSON"),
        ("/new?uri={uri}", "42", "objet JSON"),
        ("/new?uri={uri}", "null", "objet JSON"),
        ("/new?uri={uri}", "{pas du json", "JSON lisible"),
        ("/new?uri={uri}", b"\xff\xfe", "JSON lisible"),
        ("/preview", "[1, 2]", "objet JSON"),
        ("/count", '{"a": 1}', "liste"),
        ("/count", "[1, 2]", "liste"),
    ],
)
def test_malformed_json_bodies_get_400_not_500(unmoderated, uri, path, body, message):
    r = unmoderated.client().post(path.format(uri=uri), body=body, headers={"Content-Type": "application/json"})
    assert r.status == 400
    assert message in r.json()["message"]


def test_json_array_on_edit_gets_400(unmoderated, uri):
    client = unmoderated.client()
    created = client.new(uri, "À modifier bientôt.")
    r = client.request("PUT", f"/id/{created.json()['id']}", body="[]",
                       headers={"Content-Type": "application/json", "Cookie": cookie_pair(created, str(created.json()["id"]))})
    assert r.status == 400


@pytest.mark.parametrize(
    "email",
    ["pas-une-adresse", "a@b", "a b@example.org", "<script>@example.org", "a@example.org\nBcc: x@y.z", "@example.org",
     "a@@example.org", "a@-example.org", "x" * 250 + "@example.org"],
)
def test_invalid_email_is_refused_in_french(unmoderated, uri, email):
    client = unmoderated.client()
    r = client.new(uri, "Un avis tout à fait valable.", email=email)
    assert r.status == 400
    assert r.json()["message"] == "Cette adresse e-mail n’est pas valide\u00a0: vérifiez-la (par exemple nom@exemple.fr)."
    assert thread_texts(client, uri) == []


@pytest.mark.parametrize("email", ["camille@example.org", "c.d+zohe@sous.exemple.fr", "élodie@exemple.fr"])
def test_valid_email_is_accepted(unmoderated, uri, email):
    assert unmoderated.client().new(uri, "Un avis tout à fait valable.", email=email).status == 201


def test_missing_email_and_author_refused_in_french_when_required(tmp_path, uri):
    from isso_support import Server

    server = Server(tmp_path, workers=1, guard={"enabled": "true", "ratelimit": "50", "direct-reply": "50"}).start()
    try:
        client = server.client()
        r = client.post(f"/new?uri={uri}", json_body={"text": "Sans adresse.", "author": "A", "title": "T"})
        assert r.status == 400 and "adresse e-mail est nécessaire" in r.json()["message"]
        r = client.post(f"/new?uri={uri}", json_body={"text": "Sans nom.", "email": "a@example.org", "title": "T"})
        assert r.status == 400 and "Votre nom est nécessaire" in r.json()["message"]
        assert client.new(uri, "Complet.").status == 202
    finally:
        server.stop()


def test_moderation_posts_from_isso_pages_still_work_without_json(moderated, uri):
    """The confirmation page and the admin buttons post with no Content-Type; the admin edit posts JSON as text/plain."""
    client = moderated.client()
    comment_id = client.new(uri, "À publier depuis l’admin.").json()["id"]
    admin = moderated.client(origin=moderated.base)
    session = cookie_pair(login(admin, ADMIN_PASSWORD, visitor()), "admin-session")
    page = admin.get("/admin/", headers={"Cookie": session}).text
    key = admin_page_key(page, comment_id)

    r = admin.post(f"/id/{comment_id}/edit/{key}", body='{"text": "Texte revu par la modération.", "author": "Zoé"}',
                   headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert r.status == 200
    r = admin.post(f"/id/{comment_id}/activate/{key}")
    assert r.status == 200 and "Le commentaire est publié." in r.text
    assert "Texte revu par la modération." in thread_texts(client, uri)[0]


def test_behind_the_proxy_prefix(unmoderated, uri):
    """nginx passes /isso/… with X-Script-Name (deploy/nginx.conf): the rules apply to Isso's routes all the same."""
    client = unmoderated.client()
    prefix = {"X-Script-Name": "/isso"}
    payload = {"text": "Par le proxy.", "author": "P", "email": "p@example.org", "title": "T"}
    assert client.post(f"/isso/new?uri={uri}", json_body=payload, headers=prefix).status == 201
    assert client.post(f"/isso/new?uri={uri}", body='{"text": "x"}', headers=prefix).status == 403
    assert client.post(f"/isso/new?uri={uri}", body="[]", headers={**prefix, "Content-Type": "application/json"}).status == 400
    reads = [client.get(f"/isso/?uri={uri}", headers=prefix) for _ in range(6)]
    assert all(len(r.json()["replies"]) == 1 for r in reads)
    assert "hit" in [r.header("X-Zohe-Cache") for r in reads]
