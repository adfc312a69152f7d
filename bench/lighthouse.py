"""Lighthouse's four scores for the home page, a chronicle, an offer and the search page, served as production serves them.

No maintained Lighthouse exists for Python or in Debian (PyPI's `lighthouse` is an unrelated
service-discovery tool, its wrappers such as `lighthouse-python-plus` call npm's CLI, Debian
packages none): this runs npm's, pinned in
bench/npm/package.json and its lock (the newest release that runs on Debian's
Node 20), installed on demand with ``npm ci`` into bench/npm/node_modules (not in
git), with Debian's Chromium. The site is bench.bot_site's production setup with the real
content only: the production build behind nginx with the shipped configuration, the
comment server under gunicorn behind it. Its performance score is noisy on two shared
cores (simulated throttling); the other three are stable, hence a benchmark, not a test.

``python -m bench.lighthouse`` runs it alone and writes its section of BENCHMARKS.md.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile

from bench.readers import CHROMIUM
from publish.build import ROOT

FOLDER = ROOT / "bench" / "npm"
CLI = FOLDER / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "chronicle": "/chroniques/la-juste-mesure/",
    "offer": "/accompagnement/",
    # Its deliberate noindex lowers its SEO score: kept, and said so in the report.
    "search": "/recherche/",
}
PRESETS = ("mobile", "desktop")
# Runs of each page and preset, the median kept (by performance score), as Lighthouse's own
# advice on variability has it: one run's performance follows the machine's load.
RUNS = 3
# Lighthouse refuses to drive Chromium without the first two; the rest as bench.readers says.
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run " \
               "--disable-background-networking --disable-component-update --disable-sync"
HEADING = "## Lighthouse"


@dataclass
class Result:
    page: str
    preset: str
    scores: dict  # {category: 0-100}
    # {category: [title of each audit under 100 that counts in it]}
    losses: dict
    version: str


def install():
    """``npm ci`` the pinned Lighthouse into bench/npm/node_modules, unless it is there already."""
    if CLI.exists():
        return
    # --ignore-scripts: no install step may download anything (there is no browser to fetch).
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=FOLDER, check=True,
                   timeout=600)


def audit(url, preset, timeout=180):
    """Lighthouse's report of ``url`` with ``preset`` (mobile: its default; desktop), as a dict."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        report = Path(scratch) / "report.json"
        command = [str(CLI), url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
        if preset == "desktop":
            command.append("--preset=desktop")
        # HOME in the scratch folder: Chromium's profile and crash reports stay out of the user's.
        env = dict(os.environ, CHROME_PATH=CHROMIUM, HOME=scratch)
        subprocess.run(command, check=True, timeout=timeout, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
        return json.loads(report.read_text(encoding="utf-8"))


def result(page, preset, report):
    """The scores of one report, with the audits that cost each category points."""
    scores, losses = {}, {}
    for name in CATEGORIES:
        category = report["categories"][name]
        scores[name] = round(100 * (category["score"] or 0))
        losses[name] = [report["audits"][ref["id"]]["title"] for ref in category["auditRefs"]
                        if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
                        and report["audits"][ref["id"]]["scoreDisplayMode"] in ("binary", "numeric")]
    return Result(page, preset, scores, losses, report["lighthouseVersion"])


def median(results):
    """The run whose performance score is the median of ``results``' (of one page and preset)."""
    return sorted(results, key=lambda item: item.scores["performance"])[len(results) // 2]


def run(presets=PRESETS, runs=RUNS):
    """Every page with every preset, ``runs`` times, against a fresh production setup: a list of median Results."""
    from bench.bot_site import production_site

    install()
    results = []
    with tempfile.TemporaryDirectory(prefix="zohe-lighthouse-") as directory:
        with production_site(Path(directory) / "site", chronicles=0) as site:
            for preset in presets:
                for page, path in PAGES.items():
                    results.append(median([result(page, preset, audit(site.base + path, preset))
                                           for _ in range(runs)]))
    return results


def report(results, when=None, runs=RUNS):
    """The Lighthouse section of BENCHMARKS.md."""
    when = when or datetime.now(timezone.utc)
    version = results[0].version if results else "?"
    lines = [
        HEADING,
        "",
        f"Measured on {when:%Y-%m-%d %H:%M} UTC by `.venv/bin/python -m bench.lighthouse` (`invoke bench` runs it with "
        f"the rest): Lighthouse {version} (npm, pinned in `bench/npm/`) with Debian's Chromium, headless, on the "
        "production build of the real content behind nginx with the shipped configuration and the comment server "
        f"behind it; each row is the median of {runs} runs (by performance). Mobile is Lighthouse's default preset "
        "(a slow phone, simulated); desktop its `--preset=desktop`. "
        "Performance is noisy on 2 shared cores; the other three are stable. The search page's SEO is lowered by its "
        "deliberate `noindex` (a results page is no page to index).",
        "",
        "| page | preset | " + " | ".join(CATEGORIES) + " |",
        "| --- | --- | " + " | ".join("---" for _ in CATEGORIES) + " |",
    ]
    for item in results:
        lines.append(f"| {item.page} (`{PAGES[item.page]}`) | {item.preset} | "
                     + " | ".join(str(item.scores[name]) for name in CATEGORIES) + " |")
    lost = [f"{item.page} ({item.preset}), {name}: {', '.join(item.losses[name])}"
            for item in results for name in CATEGORIES if item.losses[name]]
    lines += ["", "Audits that cost points in this run: " + ("; ".join(lost) if lost else "none") + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    from bench.report import write_section

    presets = tuple(sys.argv[1:]) or PRESETS
    print(write_section(report(run(presets))))
