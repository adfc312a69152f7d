"""Gives the theme's CSS and JS content-hashed file names (`name.<hash>.ext`), so that browsers may cache them for good.

The names are known before any page is rendered: they come from the theme's own
static files, which Pelican copies unchanged. Templates ask for them with the
`asset` filter (`{{ "css/zohe.css"|asset }}`); pelicanconf.py defines it as the
identity, so the preview keeps plain names and needs no plugin, and this plugin
replaces it in production. The hashed copies are written once every generator
has built its context, so the `finalized` link check finds them; the plain
copies Pelican writes afterwards are removed on granular signals' `optimize`,
after that check and before `compress`.

Why not webassets: it would be needed in the preview too. Why not rename the
files after the fact and rewrite every page (this plugin's first version):
that pass read and rewrote the 2,300 pages of a 1,000-chronicle site, 1.4 s.
"""

import hashlib
import logging
import os
import shutil

import blinker
from pelican import signals
import pelican.plugins.granular_signals

from .settings import get_settings

logger = logging.getLogger(__name__)


def hashed_name(path, length):
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()[:length]
    stem, suffix = os.path.splitext(os.path.basename(path))
    return f"{stem}.{digest}{suffix}"


def theme_assets(settings):
    """{path under the theme's static folder: its hashed name}, "/"-separated, from the theme's own files."""
    options = get_settings(settings)
    names = {}
    for static in settings["THEME_STATIC_PATHS"]:
        root = os.path.join(settings["THEME"], static)
        for folder, _dirs, files in os.walk(root):
            for name in files:
                if name.endswith(tuple(options["suffixes"])):
                    path = os.path.join(folder, name)
                    relative = os.path.relpath(path, root).replace(os.sep, "/")
                    hashed = os.path.join(os.path.dirname(relative), hashed_name(path, options["length"]))
                    names[relative] = (path, hashed.replace(os.sep, "/"))
    return names


_names = {}


def _assets(settings):
    """theme_assets() once per build: every generator and the later steps share its settings."""
    if _names.get("settings") is not settings:
        _names.update(settings=settings, assets=theme_assets(settings))
    return _names["assets"]


def add_filter(generator):
    if not hasattr(generator, "env"):
        return
    assets = _assets(generator.settings)

    def asset(relative):
        try:
            return assets[relative][1]
        except KeyError:
            raise ValueError(f"hashed_assets: no theme asset '{relative}'") from None

    generator.env.filters["asset"] = asset


def write_hashed_copies(generators):
    settings = generators[0].settings if generators else {}
    if not generators:
        return
    target = os.path.join(settings["OUTPUT_PATH"], settings["THEME_STATIC_DIR"])
    for source, hashed in _assets(settings).values():
        destination = os.path.join(target, hashed)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copyfile(source, destination)


def remove_plain_copies(pelican):
    settings = pelican.settings
    target = os.path.join(settings["OUTPUT_PATH"], settings["THEME_STATIC_DIR"])
    removed = 0
    for relative in _assets(settings):
        path = os.path.join(target, relative)
        if os.path.isfile(path):
            os.unlink(path)
            removed += 1
    logger.info("hashed_assets: %d plain copies removed", removed)


def register():
    # Registers the granular signals, whichever plugin comes first.
    pelican.plugins.granular_signals.register()
    signals.generator_init.connect(add_filter)
    signals.all_generators_finalized.connect(write_hashed_copies)
    blinker.signal("optimize").connect(remove_plain_copies)
