"""`invoke bench`: measure what each user waits for and write it, with the commands, to BENCHMARKS.md.

Build figures come from a child process per corpus size (`python -m publish.bench
build-child`), so each has its own peak memory and a clean Pelican.

Figures from one run are compared with each other as ratios (these machines
are shared and noisy); absolute numbers are reported for the record only.
"""

from datetime import date
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from publish.build import ROOT, build
from publish.weight import CRITICAL_BUDGET, TOTAL_BUDGET, page_weight

BENCH_SITEURL = "https://zohe.example"
NOTES_MARKER = "<!-- Notes written by hand: invoke bench keeps what follows. -->"
# Corpus sizes of the build benchmark; Hugo builds the 1,000-chronicle one beside ours.
HUGO_SITE = ROOT / "bench" / "hugo"
DEFAULT_SIZES = (100, 1000, 5000)
COMPARED_SIZE = 1000
# Runs of each repeatable build figure at that size (ours and Hugo's); the fastest is reported.
BEST_OF = 3
# What Pagefind indexes in the comparisons: the chronicles, the same pages in Hugo's output and ours.
CHRONICLE_PAGES = ["chroniques/*/index.html"]
PAGE_TYPES = {
    "home": "index.html",
    "chronicle": "chroniques/la-juste-mesure/index.html",
    "page": "notre-promesse/index.html",
    "offer": "adhesion/index.html",
    "archives": "archives/index.html",
    "category": "categories/les-chroniques-de-zohe/index.html",
    "tag": "mots-cles/marketing/index.html",
    "author": "auteurs/jean-nathalie/index.html",
    "search (Pagefind's interface included)": "recherche/index.html",
    "404": "404.html",
}


def _production_build(output):
    saved = os.environ.get("ZOHE_SITEURL")
    os.environ["ZOHE_SITEURL"] = BENCH_SITEURL
    try:
        started = time.perf_counter()
        build(prod=True, output=output)
        return time.perf_counter() - started
    finally:
        if saved is None:
            os.environ.pop("ZOHE_SITEURL", None)
        else:
            os.environ["ZOHE_SITEURL"] = saved


def page_weights():
    """Bytes of each page type, raw/gzip/brotli, critical path and total."""
    with tempfile.TemporaryDirectory(prefix="zohe-bench-") as scratch:
        output = Path(scratch) / "output"
        seconds = _production_build(output)
        comments = BENCH_SITEURL + "/isso"
        weights = {
            name: page_weight(output, page, siteurl=BENCH_SITEURL, exclude=(comments,))
            for name, page in PAGE_TYPES.items()
        }
    return seconds, weights


def _kb(n):
    return f"{n / 1024:.1f}"


