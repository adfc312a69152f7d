"""The build benchmark: production and preview builds of the synthetic corpus, one child process per size.

Build figures come from a child process per corpus size (`python -m bench.site_build
build-child SIZE SCRATCH`), so each has its own peak memory and a clean Pelican. At
`COMPARED_SIZE` chronicles the same run times Hugo and Pagefind alone (bench.comparisons)
and the live preview (bench.preview_wait).
"""

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
