"""The admin login against the real server: its cookie, and the throttle that locks an address out after five failures (comments.throttle)."""

import secrets
import sqlite3

import pytest

from isso_support import ADMIN_PASSWORD, login, visitor

pytestmark = pytest.mark.timeout(60)


def failures(client, address, count):
    """``count`` logins with a wrong password from ``address``, one after the other: their answers."""
    return [login(client, "mauvais", address) for _ in range(count)]


def test_admin_login_works_and_its_cookie_is_httponly_and_secure_in_production(moderated):
    client = moderated.client(origin=moderated.base)
    r = login(client, ADMIN_PASSWORD, visitor())
    assert r.status == 302
    cookie = next(v for v in r.header_all("Set-Cookie") if v.startswith("admin-session="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and "secure" in flags
    assert not any(v.startswith("isso-admin-session=") for v in r.header_all("X-Set-Cookie"))
    page = client.get("/admin/", headers={"Cookie": cookie.split(";")[0]})
    assert page.status == 200 and "Se déconnecter" in page.text
    # Scripts cannot delete an HttpOnly cookie: the button logs out through the server.
    assert 'href="../logout/"' in page.text and "log_out()\"" not in page.text
    out = client.get("/logout/", headers={"Cookie": cookie.split(";")[0]})
    assert out.status == 303 and out.header("Location") == "../admin/"
    expired = out.header("Set-Cookie")
    assert expired.startswith("admin-session=;") and "Max-Age=0" in expired and "HttpOnly" in expired


def test_admin_login_is_throttled_after_five_failures(moderated):
    client = moderated.client(origin=moderated.base)
    attacker, bystander = visitor(), visitor()
    for r in failures(client, attacker, 5):
        assert r.status == 200 and "password" in r.text.lower()
    r = login(client, "mauvais", attacker)
    assert r.status == 429
    assert int(r.header("Retry-After")) > 14 * 60
    assert "Trop de tentatives" in r.json()["message"]
    # Locked out even with the right password, and whichever worker answers.
    for _ in range(4):
        assert login(client, ADMIN_PASSWORD, attacker).status == 429
    # Another address is not affected.
    assert login(client, ADMIN_PASSWORD, bystander).status == 302


def test_lockout_ends_after_fifteen_minutes(moderated):
    client = moderated.client(origin=moderated.base)
    address = visitor()
    failures(client, address, 6)
    assert login(client, "mauvais", address).status == 429
    # Age the lockout in the shared table as fifteen minutes would.
    con = sqlite3.connect(moderated.dbpath)
    with con:
        con.execute("UPDATE zohe_login_lockouts SET until = until - 15 * 60 WHERE address = ?", (address["X-Forwarded-For"],))
    con.close()
    assert login(client, ADMIN_PASSWORD, address).status == 302


def test_successful_login_resets_the_failure_count(moderated):
    client = moderated.client(origin=moderated.base)
    address = visitor()
    failures(client, address, 4)
    assert login(client, ADMIN_PASSWORD, address).status == 302
    for r in failures(client, address, 4):
        assert r.status == 200
    assert login(client, ADMIN_PASSWORD, address).status == 302


def test_an_ipv6_client_is_counted_by_its_64_as_the_limits_count_it(moderated):
    """One subscriber holds a whole /64 and may change address at will: five tries, not five per address."""
    client = moderated.client(origin=moderated.base)
    site, subnet = secrets.randbelow(0xffff), secrets.randbelow(0xfffe)
    network, neighbour = f"2001:db8:{site:x}:{subnet:x}", f"2001:db8:{site:x}:{subnet + 1:x}"
    for host in range(1, 6):
        assert login(client, "mauvais", {"X-Forwarded-For": f"{network}::{host}"}).status == 200
    assert login(client, "mauvais", {"X-Forwarded-For": f"{network}::6"}).status == 429
    assert login(client, ADMIN_PASSWORD, {"X-Forwarded-For": f"{neighbour}::1"}).status == 302
