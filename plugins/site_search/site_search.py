"""Writes the Pagefind search bundle for the chronicles and pages, and the script that starts its UI in French.

Pagefind runs as a Pelican generator rather than on the `finalized` signal:
generators write their output in order, and this one comes after every
generator that writes HTML and before `finalized`, where the content checks
verify that each link and script of the search page resolves. Blinker gives
no order among receivers of one signal, so a `finalized` receiver could run
after the check and leave it looking at a missing bundle.
"""

import json
import logging
import os
import re
import subprocess
import tempfile

from pelican import signals
from pelican.generators import Generator

from .settings import get_settings

logger = logging.getLogger(__name__)

START_SCRIPT = "zohe-recherche.js"


def pagefind_executable():
    """The Pagefind binary shipped by the `pagefind[extended]` wheel (no download at run time)."""
    from pagefind_bin_extended import get_executable

    return str(get_executable())


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


def _glob(paths):
    # Pagefind takes one glob; braces list the alternatives. Commas and braces in a
    # path would break it, and Pelican's slugs never contain them.
    return "{" + ",".join(paths) + "}" if len(paths) > 1 else paths[0]


def _start_script(element, translations):
    """The script that starts Pagefind's UI in `element`, with some of its French strings replaced.

    A file rather than an inline script: the Content-Security-Policy allows scripts
    from the site itself only.
    """
    options = {"element": element, "showImages": False, "translations": translations}
    return (
        "// Written by the site_search plugin: starts Pagefind's search UI, in French.\n"
        '"use strict";\n'
        f"new PagefindUI({json.dumps(options, ensure_ascii=False, indent=2)});\n"
    )


def run_pagefind(output, globs, options):
    """Index the files of `output` matched by `globs` with Pagefind; return the finished process."""
    # Options go in Pagefind's configuration file rather than on the command line, which
    # shows nothing of them in a process listing and has no length limit.
    config = {
        "site": os.path.abspath(output),
        "output_subdir": options["bundle_dir"],
        "glob": _glob(globs),
        "root_selector": options["root_selector"],
        "force_language": options["language"],
        "exclude_selectors": list(options["exclude_selectors"]),
    }
    with tempfile.TemporaryDirectory(prefix="zohe-pagefind-") as folder:
        with open(os.path.join(folder, "pagefind.json"), "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        return subprocess.run(
            [pagefind_executable(), "--silent"], cwd=folder, capture_output=True, text=True
        )


class SearchIndexGenerator(Generator):
    """Indexes the HTML already written and writes the bundle into the output."""

    def generate_output(self, writer):
        options = get_settings(self.settings)
        output = self.output_path
        globs = _indexed_files(self.context, self.settings)
        if not globs:
            return
        result = run_pagefind(output, globs, options)
        if result.returncode != 0:
            logger.error(
                "Pagefind could not index the site (exit %s): %s",
                result.returncode,
                (result.stderr or result.stdout).strip(),
            )
            return
        bundle = os.path.join(output, options["bundle_dir"])
        with open(os.path.join(bundle, START_SCRIPT), "w", encoding="utf-8") as script:
            script.write(_start_script(options["element"], options["translations"]))


def get_generators(pelican):
    # Pelican never disconnects receivers: a preview built in the same process after a
    # production build must not get a search index it did not ask for.
    if any(str(getattr(p, "__name__", p)).endswith("site_search") for p in pelican.settings["PLUGINS"]):
        return SearchIndexGenerator
    return None


def register():
    signals.get_generators.connect(get_generators)
