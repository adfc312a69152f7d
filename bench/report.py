"""`invoke bench`: measure what each user waits for and write it, with the commands, to BENCHMARKS.md.

`run` takes every figure (bench.site_build, bench.pages, bench.comment_server,
bench.spam_defences, bench.lighthouse, bench.wordpress_import); `report`, `spam_report` and
`build_report` write them as the file's sections; `write_section` puts one section alone in its place (`python -m bench.spam_defences`).
"""

from datetime import date
import os
import platform
from pathlib import Path

from bench import (BEST_OF, COMPARED_SIZE, DEFAULT_SIZES, comment_server, lighthouse, pages, site_build,
                   spam_defences, wordpress_import)
from bench.weight import CRITICAL_BUDGET, SCRIPTS_BUDGET, TOTAL_BUDGET
from publish.build import ROOT

NOTES_MARKER = "<!-- Notes written by hand: invoke bench keeps what follows. -->"


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
        f"page loads ≤ {_kb(TOTAL_BUDGET)} KB brotli, a chronicle's scripts together (the "
        f"discussion script) ≤ {_kb(SCRIPTS_BUDGET)} KB brotli.",
        "",
        "| page | critical raw | critical gzip | critical brotli | total raw | total gzip | total brotli "
        "| scripts raw | scripts brotli | within budget |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, weight in weights.items():
        # The scripts' budget is a chronicle's (its discussion); the search page has Pagefind's.
        scripts_ok = name != "chronicle" or (weight.scripts["brotli"] <= SCRIPTS_BUDGET and not weight.foreign_scripts)
        ok = weight.critical["brotli"] <= CRITICAL_BUDGET and weight.total["brotli"] <= TOTAL_BUDGET and scripts_ok
        lines.append(
            f"| {name} | {_kb(weight.critical['raw'])} | {_kb(weight.critical['gzip'])} | "
            f"{_kb(weight.critical['brotli'])} | {_kb(weight.total['raw'])} | "
            f"{_kb(weight.total['gzip'])} | {_kb(weight.total['brotli'])} | "
            f"{_kb(weight.scripts['raw'])} | {_kb(weight.scripts['brotli'])} | {'yes' if ok else 'NO'} |"
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
        "`.venv/bin/python -m bench.comment_server` (the comment server alone; `--race` counts "
        "`POST /new` answers that carry another commenter's comment).",
        "",
    ]
    return "\n".join(lines)


SPAM_HEADING = "## Spam defences"
ROBOTS = {
    "json": "JSON API client (`POST /isso/new`; every other post its JSON to `/isso/formulaire`)",
    "filler": "form filler: every field, the honeypot too, at once",
    "careful": "careful: only the fields it recognises, at once",
    "replay": "replay of one page's token and one solved proof (form and JSON)",
    "patient": "patient: reads {read:.0f} s, every field, the honeypot left empty, links and spam words",
}


def _percent(part, whole):
    return f"{100 * part / whole:.1f}" if whole else "—"


