"""Error answers in French, against the real server: Isso's reasons, werkzeug's pages, and an exception nobody expected."""


import pytest

from comments import errors
from isso_support import Server

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("errors")) as server:
        yield server


@pytest.mark.parametrize("field, value, message", [
    ("text", "ab", "Le commentaire est trop court\u00a0: 3\u00a0caractères au moins."),
    ("text", "x" * 65536, "Le commentaire est trop long\u00a0: 65\u202f535\u00a0caractères au plus."),
    ("website", "pas un site", "L’adresse du site web n’est pas valide (par exemple https://exemple.fr)."),
])
def test_isso_reasons_reach_the_commenter_in_french(server, field, value, message):
    comment = {"text": "Un texte assez long.", "author": "Camille", "email": "camille@example.org",
               "title": "Une chronique", field: value}
    r = server.client().post("/new?uri=/chroniques/erreurs/", json_body=comment)
    assert r.status == 400
    assert r.header("Content-Language") == "fr"
    assert r.json() == {"message": message}


def test_werkzeug_errors_in_french_keeping_their_headers(server):
    r = server.client().post("/config", json_body={})
    assert r.status == 405
    assert r.json() == {"message": errors.BY_STATUS[405]}
    assert "GET" in r.header("Allow")


def test_a_browser_gets_a_french_page(server):
    r = server.client().get("/id/1/activate/cle-inconnue/de-trop", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status == 404
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    assert '<html lang="fr">' in r.text and f"<h1>{errors.BY_STATUS[404]}</h1>" in r.text


def test_an_unexpected_error_is_logged_and_answered_in_french_without_detail(tmp_path):
    """A database gone bad under a running server: the reader gets a French 500, the log the traceback."""
    with Server(tmp_path) as server:
        server.spoil_database()
        r = server.client().get("/?uri=/chroniques/base-abimee/")
        assert r.status == 500
        assert r.header("Content-Language") == "fr"
        assert r.json() == {"message": errors.SERVER_ERROR}
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "unexpected error on GET /" in log
    assert "Traceback" in log and "file is not a database" in log
