"""The shipped nginx configuration, run by Debian's nginx over a published release and the real comment server."""

import gzip
import http.client
import json
import re
from urllib.parse import urlsplit

import brotli
import pytest

from support import ROOT

SITE_CONF = ROOT / "deploy" / "nginx" / "zohe-site.conf"


def get(base, path, headers=None, method="GET"):
    """One request; the body as sent (no decoding), headers lower-cased."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def configured_headers():
    """The headers zohe-site.conf adds with a fixed value, as written there."""
    text = SITE_CONF.read_text(encoding="utf-8")
    found = dict(re.findall(r'^\s*add_header\s+(\S+)\s+"([^"$]*)"\s+always;', text, re.MULTILINE))
    # The site's policy is a variable, emptied under /isso/ where the comment server sends its own.
    found["Content-Security-Policy"] = re.search(r'^set \$zohe_csp "([^"]*)";', text, re.MULTILINE).group(1)
    assert {"Content-Security-Policy", "Strict-Transport-Security", "Referrer-Policy",
            "X-Content-Type-Options", "Permissions-Policy"} <= found.keys()
    return found


def stylesheet(published):
    css = list((published.webroot / "current" / "theme" / "css").glob("zohe.*.css"))
    assert len(css) == 1, css
    return css[0]


@pytest.mark.parametrize("path", ["/", "/chroniques/la-juste-mesure/", "/nulle-part/"])
def test_security_headers_are_as_configured_on_every_answer(nginx, path):
    _status, headers, _body = get(nginx, path)
    for name, value in configured_headers().items():
        assert headers.get(name.lower()) == value, name
    policy = headers["content-security-policy"]
    # Only the site itself: no other origin, no inline script.
    assert "default-src 'self'" in policy and "http" not in policy and "unsafe-inline" not in policy


def test_pages_are_cached_briefly_and_hashed_assets_for_good(nginx, published):
    status, headers, _ = get(nginx, "/notre-promesse/")
    assert status == 200
    assert headers["cache-control"] == "public, max-age=60, must-revalidate"
    # A chronicle carries its reader's own form token: no shared cache keeps it.
    assert get(nginx, "/chroniques/la-juste-mesure/")[1]["cache-control"] == "private, no-cache"
    css = "/theme/css/" + stylesheet(published).name
    status, headers, _ = get(nginx, css)
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    # The page links the hashed name, the plain one is gone.
    page = (published.webroot / "current" / "index.html").read_text(encoding="utf-8")
    assert css in page and "/theme/css/zohe.css" not in page
    assert get(nginx, "/theme/css/zohe.css")[0] == 404
    # The release's metadata is not for readers.
    assert get(nginx, "/.zohe-release.json")[0] == 404


@pytest.mark.parametrize("encoding, decompress, suffix", [
    ("gzip", gzip.decompress, ".gz"),
    ("br", brotli.decompress, ".br"),
])
def test_precompressed_files_are_served_to_clients_that_accept_them(nginx, published, encoding, decompress, suffix):
    css = stylesheet(published)
    for path, file in [("/theme/css/" + css.name, css),
                       ("/notre-promesse/", published.webroot / "current" / "notre-promesse" / "index.html")]:
        status, headers, body = get(nginx, path, {"Accept-Encoding": encoding})
        assert status == 200
        assert headers.get("content-encoding") == encoding, path
        assert "accept-encoding" in headers.get("vary", "").lower()
        # Byte for byte the file the build wrote, not compressed on the fly.
        assert body == file.with_name(file.name + suffix).read_bytes()
        assert decompress(body) == file.read_bytes()
    status, headers, body = get(nginx, "/theme/css/" + css.name)
    assert "content-encoding" not in headers and body == css.read_bytes()


def test_a_chronicle_includes_a_fresh_form_token_and_is_compressed_on_the_fly(nginx, published):
    """nginx reads the page's include (comments/form_token.py), so it cannot send the build's .gz or .br."""
    page = published.webroot / "current" / "chroniques" / "la-juste-mesure" / "index.html"
    assert "<!--# include virtual=\"/isso/jeton?uri=/chroniques/la-juste-mesure/\" -->" in page.read_text("utf-8")
    tokens = []
    for _ in range(2):
        status, headers, body = get(nginx, "/chroniques/la-juste-mesure/", {"Accept-Encoding": "gzip, br"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        html = gzip.decompress(body).decode("utf-8")
        assert "<!--#" not in html
        tokens.append(re.search(r'<input type="hidden" name="jeton" value="([^"]+)">', html).group(1))
    assert tokens[0] != tokens[1]


def test_the_comment_server_answers_under_isso(nginx, comment_server):
    status, headers, body = get(nginx, "/isso/config")
    assert status == 200, body
    assert "config" in json.loads(body)
    direct = get(comment_server.base, "/config")[2]
    assert json.loads(body) == json.loads(direct)
    status, headers, body = get(nginx, "/isso/js/embed.min.js")
    assert status == 200 and b"isso" in body.lower()
    assert "cache-control" not in headers or "max-age=60" not in headers["cache-control"]


def test_an_unknown_address_gets_the_french_404_page(nginx, published):
    status, headers, body = get(nginx, "/chroniques/nulle-part/")
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    page = body.decode("utf-8")
    assert 'lang="fr"' in page and "Cette page est introuvable" in page
    assert body == (published.webroot / "current" / "404.html").read_bytes()
