"""Limits how often one address may post a comment, deciding before Isso touches the database; Isso's own guard replaced.

Isso's guard (isso/db/spam.py) runs inside its ``new`` view after the thread row is
made: every refused post on a new page address left a thread behind and emptied every
worker's cache (2,000 refusals in ten seconds left 2,000 threads). It counts top-level
comments per thread per /24 for ever, so the fourth reader behind one office network
or carrier NAT could never comment on that chronicle; it refuses a reply to a comment
from the same /24 (honest neighbours answering each other); and it answers in English
with the /24 and other commenters' comment numbers.

Here, with ``[guard] enabled``, the numbers of ``[guard]`` count per window: ``ratelimit``
posts per address per minute, ``direct-reply`` top-level comments per address per
thread per ``direct-reply-window``. A refusal writes nothing and is a 429 in French that
says when to retry, and nothing about anyone else. Isso's own guard is off
(comments.isso_app).
"""

import configparser
import math
import time

from werkzeug.wrappers import Request

from comments import settings, validation, web

# Isso's meaning of ``ratelimit``: posts per minute.
RATE_WINDOW = 60

MESSAGES = {
    "per_address": "Trop de commentaires envoyés depuis votre connexion en une minute\u00a0: "
    "réessayez dans {delay} (celui-ci n’a pas été enregistré).",
    "per_thread": "Trop de nouveaux commentaires envoyés sur cette page depuis votre connexion\u00a0: "
    "réessayez dans {delay} (celui-ci n’a pas été enregistré).",
}


def delay(seconds):
    """A wait in French words, rounded up: ``37\u00a0secondes``, ``1\u00a0minute``, ``59\u00a0minutes``, ``2\u00a0heures``."""
    if seconds < 60:
        unit, n = "seconde", max(1, math.ceil(seconds))
    elif seconds <= 90 * 60:
        unit, n = "minute", math.ceil(seconds / 60)
    else:
        unit, n = "heure", math.ceil(seconds / 3600)
    return f"{n}\u00a0{unit}{'s' if n > 1 else ''}"


def direct_reply_window(conf):
    """``[guard] direct-reply-window`` in seconds (Isso's durations: ``1h``, ``30m``, ``2s``)."""
    try:
        return conf.getint("guard", "direct-reply-window")
    except (configparser.Error, ValueError) as e:
        raise settings.ConfigurationError(
            "[guard] direct-reply-window manque ou n’est pas une durée (par exemple 1h) dans la configuration d’Isso."
        ) from e


class PostLimits:
    """Refuses ``POST /new`` past the limits of ``[guard]``, before Isso sees it; counts what Isso stores."""

    def __init__(self, app, conf, store, clock=time.time):
        self.app = app
        self.store = store
        self.enabled = conf.getboolean("guard", "enabled")
        self.per_address = (conf.getint("guard", "ratelimit"), RATE_WINDOW)
        self.per_thread = (conf.getint("guard", "direct-reply"), direct_reply_window(conf))
        self.trusted_proxies = settings.trusted_proxies(conf)
        self.clock = clock

    def __call__(self, environ, start_response):
        if not self.enabled or environ.get("REQUEST_METHOD") != "POST" or web.route_path(environ) != "/new":
            return self.app(environ, start_response)
        # The thread as Isso's view reads it; without one, Isso refuses the post itself.
        uri = Request(environ).args.get("uri")
        # Parsed and checked to be an object by comments.validation, outside this layer.
        data = environ[validation.PARSED_BODY]
        if uri is None:
            return self.app(environ, start_response)  # Isso refuses it

        address = web.counted_address(web.client_address(environ, self.trusted_proxies))
        now = self.clock()
        parent = data.get("parent")
        # As Isso's view will store it: a parent that is not a comment of this thread
        # (none, 0, unknown, another chronicle's) makes a top-level comment.
        reply = isinstance(parent, int) and parent != 0 and self.store.comment_in_thread(parent, uri)
        thread = None if reply else uri
        row, refusal = self.store.admit_post(address, thread, now, self.per_address, self.per_thread)
        if refusal:
            limit, retry_at = refusal
            seconds = max(1, math.ceil(retry_at - now))
            message = MESSAGES[limit].format(delay=delay(seconds))
            return web.error(start_response, "429 Too Many Requests", message, [("Retry-After", str(seconds))])

        # Counted before Isso stores the comment, so that a concurrent post sees it; taken
        # back if Isso stores nothing (a text too short, an error).
        try:
            status, headers, body = web.call_buffered(self.app, environ)
        except BaseException:
            self.store.forget_post(row)
            raise
        if not status.startswith(("201", "202")):
            self.store.forget_post(row)
        start_response(status, headers)
        return [body]
