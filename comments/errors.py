"""Every error answer in French, and the last-resort answer to an exception no layer expected.

Isso and werkzeug answer their own errors in English: werkzeug's HTML pages ("Bad
Request", "Not Found", "Method Not Allowed") and Isso's reasons ("text is too short
(minimum length: 3)"). Our own answers are French already and say so with
``Content-Language: fr`` (comments.web.FRENCH); every other answer of status 400 or more
gets a French message for its status, or for Isso's reason when we know it. An exception
that escapes every layer is logged with its traceback and answered with a French 500
that tells nothing of it; gunicorn's own page would have been English.
"""

import html
import logging

import comment_rules as rules
from comments import web

logger = logging.getLogger("comments")

BY_STATUS = {
    400: "Requête invalide.",
    401: "Identification nécessaire.",
    403: "Accès refusé.",
    404: "Cette adresse n’existe pas sur le serveur de commentaires.",
    405: "Cette adresse n’accepte pas cette méthode.",
    408: "Requête trop lente.",
    411: "Requête invalide\u00a0: sa longueur manque.",
    413: "Requête trop volumineuse.",
    414: "Adresse trop longue.",
    415: "Type de contenu non pris en charge.",
    429: "Trop de requêtes\u00a0: réessayez dans un instant.",
    431: "En-têtes de la requête trop volumineux.",
    503: "Le serveur est occupé\u00a0: réessayez dans un instant.",
}
OTHER_REFUSAL = "Requête refusée."
SERVER_ERROR = "Le serveur de commentaires a rencontré une erreur\u00a0: réessayez plus tard."
# Said by nginx, not by this server: what a commenter reads when the comment server is down,
# restarting or too slow (deploy/nginx/zohe-site.conf, @isso_unavailable_page and _json, holds
# it as written here; tests/deploy/test_comment_server_down.py checks both say the same).
UNAVAILABLE = ("Le serveur de commentaires est momentanément indisponible\u00a0: rien de ce que vous venez "
               "d’envoyer n’a été enregistré. Réessayez dans quelques minutes.")

# Isso's own reasons (isso/views/comments.py, API.verify and API.new), which a commenter
# may meet; any other keeps the message of its status. The field's messages are the
# rules' (comment_rules), the ones the form shows next to its field.
ISSO_REASONS = [
    ("text is missing", rules.MESSAGES["text_required"]),
    ("text is too short", rules.MESSAGES["text_too_short"]),
    ("text is too long", rules.MESSAGES["text_too_long"]),
    ("rfc5321#section-4.5.3", rules.MESSAGES["email_too_long"]),
    ("arbitrary length limit", rules.MESSAGES["website_too_long"]),
    ("Website not Django-conform", rules.MESSAGES["website_invalid"]),
    ("Cannot create new thread", "Impossible d’ouvrir une discussion sur cette page\u00a0: son titre manque."),
]

PAGE = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{message}</title></head>'
        "<body><h1>{message}</h1></body></html>")
REPLACED_HEADERS = {"content-type", "content-length", "content-language"}


def french_message(code, body):
    """The French message for an error answer of status ``code`` whose English body is ``body``."""
    if code >= 500:
        return SERVER_ERROR
    text = body.decode("utf-8", "replace")
    for english, french in ISSO_REASONS:
        if english in text:
            return french
    return BY_STATUS.get(code, OTHER_REFUSAL)


def french_answer(environ, status, headers, message):
    """``(status, headers, body)``: an HTML page for a browser that navigates, JSON (as our other errors) otherwise."""
    kept = [(name, value) for name, value in headers if name.lower() not in REPLACED_HEADERS]
    if "text/html" in environ.get("HTTP_ACCEPT", ""):
        body, content_type = PAGE.format(message=html.escape(message)).encode("utf-8"), "text/html; charset=utf-8"
    else:
        body = web.json_body({"message": message})
        content_type = "application/json; charset=utf-8"
    return status, kept + [("Content-Type", content_type), ("Content-Length", str(len(body))), web.FRENCH], body


class FrenchErrors:
    """The outermost layer: error answers in French, and no traceback ever reaches the client."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            status, headers, body = web.call_buffered(self.app, environ)
        except Exception:
            logger.exception("unexpected error on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            status, headers, body = french_answer(environ, "500 Internal Server Error", [], SERVER_ERROR)
        else:
            code = int(status.split(None, 1)[0])
            if code >= 400 and web.header(headers, "Content-Language") != "fr":
                status, headers, body = french_answer(environ, status, headers, french_message(code, body))
        start_response(status, headers)
        return [body]
