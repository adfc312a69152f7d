"""`invoke bench`: measure what each user waits for and write it, with the commands, to BENCHMARKS.md.

Figures from one run are compared with each other as ratios (these machines
are shared and noisy); absolute numbers are reported for the record only.
"""

from datetime import date
import os
import platform
import tempfile
import time
from pathlib import Path

from publish.build import ROOT, build
from publish.weight import CRITICAL_BUDGET, TOTAL_BUDGET, page_weight

BENCH_SITEURL = "https://zohe.example"
PAGE_TYPES = {
    "home": "index.html",
    "chronicle": "chroniques/la-juste-mesure/index.html",
    "page": "notre-promesse/index.html",
    "offer": "adhesion/index.html",
    "archives": "archives/index.html",
    "category": "categories/les-chroniques-de-zohe/index.html",
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
        "## Comment server: thread reads",
        "",
        "A 20-comment thread read through gunicorn with 2 workers (`--preload -w 2`), "
        "ours (`comments.wsgi:application`) against stock Isso (`isso.run:application`) "
        "served the same way, from a bounded load generator on loopback.",
        "",
        "| server | requests/s | p50 (ms) | p99 (ms) | requests | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, figures in comment_figures.items():
        lines.append(
            f"| {name} | {figures['requests_per_second']:.0f} | {figures['p50_ms']:.1f} | "
            f"{figures['p99_ms']:.1f} | {figures['requests']} | {figures['errors']} |"
        )
    if {"ours", "stock"} <= comment_figures.keys():
        ratio = comment_figures["ours"]["requests_per_second"] / max(
            comment_figures["stock"]["requests_per_second"], 1e-9
        )
        lines += ["", f"Ours serves {ratio:.0f}× the requests per second of stock Isso in the same run."]
    lines += [
        "",
        "Reproduce: `.venv/bin/invoke bench` (everything above), or "
        "`.venv/bin/python -m comments.bench` (the comment server alone; `--race` counts "
        "`POST /new` answers that carry another commenter's comment).",
        "",
    ]
    return "\n".join(lines)


def run(duration=5.0, path=ROOT / "BENCHMARKS.md"):
    from comments import bench as comment_bench

    seconds, weights = page_weights()
    comment_figures = comment_bench.run(duration=duration)
    text = report(seconds, weights, comment_figures)
    Path(path).write_text(text, encoding="utf-8")
    return text
