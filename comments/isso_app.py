"""Builds Isso's WSGI application as ``isso.make_app`` does, but keeps hold of the Isso instance and serves only what readers need.

``isso.make_app`` returns the instance wrapped in five layers, so nothing after it can
reach the instance's lock or its notification signals; it also serves Isso's demo page
(``/demo``) and probes the site over HTTP at start-up. Here the same layers are stacked
in the same order, without the demo, and the instance is returned beside the app so
that comments.wsgi can give it our lock and our moderation mail.
"""

import copy
from functools import reduce
from os.path import dirname, join

import isso
from isso import wsgi as isso_wsgi
from isso.core import ProcessMixin
from werkzeug.middleware.shared_data import SharedDataMiddleware

from comments import settings

# Isso's own static files: the embed script and its stylesheet, the admin page's script,
# style and logo. Not /demo, which no reader of our site needs.
STATIC_EXPORTS = ("js", "css", "img")


class ZoheIsso(isso.Isso, ProcessMixin):
    """Isso for several worker processes (``make_app(multiprocessing=True)``'s class)."""


def isso_conf(conf):
    """The configuration Isso itself is built from: ``conf`` less what our own layers do in its place.

    - Its guard (``[guard] enabled`` off): it runs after the ``new`` view has created the
      thread and counts per /24 for ever; comments.guard limits posting instead.
      ``require-email`` and ``require-author`` stay, which Isso sends to the embed script.
    - Its SMTP notifier ("smtp" left out of ``[general] notify``): it loses mail without a
      word and would try the SMTP server from the --preload master; comments.mail sends
      the moderators' mail instead. Isso reads ``notify`` only here, and with smtp alone
      warns once of an "unknown notification backend ''" (it cannot name no notifier).
      Reply notifications would bring its notifier back: they are refused.

    Our middleware reads the real configuration.
    """
    if conf.getboolean("general", "reply-notifications"):
        raise settings.ConfigurationError(
            "[general] reply-notifications doit rester à false\u00a0: les commentateurs ne reçoivent pas "
            "de courriel, seuls les modérateurs (comments/mail.py)."
        )
    own = copy.deepcopy(conf)
    own.set("guard", "enabled", "false")
    own.set("general", "notify", ", ".join(n for n in conf.getlist("general", "notify") if n.lower() != "smtp"))
    return own


def build(conf):
    """Return ``(app, instance)``: Isso's WSGI app with its own middleware, and the Isso object inside it."""
    instance = ZoheIsso(isso_conf(conf))
    package = dirname(isso.__file__)
    layers = [
        isso.local_manager.make_middleware,
        lambda app: SharedDataMiddleware(app, exports={f"/{name}": join(package, name) + "/" for name in STATIC_EXPORTS}),
        lambda app: isso_wsgi.CORSMiddleware(
            app,
            origin=isso.origin(conf.getiter("general", "host")),
            allowed=("Origin", "Referer", "Content-Type"),
            exposed=("X-Set-Cookie", "Date"),
        ),
        isso_wsgi.SubURI,
        isso.ProxyFixCustom,
    ]
    return reduce(lambda app, layer: layer(app), layers, instance), instance
