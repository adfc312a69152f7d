"""The corpus of malformed requests (tests/malformed.py) once through nginx with the shipped site configuration: what a reader's browser meets."""

import http.client
import json
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

import malformed
from comments import store
from bench.gunicorn_server import UNREACHABLE_SITE

pytestmark = pytest.mark.timeout(180)

PREFIX = b"/isso"
# nginx's own error pages (for what it refuses before proxying: "%00" or "/../" in the
# path, TRACE, a body over client_max_body_size, a line too long) end with this line.
NGINX_PAGE = b"<center>nginx</center>"
# The site's own French 404 page, for a path nginx resolves outside /isso/ ("/isso/js/%2e%2e/%2e%2e/x").
SITE_404 = b'<html lang="fr"'


def posted_comment(port):
    """(id, edit cookie) of a comment posted through nginx, as the embed script posts it."""
    body = json.dumps({"text": "Le commentaire que le corpus vise.", "author": "Camille",
                       "email": "camille@example.org", "title": "Une chronique"})
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        con.request("POST", "/isso/new?uri=/chroniques/corpus/", body=body,
                    headers={"Content-Type": "application/json", "Origin": UNREACHABLE_SITE})
        answer = con.getresponse()
        payload = json.loads(answer.read())
        assert answer.status == 202, payload
        cookie = answer.headers.get_all("Set-Cookie")
    finally:
        con.close()
    prefix = f"{payload['id']}="
    return payload["id"], next(c for c in cookie if c.startswith(prefix)).split(";")[0][len(prefix):]


def test_no_malformed_request_gets_a_5xx_or_english_from_the_comment_server_through_nginx(nginx, comment_server):
    port = int(nginx.rsplit(":", 1)[1])
    comment_id, cookie = posted_comment(port)
    key = URLSafeTimedSerializer(store.session_key(Path(comment_server.config).parent / "comments.db")).dumps(comment_id)
    cases = [case for case in malformed.corpus(comment_id, cookie, key) if not malformed.is_admin_session_case(case)]

    wrong, by_nginx = [], []
    for case in cases:
        answer = malformed.send(port, case._replace(target=PREFIX + case.target))
        line = f"{case.name}: {case.method.decode()} {case.target[:60]!r} -> {answer.status}"
        if answer.status >= 500:
            wrong.append(line)
        elif NGINX_PAGE in answer.body or (answer.status == 404 and SITE_404 in answer.body):
            by_nginx.append(line)
        elif answer.status >= 400 and (problem := malformed.french_error(answer, case.method)):
            wrong.append(f"{line}: {problem}")
    assert not wrong, "\n".join(wrong)
    # What nginx refuses itself, in its own English page, is deploy/nginx's to word.
    print(f"{len(cases)} requests through nginx; answered by nginx itself or the site: {len(by_nginx)}", *by_nginx, sep="\n")
