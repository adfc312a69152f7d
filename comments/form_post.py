"""The discussion form without JavaScript, on the server's side: ``POST /formulaire`` hands a reader's comment to Isso as the JSON API's ``POST /new``, ``GET /repondre`` shows a comment with the form that answers it.

Isso has no form of its own for a reader without script (its issue #331, open since
2017). The chronicle bakes ours (comment_form.py); its post arrives here urlencoded. Each
field is checked with the rules the form was written from (comment_rules, through
comments.commenter.form_refusals), so every refusal is shown next to its field at once,
the reader's text kept in the form. A post that passes is then sent through everything
inside this layer as the embed script would send it, ``POST /new?uri=…`` in JSON: the
checks of the JSON API, the limits on posting, Isso's moderation and the moderator's
e-mail all apply, with no second path into the database.

The answers (the contract the enhancing script relies on, see comments/README.md):
``303`` to the chronicle at ``#reponse-en-attente`` (or ``#reponse-publiee``) with Isso's
edit cookie; a refusal is a French page (``text/html``) with the form, status 400 (a
field), 403 (another origin), 413 (too large), 415 (not a form), 429 (limits, with
``Retry-After``). A client that asks for ``Accept: application/json`` (and not HTML) gets
Isso's own JSON answer on success, and ``{"message": …, "fields": {name: message}}`` on
refusal, with the same statuses.

A foreign page's form may post ``application/x-www-form-urlencoded`` to any address with
no preflight, so the JSON API's defence (its Content-Type) does not apply: the Origin, or
failing it the Referer, must be the site's, and a post with neither is refused, where the
JSON API lets a non-browser client through.

The evidence gathered outside (comments.evidence: honeypot, form token, proof of work)
goes with the comment into its ``POST /new``; this layer decides nothing on it, but for
a token too old (a page left open for hours): the reader gets the form again, the text
kept and a fresh token, and sends it once more. Every form this layer writes carries a
fresh token; a refusal's keeps the time of the posted one, so that correcting a field
is never "too fast".
"""

import html
import io
import json
import time
from urllib.parse import parse_qsl, quote, urlencode

import comment_form
from comments import commenter, errors, evidence, hardening, settings, store as stores, validation, web
from comments.hardening import clean_author

FORM_TYPE = "application/x-www-form-urlencoded"
# What a path keeps unquoted in the redirect back to the chronicle (RFC 3986's pchar and "/").
SAFE_IN_PATH = "/!$&'()*+,;=:@-._~%"
# The form's own fields; any other is ignored, a repeated one refused.
FIELDS = ("uri", "title", "parent", "text", "author", "email", "website")
MAX_FIELDS = 20

PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
    "<title>{title}</title></head><body><main><h1>{title}</h1>{content}</main></body></html>"
)
TITLES = {
    "refused": "Votre réponse n’est pas encore envoyée",
    "reply": "Répondre à {author}",
    "missing": "Commentaire introuvable",
    "broken": "Formulaire illisible",
}
MESSAGES = {
    "forbidden_origin": "Votre réponse a été refusée\u00a0: ce formulaire ne vient pas du site Zôhé. "
    "Revenez à la page précédente, où votre texte est peut-être encore, et envoyez-le depuis la page de la chronique.",
    "too_large": "Votre réponse est trop volumineuse pour être envoyée\u00a0: raccourcissez-la.",
    "not_a_form": "Ce formulaire n’a pas pu être lu\u00a0: envoyez votre réponse depuis la page de la chronique.",
    "broken": "Ce formulaire n’a pas pu être lu (il est incomplet ou abîmé)\u00a0: "
    "revenez à la chronique pour écrire votre réponse.",
    "missing": "Ce commentaire n’existe pas, ou n’est pas encore publié\u00a0: il n’est pas possible d’y répondre.",
    "back": "Revenir à la chronique",
    "back_site": "Revenir au site",
    "written_by": "Le commentaire de {author}\u00a0:",
    "old_token": "Cette page est restée ouverte longtemps\u00a0: votre réponse n’est pas encore envoyée. "
    "Relisez-la et envoyez-la de nouveau, votre texte est conservé.",
}


class Refusal(Exception):
    """A post refused before Isso: its status, message and the HTML page's title."""

    def __init__(self, status, key, title="broken"):
        super().__init__(status, key)
        self.status, self.message, self.title = status, MESSAGES[key], title


def wants_json(environ):
    accept = environ.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept


def read_form(environ):
    """The form's fields as ``{name: text}``; a Refusal for anything that is not our urlencoded form."""
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise Refusal("415 Unsupported Media Type", "not_a_form")
    body = web.read_body(environ)
    if body is None:
        raise Refusal("413 Request Entity Too Large", "too_large")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, max_num_fields=MAX_FIELDS,
                          encoding="utf-8", errors="strict")
    except (UnicodeError, ValueError):
        raise Refusal("400 Bad Request", "broken") from None
    values = {}
    for name, value in pairs:
        if name in FIELDS:
            if name in values:
                raise Refusal("400 Bad Request", "broken")
            values[name] = value
    # What a browser cannot send in a text field, and SQLite cannot store.
    if any("\x00" in value or any("\ud800" <= c <= "\udfff" for c in value) for value in values.values()):
        raise Refusal("400 Bad Request", "broken")
    return values


