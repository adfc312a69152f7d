"""The commenter's own data pages, in French and without script: ask for a link by e-mail, open it, see every comment stored with the address, download it as JSON, erase it.

Routes under commenter_data.PATH (``/isso/mes-donnees`` behind nginx):

- ``GET`` the page itself: the form that asks for an address; ``POST`` it: the link is
  queued in the durable outbox (comments.mail sends it to that address) and the answer
  is the same page, whatever the address holds: nothing is read of its comments in the
  request, so neither its words nor its time tell whether it has any;
- ``GET acces?jeton=…`` (the e-mailed link): what it opens, and a button; ``POST``: the
  link is used up and a session opened (comments.data_links), then ``commentaires``;
- ``GET commentaires``: the comments, each with its erasure button; ``GET telecharger``:
  the JSON file; ``POST effacer``: erases one (``numero``) or all (``tous``, confirmed).

Asking is limited per client address (a refusal in French, 429) and per e-mail address
(silently: the answer must not differ). Every step is logged at INFO for the moderators
with a keyed hash of the address (DataLinks.address_key), never the address. The posts
must come from our own pages (Origin or Referer), and the session cookie is HttpOnly,
SameSite=Strict and confined to these pages.
"""

import html
import logging
import sqlite3
import time
from datetime import datetime
from urllib.parse import parse_qsl, quote
from zoneinfo import ZoneInfo

import commenter_data
import french_words
from comments import commenter, data_links, hardening, own_data, settings, web
from comments.moderation_pages import paragraphs

logger = logging.getLogger("zohe.data")
PARIS = ZoneInfo("Europe/Paris")
COOKIE = "zohe-donnees"
# Asking for links, per link's lifetime (the requests are kept that long, comments.data_links):
# so many per client address (refused in French), so many per e-mail address (silently).
PER_CLIENT = 5
PER_ADDRESS = 3
# Links mailed by the whole server in a link's lifetime: many connections (addresses, /64s)
# cannot make it mail strangers without end. Past it nothing is sent, the reader is told so
# (a fact about the server, the same whatever address is asked) and the moderators' log too.
PER_SERVER = 50
# How often a worker deletes the links and requests that have served (DataLinks.forget_ended).
FORGET_EVERY = 60
MAIL_KIND = "data-link"

PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    # The link's address holds its token: what a page links to learns the origin alone.
    '<meta name="referrer" content="strict-origin"><meta name="robots" content="noindex">'
    "<title>{title} — Zôhé</title></head><body><main><h1>{title}</h1>{content}"
    '<p><a href="{site}">Revenir au site</a></p></main></body></html>'
)
LIFETIME = commenter_data.LIFETIME_WORDS
ASK = (
    "<p>Indiquez l’adresse électronique donnée avec vos commentaires. Nous y envoyons un lien, valable "
    f"{LIFETIME} et utilisable une seule fois, qui ouvre la liste de tous les commentaires enregistrés avec "
    "cette adresse (publiés, en attente ou retenus)\u00a0: vous pourrez les télécharger ou les effacer.</p>"
    '<form method="post"><p><label for="adresse">Votre adresse électronique</label> '
    '<input type="email" id="adresse" name="adresse" required maxlength="254" autocomplete="email"{typed}></p>'
    '<p><button type="submit">Recevoir le lien</button></p></form>'
)
INVALID = '<p id="adresse-erreur">Cette adresse électronique n’est pas valable\u00a0: vérifiez-la.</p>'


def ask_form(typed=None):
    """The request form, empty, or with the address the commenter typed and what is wrong with it."""
    if typed is None:
        return ASK.format(typed="")
    return INVALID + ASK.format(typed=f' value="{html.escape(typed)}" aria-invalid="true" aria-describedby="adresse-erreur"')


