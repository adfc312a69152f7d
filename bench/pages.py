"""The real site's page weights, by page type, from one production build (the Pages section of BENCHMARKS.md)."""

import os
import tempfile
import time
from pathlib import Path

from bench import BENCH_SITEURL
from bench.weight import page_weight
from publish.build import build

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
