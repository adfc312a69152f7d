"""Marks each comment held as likely spam on Isso's admin page, with its score and reasons, so that a moderator deciding there knows why it waits apart.

Isso's admin page lists every waiting comment (mode 2), held ones included: it reads
Isso's table, which knows nothing of ``zohe_held``. Hiding them there would leave a
moderator without the one page that shows everything; instead each held one says so, in
French, above its text. A decision taken there teaches the learned score like any other
(comments.spam.triage). This layer sits inside comments.admin.AdminSessions, which lets
Isso render the page only for an open session.
"""

import html
import json
import re

from comments import web
from comments.spam import held, policy

ADMIN_PATH = "/admin/"
# How Isso 0.14's admin template opens each comment (isso/templates/admin.html).
COMMENT = re.compile(r"<div class='isso-comment' id='isso-(\d+)'>")
MARK = '<p class="zohe-retenu"><strong>Retenu comme indésirable</strong>, score {score}\u00a0: {reasons}</p>'


def mark(page, held_rows):
    """``page`` with MARK after the opening of each comment of ``held_rows`` (``{id: (score, reasons)}``)."""

    def marked(match):
        found = held_rows.get(int(match.group(1)))
        if found is None:
            return match.group(0)
        score, reasons = found
        return match.group(0) + MARK.format(
            score=held.format_score(score), reasons=html.escape(policy.describe(json.loads(reasons)), quote=False)
        )

    return COMMENT.sub(marked, page)


class HeldMarks:
    """Adds MARK to the held comments of the admin page Isso renders."""

    def __init__(self, app, store):
        self.app, self.store = app, store

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or web.route_path(environ) != ADMIN_PATH:
            return self.app(environ, start_response)
        status, headers, body = web.call_buffered(self.app, environ)
        page = body.decode("utf-8", errors="replace") if status.startswith("200") else ""
        ids = [int(number) for number in COMMENT.findall(page)]
        if ids:
            marks = ", ".join("?" * len(ids))
            rows = self.store.connection().execute(
                f"SELECT id, score, reasons FROM zohe_held WHERE id IN ({marks})", ids
            ).fetchall()
            if rows:
                body = mark(page, {number: (score, reasons) for number, score, reasons in rows}).encode("utf-8")
        start_response(status, web.replace_body_headers(headers, body))
        return [body]