TEXTS = {
    "ask": ("Vos commentaires\u00a0: les retrouver ou les effacer", ask_form()),
    "sent": ("Regardez votre messagerie",
             "<p>Un lien part vers l’adresse indiquée\u00a0: il y arrive dans quelques minutes. "
             f"Il est valable {LIFETIME} et ne sert qu’une fois. Pensez à regarder aussi parmi les indésirables.</p>"),
    "limited": ("Trop de demandes",
                f"<p>Trop de liens demandés depuis votre connexion\u00a0: réessayez dans {LIFETIME}.</p>"),
    "busy": ("Trop de demandes",
             "<p>Le site a envoyé beaucoup de liens dans l’heure : aucun n’est parti cette fois. "
             f"Réessayez dans {LIFETIME}.</p>"),
    "no_mail": ("Service indisponible",
                "<p>Ce serveur n’envoie pas de courriels pour l’instant\u00a0: écrivez-nous à "
                '<a href="mailto:contact@zohe.fr">contact@zohe.fr</a>.</p>'),
    "open": ("Ouvrir vos commentaires",
             "<p>Ce lien ne sert qu’une fois\u00a0: le bouton l’utilise et ouvre vos commentaires pour "
             f"{LIFETIME} au plus.</p><form method=\"post\"><p><button type=\"submit\">Voir mes commentaires</button></p></form>"),
    data_links.FORGED: ("Lien non valable",
                        "<p>Ce lien n’est pas valable\u00a0: il a été mal copié ou modifié. Demandez un nouveau lien.</p>"),
    data_links.EXPIRED: ("Lien expiré",
                         f"<p>Ce lien a expiré\u00a0: il n’est valable que {LIFETIME}. Demandez un nouveau lien.</p>"),
    data_links.USED: ("Lien déjà utilisé",
                      "<p>Ce lien a déjà servi\u00a0: chaque lien ne s’utilise qu’une fois. Demandez un nouveau lien.</p>"),
    "no_session": ("Session terminée",
                   f"<p>Cette page n’est plus ouverte (elle l’est {LIFETIME} au plus)\u00a0: demandez un nouveau lien.</p>"),
    "forbidden": ("Demande refusée", "<p>Cette demande ne vient pas d’une page du site Zôhé\u00a0: rien n’a été fait.</p>"),
    "missing": ("Page introuvable", "<p>Cette page n’existe pas.</p>"),
    "unconfirmed": ("Rien n’a été effacé",
                    "<p>Cochez la case qui confirme que l’effacement est définitif, puis recommencez.</p>"),
}
STATUS = {data_links.FORGED: "403 Forbidden", data_links.EXPIRED: "410 Gone", data_links.USED: "410 Gone",
          "no_session": "403 Forbidden", "forbidden": "403 Forbidden", "missing": "404 Not Found",
          "limited": "429 Too Many Requests", "busy": "429 Too Many Requests", "unconfirmed": "400 Bad Request"}
ASK_AGAIN = '<p><a href="{page}">Demander un nouveau lien</a></p>'