def report(seconds, weights, comment_figures):
    today = date.today().isoformat()
    lines = [
        "# Benchmarks",
        "",
        f"Measured on {today}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        "by `invoke bench` (`.venv/bin/invoke bench`). Figures of one run are meant to be "
        "compared with each other; absolute times vary with the machine's load.",
        "",
        "## Pages",
        "",
        f"Production build of the real site: {seconds:.2f} s. Sizes in KB; budgets: critical "
        f"path (HTML + render-blocking CSS) ≤ {_kb(CRITICAL_BUDGET)} KB brotli, everything the "
        f"page loads (the comment script excepted) ≤ {_kb(TOTAL_BUDGET)} KB brotli.",
        "",
        "| page | critical raw | critical gzip | critical brotli | total raw | total gzip | total brotli | within budget |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, weight in weights.items():
        ok = weight.critical["brotli"] <= CRITICAL_BUDGET and weight.total["brotli"] <= TOTAL_BUDGET
        lines.append(
            f"| {name} | {_kb(weight.critical['raw'])} | {_kb(weight.critical['gzip'])} | "
            f"{_kb(weight.critical['brotli'])} | {_kb(weight.total['raw'])} | "
            f"{_kb(weight.total['gzip'])} | {_kb(weight.total['brotli'])} | {'yes' if ok else 'NO'} |"
        )
    lines += [
        "",
        "## Comment server",
        "",
        "Through gunicorn with 2 workers (`--preload -w 2`), ours (`comments.wsgi:application`) "
        "against stock Isso (`isso.run:application`) served the same way, from a bounded load "
        "generator on loopback: reads of a 20-comment thread (`GET /?uri=…`), and the counts a "
        "listing page asks for (`POST /count` of ten chronicles).",
        "",
        "| request | server | requests/s | p50 (ms) | p99 (ms) | requests | errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    labels = {"thread": "thread read", "count": "`POST /count`"}
    ratios = []
    for kind, by_app in comment_figures.items():
        for name, figures in by_app.items():
            lines.append(
                f"| {labels.get(kind, kind)} | {name} | {figures.get('requests_per_second', 0):.0f} | "
                f"{figures.get('p50_ms', 0):.1f} | {figures.get('p99_ms', 0):.1f} | {figures['requests']} | "
                f"{figures['errors']} |"
            )
        if {"ours", "stock"} <= by_app.keys():
            ratio = by_app["ours"].get("requests_per_second", 0) / max(by_app["stock"].get("requests_per_second", 0), 1e-9)
            ratios.append(f"{ratio:.0f}× for the {labels.get(kind, kind)}")
    if ratios:
        lines += ["", f"Ours serves {' and '.join(ratios)} the requests per second of stock Isso in the same run."]
    lines += [
        "",
        "Reproduce: `.venv/bin/invoke bench` (everything above), or "
        "`.venv/bin/python -m comments.bench` (the comment server alone; `--race` counts "
        "`POST /new` answers that carry another commenter's comment).",
        "",
    ]
    return "\n".join(lines)


def build_report(results, hugo, load):
    """The build section of BENCHMARKS.md."""
    sizes = ",".join(str(r["size"]) for r in results)
    lines = [
        "## Build",
        "",
        f"Synthetic French chronicles (`publish/corpus.py`, seed 1871, 800–1,200 words each) added to "
        f"a copy of the real content. Full production build (`publishconf.py`: image variants, hashed "
        f"assets, Pagefind index, gzip and brotli copies of every text file), cold, into a fresh folder, "
        f"in a child process. Load average before the run: {load}. "
        f"Reproduce: `.venv/bin/invoke bench --sizes {sizes}`.",
        "",
        "| chronicles | production build (s) | per chronicle (ms) | HTML pages | peak memory of the cold build (MB) | typography (% of build) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['production']:.2f} | {1000 * r['production'] / r['size']:.1f} | "
            f"{r['production_pages']:,} | {r['max_rss_mb']:.0f} | {100 * r['typography'] / r['production']:.1f} |"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last["production"] / first["production"]) / (last["size"] / first["size"])
        lines += ["", f"From {first['size']:,} to {last['size']:,} chronicles the build time grows "
                  f"{last['production'] / first['production']:.1f}× for {last['size'] / first['size']:.0f}× the "
                  f"chronicles ({growth:.2f} of linear; a fixed start-up cost makes small sites dearer per chronicle)."]
    compared = next((r for r in results if r["size"] == COMPARED_SIZE), None)
    if compared:
        base = compared["production"]
        rows = [
            ("production build, cold, both cores (default)", compared["production"]),
            ("production build, cold, one process (`PARALLEL_BUILD = False`)", compared["production_single_process"]),
            ("production build, kept cache empty (`ZOHE_CACHE_PATH`, first push)", compared["production_filling_cache"]),
            (f"production build, kept cache, nothing changed, best of {BEST_OF}", compared["production_warm"]),
            (f"production build, kept cache, one chronicle edited (a push), best of {BEST_OF} (a new edit each)",
             compared["production_warm_one_edit"]),
        ]
        rows += [
            (f"Pagefind alone on the chronicles of the cold build, from nothing (as in a cold build), best of {BEST_OF}",
             compared["pagefind_alone"]["fresh"]),
            (f"Pagefind alone on them, given a kept bundle's files (as in a push: the least a build spends "
             f"when an indexed text changed), best of {BEST_OF}", compared["pagefind_alone"]["seeded"]),
        ]
        if hugo:
            rows.append((f"Hugo {hugo['version']} (Debian), `bench/hugo` layout, best of {BEST_OF} "
                         f"({hugo['pages']:,} HTML pages)", hugo["seconds"]))
            rows.append((f"Hugo, then Pagefind with the site's options (the same search index), best of {BEST_OF}",
                         hugo["with_search"]))
        lines += [
            "",
            f"### {COMPARED_SIZE:,} chronicles, side by side",
            "",
            "| measure | seconds | ratio to the cold build |" + (" ratio to Hugo |" if hugo else ""),
            "| --- | --- | --- |" + (" --- |" if hugo else ""),
        ]
        for label, seconds in rows:
            line = f"| {label} | {seconds:.2f} | {seconds / base:.2f} |"
            if hugo:
                line += f" {seconds / hugo['seconds']:.1f} |"
            lines.append(line)
        visible = compared["preview_visible"]
        lines += [
            "",
            "| live preview (`invoke serve`) | seconds |",
            "| --- | --- |",
            f"| full preview build, first (fills the content cache) | {compared['preview_cold']:.2f} |",
            f"| full preview build, nothing changed | {compared['preview_unchanged']:.2f} |",
            f"| full preview build, one chronicle edited | {compared['preview_one_edit']:.2f} |",
            f"| from saving a chronicle to its new text served (the page alone, then the browser reloads; "
            f"{compared.get('preview_dropped', 0)} of the polling requests cut while the page was replaced) | "
            f"{'never' if visible is None else f'{visible:.2f}'} |",
            f"| from saving a chronicle to the end of the full build (second reload) | {compared['preview_full_after_save']:.2f} |",
        ]
        if hugo:
            push = compared["production_warm_one_edit"]
            lines += ["", f"In this run, a push of one edited chronicle builds in "
                      f"{push / hugo['seconds']:.1f}× Hugo's time ({push / hugo['with_search']:.1f}× Hugo's "
                      f"followed by Pagefind's), a cold production build in "
                      f"{compared['production'] / hugo['seconds']:.1f}× (target: 1.5× Hugo's). "
                      f"Pagefind alone, on our chronicles, takes "
                      f"{compared['pagefind_alone']['seeded'] / hugo['seconds']:.1f}× Hugo's whole build as a push "
                      f"runs it, {compared['pagefind_alone']['fresh'] / hugo['seconds']:.1f}× from nothing."]
    lines.append("")
    return "\n".join(lines)


def run(duration=5.0, path=ROOT / "BENCHMARKS.md", sizes=DEFAULT_SIZES):
    from comments import bench as comment_bench

    load = "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
    results, hugo = build_figures(sizes)
    seconds, weights = page_weights()
    comment_figures = comment_bench.run(duration=duration)
    text = report(seconds, weights, comment_figures) + "\n" + build_report(results, hugo, load)
    path = Path(path)
    # What people wrote below the marker (profiles, what is left to do) survives a new run.
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    if NOTES_MARKER in previous:
        text += "\n" + NOTES_MARKER + previous.split(NOTES_MARKER, 1)[1]
    path.write_text(text, encoding="utf-8")
    return text


# ---------------------------------------------------------------- build benchmark



def _timed_build(**kwargs):
    """Seconds of one build, started as in a new process: nothing remembered from the last one."""
    from publish import plugin_module

    plugin_module("french_typography").forget_results()
    started = time.perf_counter()
    build(**kwargs)
    return time.perf_counter() - started


def build_child(size, scratch):
    """Run in a fresh process: every build figure for one corpus size, as a dict."""
    import resource

    from publish import corpus
    from publish.serve import PREVIEW_OVERRIDES

    scratch = Path(scratch)
    content = corpus.make_content(size, scratch / "content")
    os.environ["ZOHE_SITEURL"] = BENCH_SITEURL
    os.environ["ZOHE_COMMENTS_DB"] = str(scratch / "no-comments.db")
    os.environ.pop("ZOHE_CACHE_PATH", None)
    figures = {"size": size}
    edited = content / corpus.FOLDER / f"{corpus.PREFIX}{size // 2:05d}.md"

    # French typography's own time, inside the build (it runs in the parent process).
    from french_typography import french_typography

    spent = [0.0]
    original = french_typography.fix_content

    def timed_fix(instance):
        started = time.perf_counter()
        try:
            return original(instance)
        finally:
            spent[0] += time.perf_counter() - started

    french_typography.fix_content = timed_fix
    french_typography.register.__globals__["fix_content"] = timed_fix

    figures["production"] = _timed_build(prod=True, output=scratch / "prod", overrides={"PATH": str(content)})
    # The cold build's peak: the largest of this process and those it waited for (pool, writer).
    figures["max_rss_mb"] = max(resource.getrusage(who).ru_maxrss
                                for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    figures["typography"] = spent[0]
    figures["production_pages"] = sum(1 for _ in (scratch / "prod").rglob("*.html"))
    if size == COMPARED_SIZE:
        figures["production_single_process"] = _timed_build(
            prod=True, output=scratch / "prod-plain", overrides={"PATH": str(content), "PARALLEL_BUILD": False}
        )
        # As on the server: each release a fresh folder, the cache kept beside them (ZOHE_CACHE_PATH).
        os.environ["ZOHE_CACHE_PATH"] = str(scratch / "kept")
        figures["production_filling_cache"] = _timed_build(prod=True, output=scratch / "first-release", overrides={"PATH": str(content)})
        # Best of BEST_OF, as for Hugo: a noisy neighbour slows one run, never speeds one up.
        def best_release(before_each=lambda run: None):
            times = []
            for run in range(BEST_OF):
                before_each(run)
                release = scratch / f"release-{run}"
                times.append(_timed_build(prod=True, output=release, overrides={"PATH": str(content)}))
                shutil.rmtree(release)
            return min(times)

        figures["production_warm"] = best_release()
        figures["production_warm_one_edit"] = best_release(lambda run: corpus.edit(edited, marker=f"Publié {run}"))
        os.environ.pop("ZOHE_CACHE_PATH")
        # What `invoke serve` does on each change: the full preview build with the content cache…
        preview = {**PREVIEW_OVERRIDES, "PATH": str(content), "CACHE_PATH": str(scratch / "cache")}
        figures["preview_cold"] = _timed_build(output=scratch / "preview", overrides=preview)
        figures["preview_unchanged"] = _timed_build(output=scratch / "preview", overrides=preview)
        corpus.edit(edited)
        figures["preview_one_edit"] = _timed_build(output=scratch / "preview", overrides=preview)
        # …and what the author waits for: the real preview server, from saving to the page served.
        figures.update(preview_wait(content, scratch / "served", edited))
    return figures


def preview_wait(content, output, edited, timeout=60.0):
    """Seconds from saving `edited` to its new text served by `invoke serve`, and to the full build's end."""
    import http.client
    import queue
    import threading
    import urllib.request

    from publish import corpus

    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    code = (f"from publish.serve import serve; serve(port={ports[0]}, comments_port={ports[1]}, "
            f"content={str(content)!r}, output={str(output)!r})")
    env = dict(os.environ)
    env.pop("ISSO_ADMIN_PASSWORD", None)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def wait_for(text, deadline):
        while time.monotonic() < deadline:
            try:
                if text in lines.get(timeout=0.05):
                    return time.monotonic()
            except queue.Empty:
                if process.poll() is not None:
                    break
        raise RuntimeError(f"the preview never printed {text!r}")

    try:
        wait_for("Preview on", time.monotonic() + 600)
        time.sleep(1.0)  # the watcher takes its first look at the files
        url = f"http://127.0.0.1:{ports[0]}/chroniques/{edited.stem}/"
        marker = f"Aperçu{int(time.time())}"
        corpus.edit(edited, marker=marker)
        saved = time.monotonic()
        deadline = saved + timeout
        visible = None
        dropped = 0
        while visible is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if marker in response.read().decode("utf-8"):
                        visible = time.monotonic() - saved
                        break
            except (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionResetError):
                # livereload's file handler stats a page, then opens it: a page replaced in
                # between ends that request. Counted, and asked again (the browser reloads
                # only once the page is in place).
                dropped += 1
                if dropped > 20:
                    raise
            except (OSError, http.client.HTTPException) as error:
                raise RuntimeError(f"the preview did not serve {url}: {error}") from error
            time.sleep(0.005)
        rebuilt = wait_for("Site rebuilt.", deadline) - saved
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"preview_visible": visible, "preview_full_after_save": rebuilt, "preview_dropped": dropped}


def _run_child(size, scratch):
    """Build figures for one size from a child process (nothing kept in memory from another size)."""
    command = [sys.executable, "-m", "publish.bench", "build-child", str(size), str(scratch)]
    process = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"build benchmark at {size} chronicles failed:\n{process.stderr[-4000:]}")
    return json.loads((Path(scratch) / "figures.json").read_text())


def hugo_content(content, destination):
    """The Pelican corpus as Hugo content: YAML front matter, `{filename}` links as URLs."""
    destination = Path(destination)
    for source in sorted((Path(content) / "chroniques").glob("*.md")):
        header, body = source.read_text(encoding="utf-8").split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in header.splitlines())
        tags = [tag.strip() for tag in meta.get("Tags", "").split(",") if tag.strip()]
        front = {
            "title": meta["Title"], "date": meta["Date"].replace(" ", "T") + ":00+01:00",
            "slug": meta["Slug"], "summary": meta["Summary"], "author": meta["Author"],
            "auteurs": [meta["Author"]], "categories": [meta["Category"]], "mots-cles": tags,
        }
        body = re.sub(r"\{filename\}/chroniques/([^)]+)\.md", r"/chroniques/\1/", body)
        body = re.sub(r"\{static\}", "", body)
        target = destination / "chroniques" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + json.dumps(front, ensure_ascii=False, indent=1) + "\n---\n\n" + body, encoding="utf-8")
    archives = destination / "archives.md"
    archives.write_text('---\n{"title": "Archives", "layout": "archives"}\n---\n', encoding="utf-8")
    return destination


