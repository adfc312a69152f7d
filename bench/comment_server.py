"""Benchmark of thread reads (a 20-comment thread) and of `POST /count` (a listing's ten chronicles), through gunicorn with 2 workers: our server against stock Isso.

Run: ``.venv/bin/python -m bench.comment_server`` (``invoke bench`` calls :func:`run`).
Both servers run the same gunicorn command (``--preload -w 2``) on loopback with a
fresh database holding the same 20 published comments; the load comes from a few
client processes that open one connection per request, as gunicorn's sync workers
close each one.
"""

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench import gunicorn_server

URI = "/chroniques/banc-d-essai/"
# What a listing page asks: the counts of its chronicles (the benchmark thread among them).
COUNTED = [URI] + [f"/chroniques/autre-{n}/" for n in range(9)]
COMMENT = (
    "Merci pour cette chronique n°{n}. Je retiens surtout **l’idée de coopération** entre "
    "indépendant·e·s, et la [charte](https://example.org/charte) citée plus haut.\n\n"
    "> Travailler seul·e, oui ; isolé·e, non.\n\n"
    "Deux questions :\n\n1. comment se partagent les frais ?\n2. qui décide des *nouvelles* entrées ?\n\n"
    "À bientôt, et `bon courage` pour la suite !"
)
APPS = {"ours": "comments.wsgi:application", "stock": "isso.run:application"}


def populate(base, comments=20):
    """Publish ``comments`` comments on the benchmark thread (moderation is off in the bench config)."""
    for n in range(comments):
        body = json.dumps({"text": COMMENT.format(n=n + 1), "author": f"Lectrice {n + 1}",
                           "email": f"lectrice{n + 1}@example.org", "title": "Banc d’essai"}).encode()
        request = urllib.request.Request(f"{base}/new?uri={URI}", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 201, r.status


def _get(port, request):
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    elapsed = time.perf_counter() - started
    return elapsed, b"".join(chunks[:1])[:12] == b"HTTP/1.1 200"


def _request(port, kind):
    """The raw HTTP request of one `kind` of read: "thread" (GET) or "count" (POST /count)."""
    if kind == "thread":
        return f"GET /?uri={URI} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    body = json.dumps(COUNTED).encode()
    return (f"POST /count HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def _load(port, kind, duration, threads):
    """One client process: ``threads`` loops of requests until the deadline; returns (latencies, errors)."""
    request = _request(port, kind)
    deadline = time.perf_counter() + duration
    latencies, errors = [], []

    def loop():
        while time.perf_counter() < deadline:
            try:
                elapsed, ok = _get(port, request)
            except OSError:
                errors.append(1)
                continue
            (latencies if ok else errors).append(elapsed)

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, len(errors)


def measure(port, kind="thread", duration=5.0, processes=2, threads=4, warmup=1.0):
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_load, [port] * processes, [kind] * processes, [warmup] * processes, [threads] * processes))
        started = time.perf_counter()
        results = list(pool.map(_load, [port] * processes, [kind] * processes, [duration] * processes,
                                [threads] * processes))
        elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    if not latencies:
        return {"requests": 0, "errors": errors}
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2),
    }


KINDS = ("thread", "count")
ADMIN_PASSWORD = "bench-only-password"


def _server(directory, app, workers):
    """A throwaway gunicorn of ``APPS[app]`` in ``directory``, moderation off so that comments publish at once."""
    port = gunicorn_server.free_port()
    config = gunicorn_server.write_config(directory, port, moderation={"enabled": "false"},
                                          admin={"password": ADMIN_PASSWORD})
    return gunicorn_server.Gunicorn(Path(directory), port, config, app=APPS[app], workers=workers,
                                    env={"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD})


def run(duration=5.0, comments=20, workers=2, processes=2, threads=4, apps=("ours", "stock")):
    """Benchmark each app; return ``{kind: {app: {requests_per_second, p50_ms, p99_ms, …}}}``."""
    figures = {kind: {} for kind in KINDS}
    for name in apps:
        with tempfile.TemporaryDirectory(prefix=f"zohe-bench-{name}-") as directory:
            with _server(directory, name, workers) as server:
                populate(server.base, comments)
                with urllib.request.urlopen(f"{server.base}/?uri={URI}", timeout=30) as r:
                    served = len(json.load(r)["replies"])
                assert served == comments, f"{name} serves {served} comments, not {comments}"
                counted = urllib.request.Request(f"{server.base}/count", data=json.dumps(COUNTED).encode(),
                                                 method="POST", headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(counted, timeout=30) as r:
                    assert json.load(r)[0] == comments, f"{name} counts the thread wrong"
                for kind in KINDS:
                    figures[kind][name] = measure(server.port, kind, duration, processes, threads)
                    figures[kind][name]["command"] = f"gunicorn --preload -w {workers} {APPS[name]}"
    return figures


def race(app="stock", comments=400, clients=16, workers=2):
    """Post ``comments`` comments from ``clients`` threads; count answers that carry someone else's comment.

    Reproduces the stock ``isso.run`` bug (each worker its own lock): measured here,
    15 wrong answers in 1,200 for stock Isso, none for ours.
    """
    from concurrent.futures import ThreadPoolExecutor

    with tempfile.TemporaryDirectory(prefix=f"zohe-race-{app}-") as directory:
        with _server(directory, app, workers) as server:

            def post(n):
                body = json.dumps({"text": f"Commentaire {n}.", "author": f"Auteur {n}",
                                   "email": f"a{n}@example.org", "title": "Course"}).encode()
                request = urllib.request.Request(f"{server.base}/new?uri=/course/", data=body, method="POST",
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=30) as r:
                    return json.load(r)["author"] != f"Auteur {n}"

            with ThreadPoolExecutor(clients) as pool:
                wrong = sum(pool.map(post, range(comments)))
    return {"app": app, "comments": comments, "wrong_answers": wrong}


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.comment_server", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per server")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="client threads per process")
    parser.add_argument("--only", choices=sorted(APPS), help="benchmark one server only")
    parser.add_argument("--race", action="store_true", help="count mixed-up answers to concurrent POST /new instead")
    args = parser.parse_args()
    if args.race:
        for app in (args.only,) if args.only else ("stock", "ours"):
            print(race(app))
        return
    apps = (args.only,) if args.only else ("ours", "stock")
    figures = run(args.duration, processes=args.processes, threads=args.threads, apps=apps)
    for kind, by_app in figures.items():
        for name, f in by_app.items():
            print(f"{kind:6} {name:5}  {f.get('requests_per_second', 0):8.1f} req/s  p50 {f.get('p50_ms', 0):7.2f} ms  "
                  f"p99 {f.get('p99_ms', 0):7.2f} ms  ({f['requests']} requests, {f['errors']} errors)  {f['command']}")


if __name__ == "__main__":
    main()
