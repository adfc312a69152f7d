"""The comment server's health check: a route that proves a comment could be written now, and the command systemd runs against it.

A master process that stays up while its workers cannot write looks healthy to systemd:
when a worker died holding Isso's old lock, every ``POST /new`` waited forever and
nothing restarted. ``GET /health`` takes the write lock every new comment takes, with a
short wait, and reads the database; ``python -m comments.health`` asks it and exits 1
when it does not answer 200, and zohe-comments-health.service (deploy/systemd/, run by
its timer) then restarts the server.
"""

import argparse
import http.client
import json
import sqlite3
import sys
from urllib.parse import urlsplit

from comments import web

PATH = "/health"
# Longer than any holder should keep the write lock: an insert takes milliseconds, Isso's
# fetch of a new thread's page (no title given) up to its 3 s timeout.
LOCK_TIMEOUT = 5
# Above LOCK_TIMEOUT plus SQLite's busy timeout (comments.store), so that a slow but
# working server is not restarted.
PROBE_TIMEOUT = 20

MESSAGES = {
    "ok": "Le serveur de commentaires fonctionne.",
    "locked": "Le serveur de commentaires ne peut plus enregistrer de commentaire\u00a0: le verrou d’écriture est bloqué.",
    "database": "Le serveur de commentaires ne peut plus lire sa base de données.",
}


class HealthCheck:
    """Answers ``GET /health``: 200 when the write lock and the database answer, 503 otherwise."""

    def __init__(self, app, write_lock, store):
        self.app = app
        self.write_lock = write_lock
        self.store = store

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or web.route_path(environ) != PATH:
            return self.app(environ, start_response)
        headers = [("Cache-Control", "no-store")]
        if not self.write_lock.acquire(timeout=LOCK_TIMEOUT):
            return web.error(start_response, "503 Service Unavailable", MESSAGES["locked"], headers)
        try:
            self.store.generation()
        except sqlite3.Error:
            return web.error(start_response, "503 Service Unavailable", MESSAGES["database"], headers)
        finally:
            self.write_lock.release()
        return web.error(start_response, "200 OK", MESSAGES["ok"], headers)


def probe(url, timeout=PROBE_TIMEOUT):
    """``(healthy, French message)`` from the server's ``/health`` at ``url``."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", parts.path or PATH)
        response = connection.getresponse()
        body = response.read()
    except TimeoutError:
        return False, f"Le serveur de commentaires ne répond pas sur {url}\u00a0: rien en {timeout}\u00a0s."
    except ConnectionRefusedError:
        return False, f"Le serveur de commentaires ne répond pas sur {url}\u00a0: connexion refusée."
    except OSError as error:
        return False, f"Le serveur de commentaires ne répond pas sur {url}\u00a0: {error.strerror or error}."
    finally:
        connection.close()
    try:
        message = json.loads(body)["message"]
    except (ValueError, TypeError, KeyError):
        message = None
    return response.status == 200, message or f"Réponse {response.status} de {url}."


def default_url():
    """The server's own address, ``[server] listen`` of its configuration, plus /health."""
    from comments import settings

    conf = settings.load(create_folder=False)
    return conf.get("server", "listen").rstrip("/") + PATH


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m comments.health", description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="the /health address (default: [server] listen of the configuration)")
    arguments = parser.parse_args(argv)
    healthy, message = probe(arguments.url or default_url())
    print(message, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