def hugo_build(content, scratch, runs=BEST_OF):
    """Best of `runs` Hugo builds of the Hugo copy of `content`, alone and followed by Pagefind; None without Hugo."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    from publish import plugin_module

    site_search = plugin_module("site_search")
    hugo_dir = hugo_content(content, Path(scratch) / "hugo-content")
    best = best_with_search = None
    for run in range(runs):
        output = Path(scratch) / f"hugo-public-{run}"
        started = time.perf_counter()
        subprocess.run(
            [hugo, "--quiet", "--source", str(HUGO_SITE), "--contentDir", str(hugo_dir),
             "--destination", str(output), "--cacheDir", str(Path(scratch) / "hugo-cache")],
            check=True, capture_output=True,
        )
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
        # The same search index as ours: Pagefind on the chronicles, with the site's options.
        indexed = site_search.run_pagefind(output, CHRONICLE_PAGES, site_search.get_settings({}))
        if indexed.returncode != 0:
            raise RuntimeError(f"Pagefind failed on Hugo's output: {indexed.stderr}")
        seconds = time.perf_counter() - started
        best_with_search = seconds if best_with_search is None else min(best_with_search, seconds)
    pages = sum(1 for _ in output.rglob("*.html"))
    return {"seconds": best, "with_search": best_with_search, "pages": pages,
            "version": subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]}


def pagefind_alone(ours, scratch, runs=BEST_OF):
    """Best of `runs` Pagefind runs on the chronicles of `ours`, our cold production output.

    From nothing, as a cold build runs it; and given the files of a kept bundle of the
    same pages first (`site_search.BundleCache`, seeded, then pruned), as a push runs
    it: the least a build spends whenever an indexed text changed.
    """
    from publish import plugin_module

    site_search = plugin_module("site_search")
    kept = site_search.BundleCache(str(Path(scratch) / "search-kept"), 1)
    kept.keep("cold", str(Path(ours) / site_search.get_settings({})["bundle_dir"]))
    best = {"fresh": None, "seeded": None}
    for run in range(runs):
        for mode in best:
            name = f"pagefind-bench-{mode}-{run}"
            bundle = str(Path(ours) / name)
            started = time.perf_counter()
            seeded = kept.seed(bundle) if mode == "seeded" else {}
            indexed = site_search.run_pagefind(ours, CHRONICLE_PAGES, site_search.get_settings({"SITE_SEARCH": {"bundle_dir": name}}))
            if indexed.returncode != 0:
                raise RuntimeError(f"Pagefind failed on our output: {indexed.stderr}")
            if seeded:
                site_search.prune_seeded(bundle, seeded)
            seconds = time.perf_counter() - started
            best[mode] = seconds if best[mode] is None else min(best[mode], seconds)
            shutil.rmtree(bundle)
    return best


def build_figures(sizes=DEFAULT_SIZES):
    """Every build figure: per size, and Hugo on the 1,000-chronicle corpus in the same run."""
    from publish import corpus

    results = []
    hugo = None
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"zohe-bench-{size}-") as scratch:
            results.append(_run_child(size, scratch))
            if size == COMPARED_SIZE:
                results[-1]["pagefind_alone"] = pagefind_alone(Path(scratch) / "prod", scratch)
                hugo = hugo_build(corpus.make_content(size, Path(scratch) / "hugo-source"), scratch)
    return results, hugo


def _main(argv):
    if argv[:1] == ["build-child"]:
        sys.path.insert(0, str(ROOT / "plugins"))
        size, scratch = int(argv[1]), Path(argv[2])
        figures = build_child(size, scratch)
        (scratch / "figures.json").write_text(json.dumps(figures))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
