"""What a new comment's request shows about its sender (honeypot, form token, proof of work), gathered before anything decides on it.

This module only gathers: it refuses nothing (but for an old token, see
comments.form_post, which keeps the reader's text). The spam policy inside it decides.
The contract (comments/README.md, "Evidence"): on every post that creates a comment,
``POST /formulaire`` (the form) and ``POST /new`` (the JSON API), GatherEvidence puts
``environ["zohe.evidence"]``, a dict:

- ``honeypot``: "empty" (the field came back empty), "filled" (a robot filled it), "absent"
  (no such field: the JSON API's clients, Isso's script);
- ``token``: the form token's verdict (comments.form_token): "ok", "missing", "invalid",
  "fast", "old", "replayed";
- ``proof``: the proof of work's verdict (comments.proof): "ok", "missing", "invalid", "replayed".

comments.form_post copies it into the ``POST /new`` it sends inside, so the layers
inside see the same dict whichever way the comment came. The values are read from the
form's fields, or from the JSON body's keys of the same names (comment_form.HONEYPOT,
TOKEN, PROOF). RecordEvidence, next to Isso, keeps it with each comment stored
(``zohe_evidence``: its number, the three values, the time), for the policy and the
moderators to read; the row goes with the comment. It also serves what the page needs to
gather it: ``GET /jeton?uri=…`` (the token's hidden field, for nginx's include) and
``GET /altcha`` (a challenge, for theme/static/js/proof.js).
"""

import json
import logging
import time
from urllib.parse import parse_qsl

import comment_form
from comments import hardening, validation, web

KEY = "zohe.evidence"
# When the posted token was issued (None if unknown): comments.form_post keeps that time
# in the fresh token of a refusal page, so correcting a field is never "too fast".
TOKEN_ISSUED = "zohe.token_issued"
CREATING = {comment_form.POST_PATH, "/new"}
logger = logging.getLogger("zohe.evidence")


def _posted(environ, path):
    """The evidence's fields and the thread of the post, as posted ({name: value}); no field when the body is unreadable."""
    names = (comment_form.HONEYPOT, comment_form.TOKEN, comment_form.PROOF)
    body = web.read_body(environ) or b""
    if path == "/new":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeError, ValueError, RecursionError):
            data = None
        fields = {name: data[name] for name in names if isinstance(data, dict) and isinstance(data.get(name), str)}
        return fields, dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("uri", "")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeError, ValueError):
        pairs = []
    # The first of a repeated field, as a browser sends it once (comments.form_post refuses repeats).
    fields = {name: value for name, value in reversed(pairs) if name in names + ("uri",)}
    return fields, fields.pop("uri", "")


class GatherEvidence:
    """Puts ``zohe.evidence`` on each comment-creating post and serves the token and the challenge."""

    def __init__(self, app, tokens, proofs, site_origins=()):
        self.app, self.tokens, self.proofs = app, tokens, proofs
        # Where the server has an origin of its own (the preview), the site's pages read the challenge across origins.
        self.site_origins = set(site_origins)

    def __call__(self, environ, start_response):
        path = web.route_path(environ)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method in ("GET", "HEAD") and path == comment_form.TOKEN_PATH:
            return self.token(environ, start_response)
        if method == "GET" and path == comment_form.PROOF_PATH:
            body = web.json_body(self.proofs.challenge())
            origin = environ.get("HTTP_ORIGIN")
            shared = [("Access-Control-Allow-Origin", origin)] if origin in self.site_origins else []
            start_response("200 OK", [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
                                      ("Content-Length", str(len(body))), ("Vary", "Origin"), *shared])
            return [body]
        if method == "POST" and path in CREATING:
            environ[KEY], environ[TOKEN_ISSUED] = self.gather(environ, path)
        return self.app(environ, start_response)

    def gather(self, environ, path):
        now = time.time()
        fields, uri = _posted(environ, path)
        honeypot = fields.get(comment_form.HONEYPOT)
        token, issued = self.tokens.check(fields.get(comment_form.TOKEN), uri, now)
        evidence = {
            "honeypot": "absent" if honeypot is None else "filled" if honeypot else "empty",
            "token": token,
            "proof": self.proofs.check(fields.get(comment_form.PROOF), now),
        }
        return evidence, issued

    def token(self, environ, start_response):
        """The token's hidden field for thread ``uri`` (nginx includes it in the page); never cached."""
        uri = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("uri", "")
        if not hardening.site_path(uri):
            return web.error(start_response, "404 Not Found", validation.MESSAGES["no_comment"])
        body = comment_form.token_input(self.tokens.issue(uri)).encode("utf-8")
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                  ("Content-Length", str(len(body)))])
        return [body]


class RecordEvidence:
    """Keeps the evidence of each comment Isso stores, under its number (``zohe_evidence``); logs it at INFO."""

    def __init__(self, app, store):
        self.app, self.store = app, store

    def __call__(self, environ, start_response):
        evidence = environ.get(KEY)
        if evidence is None or web.route_path(environ) != "/new" or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        status, headers, body = web.call_buffered(self.app, environ)
        if status.split(None, 1)[0] in ("201", "202"):
            try:
                comment = json.loads(body)["id"]
            except (ValueError, KeyError, TypeError):
                comment = None
            if type(comment) is int:
                self.store.connection().execute(
                    "INSERT OR REPLACE INTO zohe_evidence (comment, honeypot, token, proof, at) VALUES (?, ?, ?, ?, ?)",
                    (comment, evidence["honeypot"], evidence["token"], evidence["proof"], time.time()))
                logger.info("comment %s: honeypot %s, token %s, proof %s", comment,
                            evidence["honeypot"], evidence["token"], evidence["proof"])
        start_response(status, headers)
        return [body]
