"""Renames the theme's CSS and JS to `name.<hash>.ext` once the site is written, and rewrites every reference.

Why not webassets: its `{% assets %}` tag would have to replace the plain
`<link>` in the templates, and then the plugin (and webassets) would be needed
in the development preview too. Hashing after the fact keeps the templates
plain and the preview untouched; production turns this plugin on.

It runs on pelican-granular-signals' `optimize` signal: after every generator
and the `finalized` checks, before `compress` (pelican-precompress), so that the
precompressed copies are made from the rewritten pages.
"""

import hashlib
import logging
import os
import re

import blinker
import pelican.plugins.granular_signals

from .settings import get_settings

logger = logging.getLogger(__name__)


def hashed_name(path, length):
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()[:length]
    stem, suffix = os.path.splitext(os.path.basename(path))
    return f"{stem}.{digest}{suffix}"


def hash_assets(output, static_dir, suffixes=(".css", ".js"), length=10):
    """Rename the assets under `output/static_dir`; return {old relative URL path: new one}."""
    renamed = {}
    root = os.path.join(output, static_dir)
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if not name.endswith(tuple(suffixes)):
                continue
            path = os.path.join(folder, name)
            new_path = os.path.join(folder, hashed_name(path, length))
            os.replace(path, new_path)
            old_url = os.path.relpath(path, output).replace(os.sep, "/")
            renamed[old_url] = os.path.relpath(new_path, output).replace(os.sep, "/")
    return renamed


def rewrite_references(output, renamed, suffixes):
    """Point every reference to a renamed file at its new name; return the files changed."""
    if not renamed:
        return []
    # A reference is the output path preceded by "/" (absolute URL or root-relative)
    # or by a relative "../" run, and followed by a quote, "?" or "#" or ")".
    pattern = re.compile(
        r"(?<=[/\"'(])(" + "|".join(re.escape(old) for old in sorted(renamed, key=len, reverse=True)) + r")(?=[\"'?#)\s])"
    )
    changed = []
    for folder, _dirs, names in os.walk(output):
        for name in names:
            if not name.endswith(tuple(suffixes)):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            new_text = pattern.sub(lambda match: renamed[match.group(1)], text)
            if new_text != text:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(new_text)
                changed.append(path)
    return changed


def hash_theme_assets(pelican):
    settings = pelican.settings
    # Pelican never disconnects receivers: a preview built in the same process after a
    # production build must keep its plain names.
    if not any(str(getattr(p, "__name__", p)).endswith("hashed_assets") for p in settings["PLUGINS"]):
        return
    options = get_settings(settings)
    output = os.path.abspath(settings["OUTPUT_PATH"])
    renamed = hash_assets(
        output, settings["THEME_STATIC_DIR"], options["suffixes"], options["length"]
    )
    changed = rewrite_references(output, renamed, options["rewritten_suffixes"])
    logger.info("hashed_assets: %d files renamed, %d files rewritten", len(renamed), len(changed))


def register():
    # Also registers the granular signals when precompress is not on.
    pelican.plugins.granular_signals.register()
    blinker.signal("optimize").connect(hash_theme_assets)
