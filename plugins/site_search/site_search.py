"""Writes the Pagefind search bundle for the chronicles and pages, and the script that starts its UI in French.

Pagefind starts from a Pelican generator, which comes after every generator that
writes HTML, and runs in the background while Pelican goes on (the link check
reads every page meanwhile). It is waited for on `finalized`, and on the
`output_complete` signal that the link check sends before it resolves a link:
blinker gives no order among receivers of one signal, so the check cannot rely
on running after this plugin's `finalized` receiver. Running Pagefind and the
bundles kept between builds are pagefind_bundle's.
"""

import json
import logging
import os
import re
import shutil

import blinker
from pelican import signals
from pelican.generators import Generator

import pagefind_bundle

from .settings import get_settings

logger = logging.getLogger(__name__)

START_SCRIPT = "zohe-recherche.js"


def _indexed_files(context, settings):
    """Globs of every published chronicle and page (list pages are not search results).

    Chronicles are matched by the pattern of their output path, not listed: a glob
    naming thousands of files one by one is more than Pagefind parses. Pages are few
    and listed, since their pattern would also match the list pages.
    """
    if not context.get("articles") and not context.get("pages"):
        return []
    globs = set()
    if context.get("articles"):
        globs.add(re.sub(r"\{[^}]*\}", "*", settings["ARTICLE_SAVE_AS"]))
    globs.update(page.save_as for page in context.get("pages", ()) if page.save_as)
    return sorted(globs)


def _start_script(translations):
    """The script that gives Pagefind's Component UI the site's French strings where Pagefind's own slip.

    The UI starts by itself from the pagefind-* elements of the search page; this only
    replaces some of its strings. A file rather than an inline script: the
    Content-Security-Policy allows scripts from the site itself only.
    """
    return (
        "// Written by the site_search plugin: the site's French for Pagefind's Component UI.\n"
        '"use strict";\n'
        'window.PagefindComponents.getInstanceManager().getInstance("default")'
        f".setTranslations({json.dumps(translations, ensure_ascii=False, indent=2)});\n"
    )


class SearchIndexGenerator(Generator):
    """Starts indexing the HTML already written; `finish_indexing` completes the bundle."""

    def generate_output(self, writer):
        options = get_settings(self.settings)
        output = self.output_path
        globs = _indexed_files(self.context, self.settings)
        if not globs:
            return
        bundle = os.path.join(output, options["bundle_dir"])
        cache = pagefind_bundle.BundleCache(options["cache"], options["kept_bundles"])
        digest = pagefind_bundle.index_digest(output, globs, options) if cache.folder else None
        if digest and cache.restore(digest, bundle):
            logger.info("site_search: indexed text unchanged, bundle %s reused", digest[:12])
            return
        seeded = cache.seed(bundle)
        _running.append((pagefind_bundle.Indexing(output, globs, options), bundle, digest, cache, options, seeded))


# Bundles Pagefind is writing while the build goes on (the link check reads every page meanwhile).
_running = []


def finish_indexing(sender=None):
    """Wait for Pagefind, then write the start script and keep the bundle.

    Connected to `finalized`, and to the `output_complete` signal, which whatever
    needs every file of the output (the link check, before it resolves links) sends
    first; publish.build sends it too if Pelican raised on the way.
    """
    while _running:
        indexing, bundle, digest, cache, options, seeded = _running.pop(0)
        result = indexing.wait()
        if result.returncode == 0 and seeded:
            try:
                pagefind_bundle.prune_seeded(bundle, seeded)
            except (OSError, ValueError, KeyError, TypeError) as error:
                # Whatever went wrong, the index Pagefind makes from nothing is right.
                logger.info("site_search: could not sort the reused index files (%s), indexing afresh", error)
                shutil.rmtree(bundle, ignore_errors=True)
                seeded = {}
                result = pagefind_bundle.run_pagefind(indexing.output, indexing.globs, options)
        if result.returncode != 0:
            logger.error(
                "l’index de la recherche n’a pas pu être construit (Pagefind s’est arrêté avec le code %s\u00a0: "
                "«\u00a0%s\u00a0»)\u202f; relancez la construction, et montrez ce message à qui entretient le site "
                "s’il revient",
                result.returncode,
                " ".join((result.stderr or result.stdout).split()),
            )
            continue
        with open(os.path.join(bundle, START_SCRIPT), "w", encoding="utf-8") as script:
            script.write(_start_script(options["translations"]))
        if digest:
            cache.keep(digest, bundle, known=seeded)


def get_generators(pelican):
    return SearchIndexGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finish_indexing)
    blinker.signal("output_complete").connect(finish_indexing)