def spam_report(figures, per_kind, readers_per_mode):
    """The spam defences' section of BENCHMARKS.md, from bench.spam_defences.Figures."""
    kinds = figures.kinds
    lines = [
        SPAM_HEADING,
        "",
        f"Measured on {date.today().isoformat()} by `.venv/bin/python -m bench.spam_defences --per-kind {per_kind} "
        f"--readers {readers_per_mode}` (`invoke bench` runs it with the rest): five kinds of robots "
        "(`bench/bots.py`), each post from another loopback address, against a production build with "
        f"{figures.chronicles} chronicles (synthetic ones added) behind nginx with the shipped configuration, the "
        "comment server under `gunicorn --preload -w 2` with the shipped guard and spam filter, production's "
        "5 s for \"too fast\", its mail to an SMTP sink. \"Reached a moderator\": mailed, or listed by "
        "`invoke comments.pending`. Before the run, a first wave (a quarter as many posts of each kind, written from the same "
        f"templates with another seed, and {len(spam_defences.readers.EARLIER)} earlier readers' comments) was "
        "decided by the moderators "
        f"with the real commands: {figures.first_day['ham']} approved, {figures.first_day['spam']} deleted (its answers: "
        + ", ".join(f"{status or 'none'}: {n}" for status, n in sorted(figures.first_day["answers"].items()))
        + "); the "
        "posts that only the score learned from it held are counted apart.",
        "",
        "| robot | posts | reached a moderator | held | held by the learned score alone | held by a burst on "
        "the chronicle alone | refused | answers | reached (%) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    total = {key: 0 for key in ("posts", "moderators", "held", "learned_only", "burst_only", "refused", "lost")}
    for kind, counts in kinds.items():
        answers = ", ".join(f"{status or 'none'}: {n}" for status, n in sorted(counts["statuses"].items()))
        lines.append(
            f"| {ROBOTS.get(kind, kind).format(read=figures.read_seconds)} | {counts['posts']} | {counts['moderators']} | "
            f"{counts['held']} | {counts['learned_only']} | {counts['burst_only']} | {counts['refused']} | {answers} | "
            f"{_percent(counts['moderators'], counts['posts'])} |"
        )
        for key in total:
            total[key] += counts[key]
    lines.append(
        f"| all | {total['posts']} | {total['moderators']} | {total['held']} | {total['learned_only']} | "
        f"{total['burst_only']} | {total['refused']} | | {_percent(total['moderators'], total['posts'])} |"
    )
    reached = sum(outcome == "moderators" for outcome in figures.reader_outcomes.values())
    held_readers = sum(outcome == "held" for outcome in figures.reader_outcomes.values())
    scripts = sum(reader.scripts for reader in figures.readers)
    lines += [
        "",
        f"Without the learned score, {_percent(total['moderators'] + total['learned_only'], total['posts'])} % of "
        f"the robot posts would have reached a moderator; {total['lost']} answered as stored were found nowhere.",
        "",
        f"Readers in Chromium, in the same run ({scripts} with JavaScript, {len(figures.readers) - scripts} without; "
        f"each read {figures.read_seconds:.0f} s and typed their comment): {reached} of {len(figures.readers)} "
        f"reached the moderators, {held_readers or 'none'} held.",
        "",
        f"The comment server's processes (gunicorn's master and workers), their sockets read from /proc every 50 ms "
        f"over the run's {figures.seconds:.0f} s ({figures.samples} samples, `bench/server_sockets.py`): "
        f"{figures.sockets_seen} sockets with a remote end, "
        + ("every remote address loopback: no outbound connection." if not figures.remotes_outside
           else f"remote addresses off this machine: {', '.join(figures.remotes_outside)}."),
        "",
    ]
    return "\n".join(lines)


def write_section(text, path=ROOT / "BENCHMARKS.md"):
    """Put one section (``text``, from its ``## `` heading) in BENCHMARKS.md in its place, the others kept; returns ``text``."""
    path = Path(path)
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    heading = text.split("\n", 1)[0] + "\n"

    def next_part(after):
        """Where the next section or the hand notes begin after ``after`` (the end if nothing does)."""
        found = [i + 1 for i in (previous.find("\n## ", after),) if i != -1]
        found += [i for i in (previous.find(NOTES_MARKER, after),) if i != -1]
        return min(found, default=len(previous))

    if heading in previous:
        start = previous.index(heading)
        end = next_part(start + 1)
    else:
        # Where `run` writes it: before the build's section, else before the notes.
        build = previous.find("\n## Build\n")
        start = end = build + 1 if build != -1 else next_part(0)
    path.write_text(previous[:start] + text + "\n" + previous[end:], encoding="utf-8")
    return text


def build_report(results, hugo, load):
    """The build section of BENCHMARKS.md."""
    sizes = ",".join(str(r["size"]) for r in results)
    lines = [
        "## Build",
        "",
        f"Synthetic French chronicles (`bench/corpus.py`, seed 1871, 800–1,200 words each) added to "
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
            ("production build, cold", compared["production"]),
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
            f"| full preview build, one chronicle edited, best of {BEST_OF} (a new edit each) | {compared['preview_one_edit']:.2f} |",
            f"| from saving a chronicle to its new text served (the page alone, then the browser reloads; "
            f"{compared.get('preview_dropped', 0)} of the polling requests cut while the page was replaced) | "
            f"{'never' if visible is None else f'{visible:.2f}'} |",
            f"| from saving a chronicle to the end of the full build (second reload) | {compared['preview_full_after_save']:.2f} |",
        ]
        lines += parallel_rows(compared)
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


def parallel_rows(compared):
    """What rendering the pages on two processes gains (PARALLEL_BUILD), measured in the same run."""
    rows = [
        ("a push of one edited chronicle (production, kept cache)", "production_warm_one_edit"),
        ("the preview's full build after an edit", "preview_one_edit"),
    ]
    lines = [
        "",
        f"| pages rendered by two processes (`PARALLEL_BUILD`), best of {BEST_OF}, taking turns | "
        "two processes (s) | one process (s) | one ÷ two |",
        "| --- | --- | --- | --- |",
    ]
    for label, key in rows:
        two, one = compared[key], compared[key + "_one_process"]
        lines.append(f"| {label} | {two:.2f} | {one:.2f} | {one / two:.2f} |")
    return lines


def run(duration=5.0, path=ROOT / "BENCHMARKS.md", sizes=DEFAULT_SIZES):
    """Every benchmark, written to `path` (BENCHMARKS.md) and returned as text."""
    load = "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
    results, hugo = site_build.build_figures(sizes)
    seconds, weights = pages.page_weights()
    comment_figures = comment_server.run(duration=duration)
    spam = spam_report(spam_defences.run(), spam_defences.PER_KIND, spam_defences.READERS_PER_MODE)
    scores = lighthouse.report(lighthouse.run())
    imported = wordpress_import.section(wordpress_import.run())
    text = "\n".join((report(seconds, weights, comment_figures), spam, scores, imported,
                      build_report(results, hugo, load)))
    path = Path(path)
    # What people wrote below the marker (profiles, what is left to do) survives a new run.
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    if NOTES_MARKER in previous:
        text += "\n" + NOTES_MARKER + previous.split(NOTES_MARKER, 1)[1]
    path.write_text(text, encoding="utf-8")
    return text
