"""The one HTML page the comment server writes for a moderator's browser: French, without script, never cached or indexed.

The e-mail links' pages (comments.moderation_pages) and the guard's refusal of a stale or
invalid link (comments.hardening) are the same kind of answer, so they share this
template and its headers: ``Content-Language: fr`` tells comments.errors that the page is
already French, and the links are relative to ``/id/N/<action>/<key>``, whatever prefix
the proxy gives.
"""

import html

from comments import web

ADMIN_LINK = "../../../admin/"

PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    # The address holds the moderation key: links and the form send the origin alone as
    # Referer ("no-referrer" would also send "Origin: null", which the guard refuses).
    '<meta name="referrer" content="strict-origin"><meta name="robots" content="noindex">'
    "<title>{title}</title></head><body><main><h1>{title}</h1>{content}"
    f'<p><a href="{ADMIN_LINK}">Ouvrir la page d’administration</a></p></main></body></html>'
)


def answer(start_response, status, title, text=None, content=None):
    """Send the page: ``title`` as its heading, then ``content`` (HTML) or ``text`` (a paragraph)."""
    body = PAGE.format(title=html.escape(title, quote=False), content=content or f"<p>{text}</p>").encode("utf-8")
    start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                            ("Content-Length", str(len(body))), web.FRENCH])
    return [body]
