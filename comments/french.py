"""French wording for the moderation pages Isso writes in English (the e-mail links' confirmation and results)."""

import re

from comments import web

MODERATION_PATH = re.compile(r"^/id/\d+/(?:activate|delete)/[^/]+$")

# Isso's exact strings (isso/views/comments.py, API.moderate) and ours. French
# typography: a narrow no-break space before "?".
REPLACEMENTS = [
    (b"confirm('Activate: Are you sure?')", "confirm('Publier ce commentaire\u202f?')".encode()),
    (b"confirm('Delete: Are you sure?')", "confirm('Supprimer définitivement ce commentaire\u202f?')".encode()),
    (b"Comment has been activated", "Le commentaire est publié.".encode()),
    (b"Comment has been deleted", "Le commentaire est supprimé.".encode()),
    (b"Already activated", "Ce commentaire était déjà publié.".encode()),
    (b"<html><head>", b'<html lang="fr"><head><meta charset="utf-8">'),
]


class FrenchModerationPages:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not MODERATION_PATH.match(web.route_path(environ)):
            return self.app(environ, start_response)
        status, headers, body = web.call_buffered(self.app, environ)
        if (web.header(headers, "Content-Type") or "").startswith("text/"):
            for english, french in REPLACEMENTS:
                body = body.replace(english, french)
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            headers = web.replace_body_headers(headers + [("Content-Type", "text/html; charset=utf-8")], body)
        start_response(status, headers)
        return [body]
