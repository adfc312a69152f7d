"""Middleware that closes what Isso 0.14 leaves open: forged writes, malformed bodies, bad e-mails, foreign thread addresses, text published unread and unescaped names.

Measured on stock Isso (see ARCHITECTURE.md): a ``POST`` with no ``Content-Type`` is
accepted and a foreign ``Origin`` is not refused, so another site can post from a
visitor's browser; a JSON array body gives a 500; ``isso import`` stores author names
unescaped; the first comment on any ``uri`` creates a thread of that address,
``javascript:alert(1)`` included, which the admin page then shows as a link. (The admin
session is comments.admin's.)

And what would publish, or show, a text no moderator has read: ``GET /id/N`` gives
comment N, pending or not, to any edit cookie named N, whatever comment it was issued
for; ``PUT /id/N`` changes a published comment at once; a moderation link (e-mail or
admin page) acts on whatever comment N has become since it was signed, edited by its
commenter or a newer comment that took the number of a deleted one.
"""

import functools
import html
import math
import re
from urllib.parse import urlsplit

from isso.utils.hash import sha1
from itsdangerous import BadSignature
from werkzeug.wrappers import Request

from comments import admin, commenter, moderation_links, pages, settings, store as stores, validation, web

# Isso's admin page and moderation links post from Isso's own pages, not with JSON:
# the login form and the e-mail links' pages (comments.moderation_pages) post a form,
# the admin buttons send an empty body, the admin edit button sends JSON as text/plain. Everything else (the
# embed script's API) always sends application/json.
WRITE_METHODS = {"POST", "PUT", "DELETE", "PATCH"}

COMMENT_PATH = re.compile(r"^/id/(\d+)$")
# Isso signs moderation keys with this lifetime (isso/views/comments.py, API.moderate).
MODERATION_KEY_MAX_AGE = 2**32
# How long a worker waits for another one's edit or moderation to finish.
CHANGE_LOCK_TIMEOUT = 10

# A thread's address, as the theme writes it in the form's hidden uri: a path on the site,
# "/chroniques/la-juste-mesure/". Isso's admin page makes it an href on our own origin,
# and Isso's e-mails and moderation pages append it to the site's origin. One leading "/"
# not followed by another leaves no room for a scheme or another host; backslashes are
# refused because browsers read them as "/", control characters because browsers drop
# tabs and newlines inside a URL ("/\t/evil.example" is "//evil.example"). Matched with
# fullmatch: "$" would let a final newline through. comments.store applies the same
# rule inside the database.
SITE_PATH = re.compile(r"/(?!/)[^\\\x00-\x1f\x7f-\x9f]*")

# What a commenter or a reader may read: French, with French typography.
MESSAGES = {
    "forbidden_origin": "Requête refusée\u00a0: elle ne vient pas du site Zôhé.",
    "json_required": "Requête refusée\u00a0: le contenu doit être envoyé en JSON.",
    "form_required": "Requête refusée\u00a0: formulaire de connexion attendu.",
    "uri_invalid": "Requête invalide\u00a0: l’adresse de la page doit être un chemin du site, comme /chroniques/la-juste-mesure/.",
    "not_own_comment": "Accès refusé\u00a0: seul le navigateur qui a écrit ce commentaire peut le relire, peu après l’avoir écrit.",
    "published": "Ce commentaire est déjà publié\u00a0: il ne peut plus être modifié. Vous pouvez en écrire un nouveau.",
    "busy": "Le serveur est occupé\u00a0: réessayez dans un instant.",
    **commenter.MESSAGES,
}

# What a moderator reads when a moderation link is refused (the links open in a browser;
# relative to /id/N/<action>/<key>, "../../../admin/" is the admin page, proxy prefix included).
MODERATION_REFUSALS = {
    "stale": (
        "Lien de modération périmé",
        "Le commentaire n°\u00a0{id} a été écrit ou modifié après la création de ce lien\u00a0: "
        "vous n’en avez pas lu le texte actuel, rien n’a été fait. Relisez-le sur la page "
        "d’administration, d’où vous pourrez le publier ou le supprimer.",
    ),
    "invalid": (
        "Lien de modération non valable",
        "Ce lien de modération n’est pas valable, rien n’a été fait. Les commentaires en attente "
        "sont sur la page d’administration.",
    ),
}


def site_path(value):
    """True when ``value`` may be a thread's address: a path on the site itself (see SITE_PATH)."""
    return isinstance(value, str) and SITE_PATH.fullmatch(value) is not None


def signed_before_last_change(signed_at, comment, deleted_at):
    """True when a moderation key signed at ``signed_at`` may be older than what comment N now is.

    itsdangerous stamps keys in whole seconds. Isso signs the e-mail's links right after
    storing the comment, so a key of the second of its creation is its own; a key of the
    second of an edit, or of a deletion of that number (which a newer comment may have
    taken), may predate it and is refused: the moderator then reloads the admin page,
    which signs fresh keys.
    """
    if signed_at < math.floor(comment.created):
        return True
    return any(when is not None and signed_at <= math.floor(when) for when in (comment.modified, deleted_at))