class DataPages:
    """Serves the pages of commenter_data.PATH; passes every other request on."""

    def __init__(self, app, conf, links, store, mail=None, clock=time.time):
        self.app, self.links, self.store, self.mail, self.clock = app, links, store, mail, clock
        self.site = (settings.site_origins(conf) or [""])[0]
        self.site_origins, self.public_origin = settings.site_origins(conf), settings.public_origin(conf)
        self.endpoint = conf.get("server", "public-endpoint")
        self.trusted_proxies = settings.trusted_proxies(conf)
        self.secure = settings.production()
        self.forgotten_at = 0.0

    def __call__(self, environ, start_response):
        if self.clock() - self.forgotten_at > FORGET_EVERY:
            self.forgotten_at = self.clock()
            try:
                self.links.forget_ended()
            except sqlite3.Error:
                # Never at a reader's cost: the next minute's request tries again.
                logger.warning("data page: the links that have served could not be deleted", exc_info=True)
        path = web.route_path(environ)
        if path != commenter_data.PATH and not path.startswith(commenter_data.PATH + "/"):
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method == "HEAD":
            method = "GET"
        route = path[len(commenter_data.PATH):].strip("/")
        allowed = {"": ("GET", "POST"), "acces": ("GET", "POST"), "commentaires": ("GET",),
                   "telecharger": ("GET",), "effacer": ("POST",)}.get(route)
        if allowed is None:
            return self.page(environ, start_response, "missing")
        if method not in allowed:
            start_response("405 Method Not Allowed", [("Allow", ", ".join(allowed)), ("Content-Length", "0")])
            return [b""]
        if method == "POST" and not hardening.origin_allowed(environ, self.site_origins, self.public_origin,
                                                             absent_allowed=False):
            logger.info("data page: a post to %s from another origin refused", route or "the request form")
            return self.page(environ, start_response, "forbidden")
        if route == "":
            return self.ask(environ, start_response) if method == "POST" else self.page(environ, start_response, "ask")
        if route == "acces":
            return self.open_link(environ, start_response, method)
        session = self.links.session(_cookie(environ))
        if session is None:
            return self.page(environ, start_response, "no_session")
        address, expires = session
        if route == "commentaires":
            return self.listing(environ, start_response, address, expires)
        if route == "telecharger":
            return self.download(start_response, address)
        return self.erase(environ, start_response, address)

    # Asking for a link -------------------------------------------------------------

    def ask(self, environ, start_response):
        address = _form(environ).get("adresse", "").strip()
        if not commenter.valid_email(address):
            return self.page(environ, start_response, None, status="400 Bad Request", title="Adresse à corriger",
                             content=ask_form(address))
        if self.mail is None:
            return self.page(environ, start_response, "no_mail", status="200 OK")
        client = web.counted_address(web.client_address(environ, self.trusted_proxies))
        key = self.links.address_key(address)
        now = self.clock()
        window = self.links.lifetime
        with self.store.write_transaction() as con:
            # The server's limit before the address's: its answer must not depend on the address.
            if _count(con, "client " + client, now, window) >= PER_CLIENT:
                limited = "client"
            elif _count(con, "server", now, window) >= PER_SERVER:
                limited = "server"
            elif _count(con, "address " + key, now, window) >= PER_ADDRESS:
                limited = "address"
            else:
                limited = None
                # On the transaction's connection (the store's, of this thread): queued with its link or not at all.
                self.store.queue_mail(self.links.issue(con, address), 0, "", self.endpoint or _own_endpoint(environ), now,
                                      kind=MAIL_KIND)
                con.execute("INSERT INTO zohe_data_requests (key, at) VALUES ('server', ?)", (now,))
            if limited != "client":
                con.executemany("INSERT INTO zohe_data_requests (key, at) VALUES (?, ?)",
                                [("client " + client, now), ("address " + key, now)])
        if limited == "client":
            logger.info("data page: address %s: link refused, too many requests from one connection", key)
            return self.page(environ, start_response, "limited", extra=[("Retry-After", str(window))])
        if limited == "address":
            logger.info("data page: address %s: link not sent, too many asked for this address", key)
        elif limited == "server":
            logger.warning("data page: address %s: link not sent, %d links mailed in the last %d s (the server's limit)",
                           key, PER_SERVER, window)
            return self.page(environ, start_response, "busy", extra=[("Retry-After", str(window))])
        else:
            logger.info("data page: address %s: link queued", key)
            self.mail.start()
            self.mail.wake()
        return self.page(environ, start_response, "sent", status="200 OK")

    def message(self, mail, outgoing):
        """The e-mail of an outbox row of MAIL_KIND (comments.mail): ``(message, recipient, what the log says)``, or None when the link can no longer serve."""
        found = self.links.to_send(outgoing.comment_id)
        if found is None:
            return None
        address, token = found
        key = self.links.address_key(address)
        link = f"{outgoing.endpoint.rstrip('/')}{commenter_data.PATH}/acces?jeton={quote(token)}"
        message = mail.new_message("Vos commentaires sur le site Zôhé", to=address)
        message.set_content("\n".join([
            "Bonjour,",
            "",
            "Quelqu’un, sans doute vous, a demandé sur le site Zôhé à voir les commentaires enregistrés avec "
            "cette adresse électronique, pour les télécharger ou les effacer. Ce lien les ouvre\u00a0:",
            "",
            link,
            "",
            f"Il est valable {LIFETIME} et ne sert qu’une fois.",
            "Si vous n’avez rien demandé, ignorez ce message\u00a0: rien ne sera fait.",
            "",
        ]), cte="quoted-printable")
        return message, address, f"data link for address {key}"

    # Using the link --------------------------------------------------------------

    def open_link(self, environ, start_response, method):
        token = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("jeton", "")
        if method == "GET":
            verdict = self.links.check(token)
            return self.page(environ, start_response, "open" if verdict == "ok" else verdict,
                             status="200 OK" if verdict == "ok" else None)
        verdict, session, address = self.links.use(token)
        if verdict != "ok":
            logger.info("data page: link refused (%s)", verdict)
            return self.page(environ, start_response, verdict)
        logger.info("data page: address %s: link used, session opened", self.links.address_key(address))
        prefix = environ.get("HTTP_X_SCRIPT_NAME", "")
        cookie = (f"{COOKIE}={session}; Path={prefix}{commenter_data.PATH}; Max-Age={self.links.lifetime}; "
                  "HttpOnly; SameSite=Strict" + ("; Secure" if self.secure else ""))
        start_response("303 See Other", [("Location", "commentaires"), ("Set-Cookie", cookie),
                                         ("Cache-Control", "no-store"), ("Content-Length", "0")])
        return [b""]

    # The session's pages -----------------------------------------------------------

    def listing(self, environ, start_response, address, expires, notice=""):
        comments = own_data.comments_of(self.store, address)
        until = datetime.fromtimestamp(expires, PARIS)
        count = len(comments)
        content = notice + (
            f"<p>Commentaires enregistrés avec l’adresse <strong>{html.escape(address)}</strong>\u00a0: {count}.</p>"
            f"<p>Cette page reste ouverte jusqu’à {until.hour}\u00a0h\u00a0{until.minute:02d}.</p>"
        )
        if comments:
            content += ('<p><a href="telecharger" download="' + own_data.FILE_NAME + '">'
                        "Télécharger tous mes commentaires (fichier JSON)</a></p>")
            content += "".join(self.described(comment) for comment in comments)
            content += (
                '<form method="post" action="effacer"><h2>Tout effacer</h2>'
                "<p>L’effacement est définitif. Les réponses d’autres personnes à vos commentaires restent lisibles, "
                "sous «\u00a0Réponse supprimée\u00a0».</p>"
                '<p><input type="checkbox" id="confirme" name="confirme" value="oui" required> '
                '<label for="confirme">Je comprends que l’effacement est définitif.</label></p>'
                '<p><button type="submit" name="numero" value="tous">Effacer tous mes commentaires</button></p></form>'
            )
        logger.info("data page: address %s: %s comment(s) listed", self.links.address_key(address), count)
        return self.page(environ, start_response, None, status="200 OK", title="Vos commentaires", content=content)

    def described(self, comment):
        number = comment["numéro"]
        written = datetime.fromisoformat(comment["écrit le"]).astimezone(PARIS)
        title = comment["titre de la page"] or comment["page"]
        page = html.escape(self.site + comment["page"])
        return (
            f'<section aria-labelledby="commentaire-{number}"><h2 id="commentaire-{number}">Commentaire n°\u00a0{number}</h2>'
            f'<p>Sur <a href="{page}">{html.escape(title)}</a>, {french_words.moment(written)}, '
            f"{html.escape(comment['état'])}, signé «\u00a0{html.escape(comment['nom'] or french_words.ANONYMOUS)}\u00a0».</p>"
            f"<blockquote>{paragraphs(comment['texte'])}</blockquote>"
            f'<form method="post" action="effacer"><p><button type="submit" name="numero" value="{number}">'
            f"Effacer le commentaire n°\u00a0{number}</button></p></form></section>"
        )

    def download(self, start_response, address):
        comments = own_data.comments_of(self.store, address)
        body = own_data.export(address, comments, self.clock())
        logger.info("data page: address %s: %s comment(s) downloaded", self.links.address_key(address), len(comments))
        start_response("200 OK", [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Disposition", f'attachment; filename="{own_data.FILE_NAME}"'),
            ("Cache-Control", "no-store"), ("Content-Length", str(len(body))), web.FRENCH])
        return [body]

    def erase(self, environ, start_response, address):
        chosen = _form(environ).get("numero", "")
        if chosen == "tous":
            if _form(environ).get("confirme") != "oui":
                return self.page(environ, start_response, "unconfirmed")
            numbers = None
        elif chosen.isdigit() and len(chosen) < 12:
            numbers = [int(chosen)]
        else:
            return self.page(environ, start_response, "missing")
        erased = own_data.erase(self.store, address, numbers)
        logger.info("data page: address %s: comment(s) %s erased", self.links.address_key(address),
                    ", ".join(map(str, erased)) or "none")
        if erased:
            plural = "s" if len(erased) > 1 else ""
            notice = (f'<p role="status">{len(erased)}\u00a0commentaire{plural} effacé{plural}. Les pages du site le '
                      "montreront à leur prochaine mise à jour, dans quelques minutes.</p>")
        else:
            notice = '<p role="status">Rien à effacer\u00a0: ce commentaire n’est plus enregistré.</p>'
        session = self.links.session(_cookie(environ))
        return self.listing(environ, start_response, address, session[1] if session else self.clock(), notice)

    # Answers -------------------------------------------------------------------------

    def page(self, environ, start_response, key, status=None, title=None, content=None, extra=()):
        if key is not None:
            title, content = TEXTS[key]
            if key in (data_links.FORGED, data_links.EXPIRED, data_links.USED, "no_session"):
                content += ASK_AGAIN.format(page=html.escape(environ.get("HTTP_X_SCRIPT_NAME", "") + commenter_data.PATH))
        status = status or STATUS.get(key, "200 OK")
        body = PAGE.format(title=html.escape(title, quote=False), content=content,
                           site=html.escape(self.site + "/" if self.site else "/")).encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                ("Content-Length", str(len(body))), web.FRENCH, *extra])
        return [body]


def _count(con, key, now, window):
    return con.execute("SELECT COUNT(*) FROM zohe_data_requests WHERE key = ? AND at > ?", (key, now - window)).fetchone()[0]


def _form(environ):
    """The posted form's fields (the first of a repeated one); none when the body is unreadable."""
    body = web.read_body(environ) or b""
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeError, ValueError):
        pairs = []
    return {name: value for name, value in reversed(pairs)}


def _own_endpoint(environ):
    """This server's address as the request reached it, for a server without ``[server] public-endpoint``."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('HTTP_X_SCRIPT_NAME', '')}"


def _cookie(environ):
    for part in environ.get("HTTP_COOKIE", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None
