"""Pelican plugin that writes `.br` and `.gz` copies beside every text file, reusing those of earlier builds.

Brotli at quality 11 (and gzip at level 9, as pelican-precompress makes them)
was most of a production build: about 40 s of CPU for the 2,300 files of a
1,000-chronicle site, although a push changes a few dozen of them. Every copy
made is kept in a cache folder, named after the SHA-256 of the file it was made
from; the index beside them records the SHA-256 of each copy, so a damaged one
is noticed, dropped and made again. A file whose copies are cached gets them as
hard links (copies across file systems); the others are compressed on both cores.
A copy that would not be smaller than its file is not written.

It runs on pelican-granular-signals' `compress`: after `optimize` (hashed asset
names, so the copies are made of the final pages) and every other step.
"""

import hashlib
import json
import logging
import multiprocessing
import os
from pathlib import Path
import shutil
import zlib

import blinker
import brotli
import pelican.plugins.granular_signals

from .settings import get_settings

logger = logging.getLogger(__name__)

_INDEX = "index.json"


def _brotli(data):
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)


def _gzip(data):
    # mtime 0 in the header: the same file always gives the same bytes.
    compressor = zlib.compressobj(level=9, wbits=16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


FORMATS = {".br": _brotli, ".gz": _gzip}
# Another library version or level may make other bytes: copies are kept per recipe.
RECIPE = hashlib.sha256(
    repr((brotli.__version__, "quality 11", zlib.ZLIB_VERSION, "level 9")).encode()
).hexdigest()[:12]


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def _compress(job):
    """In a pool process: (path, suffix) -> (path, suffix, copy or None when not smaller)."""
    path, suffix = job
    data = Path(path).read_bytes()
    blob = FORMATS[suffix](data)
    return path, suffix, blob if len(blob) < len(data) else None


def _place(source, destination):
    """A hard link when the cache and the output share a file system, else a copy."""
    destination.unlink(missing_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)


def _write_atomically(path, blob):
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(blob)
    os.replace(partial, path)


class Cache:
    """The kept copies and their index: {copy name: [last build that used it, SHA-256 of the copy]}."""

    def __init__(self, folder):
        self.folder = Path(folder) / RECIPE if folder else None
        self.build, self.copies = 1, {}
        if self.folder is None:
            return
        try:
            index = json.loads((self.folder / _INDEX).read_text(encoding="utf-8"))
            self.build, self.copies = index["build"] + 1, dict(index["copies"])
        except (OSError, ValueError, KeyError, TypeError):
            # None yet, or unreadable: start afresh, without the copies nothing indexes any more.
            logger.info("precompression: no usable index in %s, starting a new cache", self.folder)
            shutil.rmtree(self.folder, ignore_errors=True)

    def get(self, name):
        """The cached copy called `name` if it is whole, else None (and a damaged one is dropped)."""
        entry = self.copies.get(name)
        if entry is None:
            return None
        path = self.folder / name
        try:
            whole = _digest(path.read_bytes()) == entry[1]
        except OSError:
            whole = False
        if not whole:
            logger.info("precompression: cached copy %s is damaged or gone, made again", name)
            del self.copies[name]
            path.unlink(missing_ok=True)
            return None
        entry[0] = self.build
        return path

    def put(self, name, blob):
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.folder / name, blob)
        self.copies[name] = [self.build, _digest(blob)]

    def save(self, keep_builds):
        if self.folder is None:
            return
        for name, (last, _digest_) in list(self.copies.items()):
            if self.build - last >= keep_builds:
                (self.folder / name).unlink(missing_ok=True)
                del self.copies[name]
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.folder / _INDEX, json.dumps({"build": self.build, "copies": self.copies}).encode())


def precompress(output, cache_folder, options):
    """Write the copies of every text file under `output`; return (reused, made)."""
    cache = Cache(cache_folder)
    jobs, names, sizes = [], {}, {}
    reused = 0
    for folder, _dirs, files in os.walk(output):
        for file_name in files:
            if not file_name.endswith(tuple(options["extensions"])):
                continue
            path = Path(folder) / file_name
            data = path.read_bytes()
            if len(data) < options["min_size"]:
                continue
            digest = _digest(data)
            for suffix in FORMATS:
                name = f"{digest}{suffix}"
                cached = cache.get(name)
                if cached is not None:
                    _place(cached, path.with_name(path.name + suffix))
                    reused += 1
                else:
                    jobs.append((str(path), suffix))
                    names[(str(path), suffix)] = name
                    sizes[(str(path), suffix)] = len(data)
    if len(jobs) > 1 and sum(sizes.values()) >= options["pool_threshold"]:
        # Largest first, in small chunks: a push has a few files to compress, one of them
        # the sitemap, and each process should get its share of the bytes, not of the files.
        jobs.sort(key=lambda job: -sizes[job])
        workers = min(2, os.cpu_count() or 1)
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_compress, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
    else:
        results = [_compress(job) for job in jobs]
    for path, suffix, blob in results:
        if blob is None:
            continue
        _write_atomically(Path(path).with_name(Path(path).name + suffix), blob)
        cache.put(names[(path, suffix)], blob)
    cache.save(options["keep_builds"])
    return reused, len(jobs)


def compress_site(pelican):
    settings = pelican.settings
    options = get_settings(settings)
    reused, made = precompress(settings["OUTPUT_PATH"], options["folder"], options)
    logger.info("precompression: %d copies reused, %d made", reused, made)


def register():
    pelican.plugins.granular_signals.register()
    blinker.signal("compress").connect(compress_site)
