"""What our build is compared with: Hugo on the same corpus (the `bench/hugo` layout), and Pagefind alone on our pages."""

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pagefind_bundle
from site_search.settings import get_settings

from bench import BEST_OF, HUGO_SITE

# What Pagefind indexes in the comparisons: the chronicles, the same pages in Hugo's output and ours.
CHRONICLE_PAGES = ["chroniques/*/index.html"]


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
        indexed = pagefind_bundle.run_pagefind(output, CHRONICLE_PAGES, get_settings({}))
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
    same pages first (`pagefind_bundle.BundleCache`, seeded, then pruned), as a push runs
    it: the least a build spends whenever an indexed text changed.
    """
    kept = pagefind_bundle.BundleCache(str(Path(scratch) / "search-kept"), 1)
    kept.keep("cold", str(Path(ours) / get_settings({})["bundle_dir"]))
    best = {"fresh": None, "seeded": None}
    for run in range(runs):
        for mode in best:
            name = f"pagefind-bench-{mode}-{run}"
            bundle = str(Path(ours) / name)
            started = time.perf_counter()
            seeded = kept.seed(bundle) if mode == "seeded" else {}
            indexed = pagefind_bundle.run_pagefind(ours, CHRONICLE_PAGES, get_settings({"SITE_SEARCH": {"bundle_dir": name}}))
            if indexed.returncode != 0:
                raise RuntimeError(f"Pagefind failed on our output: {indexed.stderr}")
            if seeded:
                pagefind_bundle.prune_seeded(bundle, seeded)
            seconds = time.perf_counter() - started
            best[mode] = seconds if best[mode] is None else min(best[mode], seconds)
            shutil.rmtree(bundle)
    return best
