"""Every answer of the real server carries the comment server's own Content-Security-Policy: nothing for the API, what each page needs for its pages."""

import pytest

from comments.csp import POLICIES
from isso_support import ADMIN_PASSWORD, cookie_pair

pytestmark = pytest.mark.timeout(60)


def test_every_answer_has_one_policy_and_none_allows_inline_script(moderated, uri):
    client = moderated.client()
    admin = moderated.client(origin=moderated.base)
    login = admin.post("/login/", body=f"password={ADMIN_PASSWORD}",
                       headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "192.0.2.77"})
    answers = {
        "api": [client.get("/config"), client.thread(uri), client.get("/js/embed.min.js"),
                client.post(f"/new?uri={uri}", body="{}"),  # refused by the guard (no JSON type)
                client.get("/nulle-part")],
        "admin": [login, admin.get("/admin/", headers={"Cookie": cookie_pair(login, "admin-session")}),
                  admin.get("/admin/")],
        "moderation": [admin.get("/id/1/activate/not-a-key")],
    }
    for kind, responses in answers.items():
        for r in responses:
            assert r.header_all("Content-Security-Policy") == [POLICIES[kind]], (kind, r.status, r.body[:100])
    assert all("unsafe" not in policy and "frame-ancestors 'none'" in policy for policy in POLICIES.values())
