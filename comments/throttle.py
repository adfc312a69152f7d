"""Throttles the admin login: 5 failures from one address within 15 minutes lock it out for 15 minutes.

The counts live in the database (comments.store) so that every gunicorn worker sees
the same failures; a per-process counter would let an attacker multiply its attempts
by the number of workers.
"""

import time

from comments import admin, settings, web

MAX_FAILURES = 5
WINDOW = 15 * 60
LOCKOUT = 15 * 60

MESSAGE = "Trop de tentatives de connexion\u00a0: réessayez dans un quart d’heure."


class LoginThrottle:
    def __init__(self, app, conf, store, clock=time.time):
        self.app = app
        self.store = store
        self.trusted_proxies = settings.trusted_proxies(conf)
        self.clock = clock

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or web.route_path(environ) != admin.LOGIN_PATH:
            return self.app(environ, start_response)

        # As the limits on posting count: one IPv6 subscriber holds a whole /64.
        address = web.counted_address(web.client_address(environ, self.trusted_proxies))
        now = self.clock()
        until = self.store.lockout_until(address, now)
        if until:
            return self.refuse(start_response, until - now)

        status, headers, body = web.call_buffered(self.app, environ)
        # The login (comments.admin) answers a right password with a redirect to the
        # admin page and a wrong (or missing) one with the login page again.
        if status.startswith("302") and web.header(headers, "Set-Cookie"):
            self.store.clear_login_failures(address)
        else:
            # The failure that reaches the limit still gets its login page; the lockout
            # starts with the next attempt.
            self.store.record_login_failure(address, now, WINDOW, MAX_FAILURES, LOCKOUT)
        start_response(status, headers)
        return [body]

    def refuse(self, start_response, seconds):
        return web.error(
            start_response,
            "429 Too Many Requests",
            MESSAGE,
            headers=[("Retry-After", str(max(1, int(seconds + 0.999))))],
        )
