"""The build benchmark: production and preview builds of the synthetic corpus, one child process per size.

Build figures come from a child process per corpus size (`python -m bench.site_build
build-child SIZE SCRATCH`), so each has its own peak memory and a clean Pelican. At
`COMPARED_SIZE` chronicles the same run times Hugo and Pagefind alone (bench.comparisons),
the live preview (bench.preview_wait), and a push and the preview's build after an edit
with the pages rendered by one process as well as two (PARALLEL_BUILD), the gain that
keeps pelican_internals.run_on_two_cores.
"""

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import comments_database
from bench import BENCH_SITEURL, BEST_OF, COMPARED_SIZE, DEFAULT_SIZES, corpus
from bench.comparisons import hugo_build, pagefind_alone
from bench.preview_wait import preview_wait
from bench.typography_timer import TypographyTimer
from publish.build import ROOT, build


def _timed_build(**kwargs):
    """Seconds of one build, started as in a new process: nothing remembered from the last one."""
    from french_typography import forget_results

    forget_results()
    started = time.perf_counter()
    build(**kwargs)
    return time.perf_counter() - started


# PARALLEL_BUILD (pelicanconf.py) on and off: pages rendered by two processes, or by one.
MODES = {"two": True, "one": False}


def best_of(builds, before_each=lambda run, name: None):
    """Each build's best time of BEST_OF, as for Hugo: a noisy neighbour slows a run, never speeds one up.

    The builds take turns (A, B, A, B…), so that a change of the machine's load falls on each alike.
    """
    times = {name: [] for name in builds}
    for run in range(BEST_OF):
        for name, timed in builds.items():
            before_each(run, name)
            times[name].append(timed())
    return {name: min(seconds) for name, seconds in times.items()}


def build_child(size, scratch):
    """Run in a fresh process: every build figure for one corpus size, as a dict."""
    import resource

    from publish.serve import PREVIEW_OVERRIDES

    scratch = Path(scratch)
    content = corpus.make_content(size, scratch / "content")
    os.environ["ZOHE_SITEURL"] = BENCH_SITEURL
    os.environ[comments_database.VARIABLE] = str(scratch / "no-comments.db")
    os.environ.pop("ZOHE_CACHE_PATH", None)
    figures = {"size": size}
    edited = content / corpus.FOLDER / f"{corpus.PREFIX}{size // 2:05d}.md"

    # French typography's own time, inside the cold build.
    typography = TypographyTimer()
    figures["production"] = _timed_build(prod=True, output=scratch / "prod",
                                         overrides=typography.overrides(prod=True, overrides={"PATH": str(content)}))
    # The cold build's peak: the largest of this process and those it waited for (Pagefind).
    figures["max_rss_mb"] = max(resource.getrusage(who).ru_maxrss
                                for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    figures["typography"] = typography.seconds
    figures["production_pages"] = sum(1 for _ in (scratch / "prod").rglob("*.html"))
    if size == COMPARED_SIZE:
        # As on the server: each release a fresh folder, the cache kept beside them (ZOHE_CACHE_PATH).
        os.environ["ZOHE_CACHE_PATH"] = str(scratch / "kept")
        figures["production_filling_cache"] = _timed_build(prod=True, output=scratch / "first-release", overrides={"PATH": str(content)})

        def release(overrides=None):
            """Seconds of a production build into a fresh release folder, as the hook makes one."""
            output = scratch / "release"
            seconds = _timed_build(prod=True, output=output, overrides={"PATH": str(content), **(overrides or {})})
            shutil.rmtree(output)
            return seconds

        figures["production_warm"] = best_of({"two": release})["two"]
        # A push (a new edit before each build), the pages rendered by two processes, and by one.
        push = best_of({mode: functools.partial(release, {"PARALLEL_BUILD": on}) for mode, on in MODES.items()},
                       before_each=lambda run, mode: corpus.edit(edited, marker=f"Publié {run} {mode}"))
        figures["production_warm_one_edit"] = push["two"]
        figures["production_warm_one_edit_one_process"] = push["one"]
        os.environ.pop("ZOHE_CACHE_PATH")

        # What `invoke serve` does on each change: the full preview build with the content cache…
        def preview(overrides=None):
            settings = {**PREVIEW_OVERRIDES, "PATH": str(content), "CACHE_PATH": str(scratch / "cache")}
            return _timed_build(output=scratch / "preview", overrides={**settings, **(overrides or {})})

        figures["preview_cold"] = preview()
        figures["preview_unchanged"] = preview()
        edit = best_of({mode: functools.partial(preview, {"PARALLEL_BUILD": on}) for mode, on in MODES.items()},
                       before_each=lambda run, mode: corpus.edit(edited, marker=f"Aperçu {run} {mode}"))
        figures["preview_one_edit"] = edit["two"]
        figures["preview_one_edit_one_process"] = edit["one"]
        # …and what the author waits for: the real preview server, from saving to the page served.
        figures.update(preview_wait(content, scratch / "served", edited))
    return figures


def _run_child(size, scratch):
    """Build figures for one size from a child process (nothing kept in memory from another size)."""
    command = [sys.executable, "-m", "bench.site_build", "build-child", str(size), str(scratch)]
    process = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"build benchmark at {size} chronicles failed:\n{process.stderr[-4000:]}")
    return json.loads((Path(scratch) / "figures.json").read_text())


def build_figures(sizes=DEFAULT_SIZES):
    """Every build figure: per size, and Hugo on the 1,000-chronicle corpus in the same run."""
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
        size, scratch = int(argv[1]), Path(argv[2])
        figures = build_child(size, scratch)
        (scratch / "figures.json").write_text(json.dumps(figures))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