def origin_allowed(environ, site_origins, public_origin, absent_allowed):
    """True when the request's Origin (else its Referer) is the site's or the comment server's own.

    ``absent_allowed``: what a request with neither header gets. "null" (a sandboxed
    frame, a no-referrer policy) is never allowed.
    """
    claimed = environ.get("HTTP_ORIGIN")
    if claimed is None:
        claimed = environ.get("HTTP_REFERER")
        if claimed is None:
            return absent_allowed
    origin = settings.normalise_origin(claimed)
    if origin is None:
        return False
    if public_origin:
        own = public_origin
    else:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        own = settings.normalise_origin(f"{environ.get('wsgi.url_scheme', 'http')}://{host}")
    return origin in site_origins or origin == own


class RequestGuard:
    """Refuses what Isso would let through before it sees it: forged or malformed writes, foreign thread
    addresses, another's pending comment, edits of a published one, outdated moderation links.
    """

    def __init__(self, app, conf, store, signer, change_lock):
        self.app = app
        self.store = store
        # Isso's own signer (Isso.signer): edit cookies and moderation keys are its signatures.
        self.signer = signer
        self.cookie_max_age = conf.getint("general", "max-age")
        self.moderated = conf.getboolean("moderation", "enabled")
        self.site_origins = set(settings.site_origins(conf))
        self.public_origin = settings.public_origin(conf)
        self.require_email = conf.getboolean("guard", "enabled") and conf.getboolean("guard", "require-email")
        self.require_author = conf.getboolean("guard", "enabled") and conf.getboolean("guard", "require-author")
        # A commenter's edit and a moderator's decision on the same comment, in two
        # workers: each checks the comment then lets Isso act, and the other must not
        # change it in between. A comments.locks.FileLock: a dead holder releases it.
        self.change_lock = change_lock

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = web.route_path(environ)
        if method in WRITE_METHODS:
            refusal = self.check_write(environ, method, path)
            if refusal:
                status, key = refusal
                return web.error(start_response, status, MESSAGES[key])
        if not self.thread_uris_allowed(environ):
            return web.error(start_response, "400 Bad Request", MESSAGES["uri_invalid"])

        link = moderation_links.parse(path)
        if link and method in ("GET", "POST"):
            return self.moderation_link(environ, start_response, method, link[0], link[2])
        numbered = COMMENT_PATH.match(path)
        if numbered and method == "GET":
            if not self.own_comment(environ, int(numbered.group(1))):
                return web.error(start_response, "403 Forbidden", MESSAGES["not_own_comment"])
        elif numbered and method == "PUT" and self.moderated:
            return self.edit(environ, start_response, int(numbered.group(1)))
        return self.app(environ, start_response)

    def own_comment(self, environ, comment_id):
        """``GET /id/N`` (Isso's view, which the embed script calls before an edit) needs N's own edit cookie.

        Isso's view only checks that the cookie named N carries a valid signature, so
        renaming one's own cookie to N showed comment N, pending text included. As Isso's
        edit and delete do, the signed value must be [N, sha1 of N's current text].
        A number with no comment is left to Isso (404).
        """
        comment = self.store.comment(comment_id)
        if comment is None:
            return True
        try:
            value = self.signer.loads(Request(environ).cookies.get(str(comment_id), ""), max_age=self.cookie_max_age)
        except BadSignature:  # expired included
            return False
        return value == [comment_id, sha1(comment.text)]

    def edit(self, environ, start_response, comment_id):
        """``PUT /id/N``: a commenter may edit a comment while it awaits moderation, never once it is published.

        Refused rather than sent back to moderation: the published text stays what the
        moderator approved, and nothing has to disappear from the page or be announced
        to the moderator again.
        """

        def refusal():
            comment = self.store.comment(comment_id)
            if comment is not None and comment.mode == stores.PUBLISHED:
                return functools.partial(web.error, status="403 Forbidden", message=MESSAGES["published"])
            return None

        return self.changing(environ, start_response, refusal)

    def moderation_link(self, environ, start_response, method, comment_id, key):
        """``/id/N/<activate|delete|edit>/<key>``: the key must be for N and newer than what N now is.

        Isso checks only the key's signature, and acts on the number signed inside it
        whatever the address says. A link mailed about a comment its author edited
        since would publish a text the moderator never read, and one mailed about a
        deleted comment would act on the newer comment that took its number.
        """
        if method == "GET":  # the confirmation page (comments.moderation_pages): nothing changes yet
            refusal = self.moderation_refusal(comment_id, key)
            return refusal(start_response) if refusal else self.app(environ, start_response)
        return self.changing(environ, start_response, lambda: self.moderation_refusal(comment_id, key))

    def moderation_refusal(self, comment_id, key):
        try:
            signed_id, signed_at = self.signer.loads(key, max_age=MODERATION_KEY_MAX_AGE, return_timestamp=True)
        except BadSignature:
            return self.moderation_page("invalid", comment_id)
        if type(signed_id) is not int or signed_id != comment_id:
            return self.moderation_page("invalid", comment_id)
        comment = self.store.comment(comment_id)
        if comment is None:
            return None  # Isso answers 404
        if signed_before_last_change(signed_at.timestamp(), comment, self.store.last_deletion(comment_id)):
            return self.moderation_page("stale", comment_id)
        return None

    @staticmethod
    def moderation_page(reason, comment_id):
        """The answer (a function of start_response) that shows the moderator why nothing was done."""
        title, text = MODERATION_REFUSALS[reason]
        return lambda start_response: pages.answer(start_response, "403 Forbidden", title, text.format(id=comment_id))

    def changing(self, environ, start_response, refusal):
        """Run ``refusal()`` and, unless it returns an answer, Isso's change: no other edit or moderation in between."""
        if not self.change_lock.acquire(timeout=CHANGE_LOCK_TIMEOUT):
            return web.error(start_response, "503 Service Unavailable", MESSAGES["busy"], [("Retry-After", "5")])
        try:
            answer = refusal()
            if answer is not None:
                return answer(start_response)
            status, headers, body = web.call_buffered(self.app, environ)
        finally:
            self.change_lock.release()
        start_response(status, headers)
        return [body]

    @staticmethod
    def thread_uris_allowed(environ):
        """Every ``uri`` query parameter, whatever the route (/new, /, /feed, …), must be a site path.

        Parsed by werkzeug as Isso parses it, so that percent-escapes and repeated
        parameters mean the same to both; every value is checked, not only the first
        one Isso reads.
        """
        if not environ.get("QUERY_STRING"):
            return True
        return all(site_path(value) for value in Request(environ).args.getlist("uri"))

    def origin_allowed(self, environ):
        """A browser always sends Origin (or at least Referer) with a write; it must be ours.

        A request with neither comes from a non-browser client, which no visitor's
        browser can be tricked into sending, so it is let through: the JSON API's
        Content-Type is what stops a foreign page's form (see check_write).
        """
        return origin_allowed(environ, self.site_origins, self.public_origin, absent_allowed=True)

    def check_write(self, environ, method, path):
        if not self.origin_allowed(environ):
            return "403 Forbidden", "forbidden_origin"
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if method == "POST" and path == admin.LOGIN_PATH:
            if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
                return "403 Forbidden", "form_required"
            return None
        moderation = method == "POST" and moderation_links.parse(path)
        if not moderation and content_type != "application/json":
            return "403 Forbidden", "json_required"

        shape = validation.body_shape(method, path)
        if shape is None:
            return None
        # Parsed, its shape and field types checked, by validation.RequestValidation outside.
        data = environ[validation.PARSED_BODY]
        if shape is list:
            # Counts create no thread, but our pages only ever ask for site paths.
            if not all(site_path(item) for item in data):
                return "400 Bad Request", "uri_invalid"
            return None
        if path == "/new":
            return self.check_new_comment(data)
        # PUT /id/N and the moderator's edit change the name too (comments.commenter).
        refusal = commenter.name_refusal(data.get("author"))
        return refusal and ("400 Bad Request", refusal)

    def check_new_comment(self, data):
        refusal = commenter.new_comment_refusal(data, self.require_email, self.require_author)
        return refusal and ("400 Bad Request", refusal)


def clean_author(value):
    """An author name as safe HTML text, whether Isso escaped it (the API) or not (``isso import``).

    Unescaping first makes this idempotent: ``&amp;`` stays ``&amp;``, ``<b>`` becomes ``&lt;b&gt;``.
    """
    if not isinstance(value, str):
        return value
    return html.escape(html.unescape(value), quote=True)


def clean_website(value):
    """A website safe inside ``href='…'``: http(s) only, quotes escaped; anything else is dropped."""
    if not isinstance(value, str) or not value:
        return value
    raw = html.unescape(value).strip()
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(raw, quote=True)


def clean_comments(data):
    """Escape author and website in every comment of a JSON answer (lists, nested replies)."""
    if isinstance(data, list):
        for item in data:
            clean_comments(item)
    elif isinstance(data, dict):
        if "author" in data:
            data["author"] = clean_author(data["author"])
        if "website" in data:
            data["website"] = clean_website(data["website"])
        for key in ("replies",):
            if key in data:
                clean_comments(data[key])
    return data


class EscapeOutput:
    """Escapes author names and websites in Isso's JSON answers, imported data included."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return web.rewrite_json(self.app, environ, start_response, clean_comments)
