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
import subprocess

from pelican import signals
from pelican.generators import Generator

from .settings import get_settings

logger = logging.getLogger(__name__)

START_SCRIPT = "zohe-recherche.js"


def pagefind_executable():
    """The Pagefind binary shipped by the `pagefind[extended]` wheel (no download at run time)."""
    from pagefind_bin_extended import get_executable

    return str(get_executable())


def _indexed_files(context):
    """Output paths of every published chronicle and page (list pages are not search results)."""
    documents = list(context.get("articles", ())) + list(context.get("pages", ()))
    return sorted({doc.save_as for doc in documents if doc.save_as})


def _glob(paths):
    # Pagefind takes one glob; braces list the exact files. Commas and braces in a
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


class SearchIndexGenerator(Generator):
    """Indexes the HTML already written and writes the bundle into the output."""

    def generate_output(self, writer):
        options = get_settings(self.settings)
        output = self.output_path
        files = _indexed_files(self.context)
        if not files:
            return
        command = [
            pagefind_executable(),
            "--site", output,
            "--output-subdir", options["bundle_dir"],
            "--glob", _glob(files),
            "--root-selector", options["root_selector"],
            "--force-language", options["language"],
            "--silent",
        ]
        for selector in options["exclude_selectors"]:
            command += ["--exclude-selectors", selector]
        result = subprocess.run(command, capture_output=True, text=True)
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
