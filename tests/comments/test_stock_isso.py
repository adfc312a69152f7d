"""Stock Isso 0.14 (``isso.run``) has the holes ARCHITECTURE.md lists; reproduced here so that we know what our middleware closes."""

import pytest

from isso_support import ADMIN_PASSWORD, Server

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("stock"), app="isso.run:application", workers=1,
                    moderation={"enabled": "false"}, admin={"password": ADMIN_PASSWORD}).start()
    yield server
    server.stop()


@pytest.mark.parametrize("app", ["stock", "unmoderated"])
def test_post_without_content_type_or_from_another_site(request, app, uri):
    server = request.getfixturevalue(app)
    body = '{"text": "Posté depuis un autre site.", "author": "X", "email": "x@example.org", "title": "T"}'
    no_type = server.client().post(f"/new?uri={uri}", body=body)
    foreign = server.client(origin="https://evil.example").post(
        f"/new?uri={uri}", body=body, headers={"Content-Type": "application/json"})
    if app == "stock":
        assert (no_type.status, foreign.status) == (201, 201)
    else:
        assert (no_type.status, foreign.status) == (403, 403)


@pytest.mark.parametrize("app, expected", [("stock", 500), ("unmoderated", 400)])
def test_json_array_body(request, app, expected, uri):
    server = request.getfixturevalue(app)
    r = server.client().post(f"/new?uri={uri}", body="[]", headers={"Content-Type": "application/json"})
    assert r.status == expected


def test_stock_admin_cookie_is_readable_by_scripts(stock):
    r = stock.client(origin=stock.base).post(
        "/login/", body="password=" + ADMIN_PASSWORD, headers={"Content-Type": "application/x-www-form-urlencoded"})
    cookie = next(v for v in r.header_all("Set-Cookie") if v.startswith("admin-session="))
    assert "httponly" not in cookie.lower()


def test_stock_admin_login_is_not_throttled(stock):
    client = stock.client(origin=stock.base)
    for _ in range(8):
        r = client.post("/login/", body="password=mauvais", headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 200