def parent_number(value):
    """The parent's number from the form, None for a top-level comment; a Refusal if it is no comment number."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and 0 < int(value) <= validation.SQLITE_MAX_INT):
        raise Refusal("400 Bad Request", "broken")
    return int(value)


class DiscussionForm:
    """Answers the no-script form's post and the reply page; hands accepted posts to the JSON API inside it."""

    def __init__(self, app, conf, instance, tokens):
        self.app = app
        # comments.form_token.FormTokens: a fresh token in every form this layer writes.
        self.tokens = tokens
        # Isso's own database objects and Markdown renderer, as the baked pages use them.
        self.db = instance.db
        self.render = instance.render
        self.site = (settings.site_origins(conf) or [""])[0]
        self.site_origins = set(settings.site_origins(conf))
        self.public_origin = settings.public_origin(conf)

    def __call__(self, environ, start_response):
        path = web.route_path(environ)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path == comment_form.POST_PATH:
            if method != "POST":
                return self.not_allowed(start_response, "POST")
            return self.post(environ, self.shared_with_site(environ, start_response))
        if path == comment_form.REPLY_PATH:
            if method not in ("GET", "HEAD"):
                return self.not_allowed(start_response, "GET, HEAD")
            return self.reply_page(environ, start_response)
        return self.app(environ, start_response)

    def shared_with_site(self, environ, start_response):
        """``start_response`` giving the site's pages (and only them) every answer of the form route.

        In the preview the pages and the comment server are two origins: without these headers
        the script could read neither a refusal nor a success, and said the connection failed.
        Isso's own answer (a success) loses its CORS headers for these, so none is doubled.
        """
        origin = environ.get("HTTP_ORIGIN", "")
        if origin not in self.site_origins or origin == self.public_origin:
            return start_response

        def start(status, headers, exc_info=None):
            kept = [(name, value) for name, value in headers if not name.lower().startswith("access-control-")]
            shared = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"),
                      ("Vary", "Origin")]
            return start_response(status, kept + shared, exc_info)
        return start

    # POST /formulaire

    def post(self, environ, start_response):
        values = {}
        try:
            if not hardening.origin_allowed(environ, self.site_origins, self.public_origin, absent_allowed=False):
                raise Refusal("403 Forbidden", "forbidden_origin", title="refused")
            values = read_form(environ)
            uri, parent = values.get("uri", ""), parent_number(values.get("parent"))
            if not hardening.site_path(uri) or not values.get("title", "").strip():
                raise Refusal("400 Bad Request", "broken")
            if environ.get(evidence.KEY, {}).get("token") == "old":
                raise Refusal("400 Bad Request", "old_token", title="refused")
        except Refusal as refusal:
            return self.refused(environ, start_response, refusal.status, values, {}, refusal.message, refusal.title)
        refusals = {name: commenter.MESSAGES[key] for name, key in commenter.form_refusals(values).items()}
        if refusals:
            return self.refused(environ, start_response, "400 Bad Request", values, refusals)

        status, headers, body = web.call_buffered(self.app, self.new_comment_environ(environ, values, parent))
        code = int(status.split(None, 1)[0])
        if code in (201, 202):
            if wants_json(environ):
                return self.accepted_json(start_response, status, headers, body, uri)
            anchor = comment_form.PENDING if code == 202 else comment_form.PUBLISHED
            cookies = [(name, value) for name, value in headers if name.lower() == "set-cookie"]
            # Quoted: a header is Latin-1, and a forged path may hold any character.
            return self.redirect(start_response, f"{self.site}{quote(uri, safe=SAFE_IN_PATH)}#{anchor}", cookies)
        retry = [("Retry-After", value) for name, value in headers if name.lower() == "retry-after"]
        return self.refused(environ, start_response, status, values, {}, self.inner_message(code, headers, body),
                            extra_headers=retry)

    def accepted_json(self, start_response, status, headers, body, uri):
        """Isso's answer to the script, with a fresh token for the reader's next comment from this page.

        The posted token is used now (comments.form_token keeps it against a replay): without
        a new one, a second comment written on the same page would come as "replayed".
        """
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            answer[comment_form.TOKEN] = self.tokens.issue(uri)
            body = web.json_body(answer)
            headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    @staticmethod
    def new_comment_environ(environ, values, parent):
        """The request the embed script would send for this comment: ``POST /new?uri=…`` in JSON, same client."""
        payload = {
            "text": values["text"],
            "author": values.get("author", "").strip() or None,
            "email": values.get("email", "").strip() or None,
            "website": values.get("website", "").strip() or None,
            "title": values["title"].strip(),
            "parent": parent,
            "notification": False,
        }
        body = web.json_body(payload)
        # Only the evidence goes in (comments.evidence): the layers inside decide on it.
        inner = {key: value for key, value in environ.items() if not key.startswith("zohe.") or key == evidence.KEY}
        # Behind a proxy that keeps its prefix in PATH_INFO, keep it: route_path strips it.
        prefix = environ.get("PATH_INFO", "")[: -len(comment_form.POST_PATH)]
        inner.update({
            "REQUEST_METHOD": "POST",
            "PATH_INFO": prefix + "/new",
            "QUERY_STRING": urlencode({"uri": values["uri"]}),
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(body),
        })
        return inner

    @staticmethod
    def inner_message(code, headers, body):
        """The French message of a refusal from inside (limits, Isso): ours as written, Isso's translated."""
        if web.header(headers, "Content-Language") == "fr":
            try:
                message = json.loads(body).get("message")
            except (ValueError, AttributeError):
                message = None
            if isinstance(message, str):
                return message
        return errors.french_message(code, body)

    def refused(self, environ, start_response, status, values, refusals, message=None, title="refused",
                extra_headers=()):
        token = self.fresh_token(environ, values.get("uri"))
        if wants_json(environ):
            payload = {"message": message or comment_form.REFUSED, "fields": refusals}
            if token:
                payload[comment_form.TOKEN] = token
            return web.json_response(start_response, status, payload, extra_headers)
        form = ""
        if token and values.get("title"):
            try:
                parent = parent_number(values.get("parent"))
            except Refusal:
                parent = None
            form = comment_form.render(".", values["uri"], values["title"], parent, values, refusals, message, token)
        content = form or f"<p>{html.escape(message)}</p>"
        # The way back only to one of the site's own paths (a forged `uri` could name another host).
        back = values.get("uri") if hardening.site_path(values.get("uri", "")) else None
        return self.page(start_response, status, TITLES[title], content, back, extra_headers)

    def fresh_token(self, environ, uri):
        """A token for the form of a refusal (None without a thread): issued when the posted one was, if it was sound.

        After an old token, a fresh one dated MIN_SECONDS ago: the reader has read and
        written already, and may send again at once.
        """
        if not hardening.site_path(uri):
            return None
        verdict = environ.get(evidence.KEY, {}).get("token")
        issued = environ.get(evidence.TOKEN_ISSUED)
        if verdict == "old":
            return self.tokens.issue(uri, time.time() - self.tokens.min_seconds)
        return self.tokens.issue(uri, issued if verdict in ("ok", "fast") else None)

    # GET /repondre?uri=…&parent=N

    def reply_page(self, environ, start_response):
        args = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        uri = args.get("uri", "")
        try:
            parent = parent_number(args.get("parent")) if hardening.site_path(uri) else None
        except Refusal:
            parent = None
        comment = self.db.comments.get(parent) if parent else None
        thread = self.db.threads.get(comment["tid"]) if comment else None
        if not comment or comment["mode"] != stores.PUBLISHED or thread is None or thread["uri"] != uri:
            content = f"<p>{html.escape(MESSAGES['missing'])}</p>"
            return self.page(start_response, "404 Not Found", TITLES["missing"], content,
                             uri if hardening.site_path(uri) else None)
        author = clean_author(comment["author"]) or "Anonyme"
        content = (
            f'<figure class="discussion__parent"><figcaption>{MESSAGES["written_by"].format(author=author)}'
            f'</figcaption><blockquote>{self.render(comment["text"])}</blockquote></figure>'
            + comment_form.render(".", uri, thread["title"] or uri, parent, token=self.tokens.issue(uri))
        )
        return self.page(start_response, "200 OK", TITLES["reply"].format(author=html.unescape(author)), content, uri)

    # Answers

    def page(self, start_response, status, title, content, uri=None, extra_headers=()):
        """A French page of ours, without script, with the way back to the chronicle (or the site)."""
        back = (f'<p><a href="{html.escape(self.site + uri)}">{MESSAGES["back"]}</a></p>' if uri
                else f'<p><a href="{html.escape(self.site or "/")}">{MESSAGES["back_site"]}</a></p>')
        body = PAGE.format(title=html.escape(title, quote=False), content=content + back).encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                ("Content-Length", str(len(body))), web.FRENCH, *extra_headers])
        return [body]

    @staticmethod
    def redirect(start_response, location, cookies):
        start_response("303 See Other", [("Location", location), ("Content-Length", "0"),
                                         ("Cache-Control", "no-store"), *cookies])
        return [b""]

    @staticmethod
    def not_allowed(start_response, allowed):
        body = web.json_body({"message": errors.BY_STATUS[405]})
        start_response("405 Method Not Allowed", [("Allow", allowed), ("Content-Type", "application/json; charset=utf-8"),
                                                  ("Content-Length", str(len(body))), web.FRENCH])
        return [body]
