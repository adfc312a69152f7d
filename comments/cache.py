"""Caches rendered thread reads (``GET /?uri=``) and counts (``POST /count``) until the next write.

Stock Isso re-renders every comment (Markdown and bleach) on each read: about 19
requests/s for a 20-comment thread. Each worker keeps its rendered answers in memory,
tagged with the database's write generation (comments.store); every request reads that
generation first (one indexed row), so a new comment, an edit, a deletion, a vote or a
moderation decision, made by any worker or by the command line, empties every worker's
cache on its next request.

Only answers that are the same for every requester are cached: thread reads and counts
depend on the query alone (no cookie is read, none is set). The CORS headers, which
depend on the requester's Origin, are recomputed on each hit exactly as Isso does.
"""

import threading

from isso.wsgi import origin as isso_origin

from comments import web

MAX_ENTRIES = 1024
# Headers that are per request or per response and must not be replayed.
NOT_REPLAYED = {"access-control-allow-origin", "date", "content-length", "set-cookie", "x-set-cookie"}
# Tells operators (and the tests) whether an answer came from the cache.
CACHE_HEADER = "X-Zohe-Cache"


class ThreadCache:
    def __init__(self, app, conf, store):
        self.app = app
        self.store = store
        self.cors_origin = isso_origin(conf.getiter("general", "host"))
        self.lock = threading.Lock()
        self.generation = None
        self.entries = {}

    def key(self, environ):
        method = environ.get("REQUEST_METHOD")
        path = web.route_path(environ)
        if method == "GET" and path == "/":
            return ("GET /", environ.get("QUERY_STRING", ""))
        if method == "POST" and path == "/count":
            body = web.read_body(environ)
            return None if body is None else ("POST /count", body)
        return None

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)

        # Read the generation before rendering: a write that lands during rendering
        # moves it on, so what we store is never served after that write.
        generation = self.store.generation()
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
                self.generation = generation
            entry = self.entries.get(key)
        if entry is not None:
            return self.replay(entry, environ, start_response)

        status, headers, body = web.call_buffered(self.app, environ)
        if status.startswith("200") and not web.header(headers, "Set-Cookie"):
            kept = [(k, v) for k, v in headers if k.lower() not in NOT_REPLAYED]
            with self.lock:
                if self.generation == generation:
                    if len(self.entries) >= MAX_ENTRIES:
                        self.entries.clear()
                    self.entries[key] = (status, kept, body)
        start_response(status, headers + [(CACHE_HEADER, "miss")])
        return [body]

    def replay(self, entry, environ, start_response):
        status, headers, body = entry
        headers = headers + [
            ("Access-Control-Allow-Origin", self.cors_origin(environ)),
            ("Content-Length", str(len(body))),
            (CACHE_HEADER, "hit"),
        ]
        start_response(status, headers)
        return [body]
