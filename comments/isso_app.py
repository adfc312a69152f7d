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

# Isso's own static files: the embed script and its stylesheet, the admin page's script,
# style and logo. Not /demo, which no reader of our site needs.
STATIC_EXPORTS = ("js", "css", "img")


class ZoheIsso(isso.Isso, ProcessMixin):
    """Isso for several worker processes (``make_app(multiprocessing=True)``'s class)."""


def without_isso_guard(conf):
    """A copy of ``conf`` with ``[guard] enabled`` off, for Isso alone: comments.guard limits posting instead.

    Isso's guard runs after its ``new`` view has created the thread, and counts per /24
    for ever. Every other value stays, ``require-email`` and ``require-author`` included,
    which Isso sends to the embed script; our middleware reads the real configuration.
    """
    own = copy.deepcopy(conf)
    own.set("guard", "enabled", "false")
    return own


def build(conf):
    """Return ``(app, instance)``: Isso's WSGI app with its own middleware, and the Isso object inside it."""
    instance = ZoheIsso(without_isso_guard(conf))
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
