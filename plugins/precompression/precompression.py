"""Pelican plugin that lets pelican-precompress skip every file an earlier build already compressed.

Brotli at quality 11 was most of a production build's time: about 40 s of CPU for
the 2,300 pages of a 1,000-chronicle site, though a push changes a few dozen of
them. Before pelican-precompress runs (granular signals' `minify` comes right
before its `compress`), the copies an earlier build made of a file with the same
SHA-256 are decompressed, compared with the file, and put beside it when they
match; pelican-precompress skips a file whose copies exist and compresses the
rest. A damaged cached copy is dropped and made again, so the cache can cost
time, never a wrong file. After it (`deploy`), this build's copies are stored.
"""

import hashlib
import json
import logging
import os
from pathlib import Path
import shutil
import time

import blinker
import brotli
import gzip
import pelican.plugins.granular_signals

from .settings import get_settings

logger = logging.getLogger(__name__)

_INDEX = "index.json"
_DECOMPRESS = {".br": brotli.decompress, ".gz": gzip.decompress}


def _enabled(settings):
    # Pelican never disconnects receivers: a preview built later in the same process is left alone.
    return any(str(getattr(p, "__name__", p)).endswith("compression_cache") for p in settings["PLUGINS"])


def _cache_folder(settings):
    return Path(settings["CACHE_PATH"]) / get_settings(settings)["folder"]


def _text_files(settings):
    extensions = set(settings.get("PRECOMPRESS_TEXT_EXTENSIONS", ()))
    for path in Path(settings["OUTPUT_PATH"]).rglob("*"):
        if path.suffix in extensions and path.is_file():
            yield path


def _holds(cached, data, suffix):
    try:
        return _DECOMPRESS[suffix](cached.read_bytes()) == data
    except Exception:  # brotli.error, OSError, EOFError: a damaged copy
        return False


def _place(source, destination):
    """A hard link when the cache and the output share a file system, else a copy."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)


def restore(pelican):
    """Put the cached compressed copies of unchanged files beside them."""
    settings = pelican.settings
    if not _enabled(settings):
        return
    cache = _cache_folder(settings)
    suffixes = get_settings(settings)["suffixes"]
    restored = 0
    digests = {}
    for path in _text_files(settings):
        data = path.read_bytes()
        digest = digests[path] = hashlib.sha256(data).hexdigest()
        for suffix in suffixes:
            cached = cache / f"{digest}{suffix}"
            destination = path.with_name(path.name + suffix)
            if not cached.is_file() or destination.exists():
                continue
            if _holds(cached, data, suffix):
                _place(cached, destination)
                restored += 1
            else:
                logger.info("compression_cache: damaged copy %s dropped", cached.name)
                cached.unlink(missing_ok=True)
    pelican._compression_digests = digests
    logger.info("compression_cache: %d compressed copies reused", restored)


def store(pelican):
    """Keep this build's compressed copies for the next one; forget those long unused."""
    settings = pelican.settings
    if not _enabled(settings):
        return
    options = get_settings(settings)
    cache = _cache_folder(settings)
    cache.mkdir(parents=True, exist_ok=True)
    index_path = cache / _INDEX
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {"build": 0, "used": {}}
    build = index["build"] + 1
    used = index["used"]
    digests = getattr(pelican, "_compression_digests", {})
    for path in _text_files(settings):
        digest = digests.get(path) or hashlib.sha256(path.read_bytes()).hexdigest()
        for suffix in options["suffixes"]:
            made = path.with_name(path.name + suffix)
            cached = cache / f"{digest}{suffix}"
            if made.is_file() and not cached.is_file():
                # Written under a temporary name first: a build killed midway leaves no torn file.
                partial = cached.with_name(f".{cached.name}.{os.getpid()}")
                shutil.copyfile(made, partial)
                os.replace(partial, cached)
            if cached.is_file():
                used[cached.name] = build
    for name, last in list(used.items()):
        if build - last >= options["keep_builds"]:
            (cache / name).unlink(missing_ok=True)
            del used[name]
    partial = index_path.with_name(f".{_INDEX}.{os.getpid()}")
    partial.write_text(json.dumps({"build": build, "used": used, "at": time.time()}), encoding="utf-8")
    os.replace(partial, index_path)


def register():
    pelican.plugins.granular_signals.register()
    # The granular signals run in order: optimize (hashed names), minify, compress, deploy.
    blinker.signal("minify").connect(restore)
    blinker.signal("deploy").connect(store)
