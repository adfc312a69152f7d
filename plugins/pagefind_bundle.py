"""Pagefind's search bundle: Pagefind run on a built site, the digest of what it reads, and bundles kept between builds.

The site_search plugin makes the bundle of each production build with it; the
benchmarks run Pagefind alone with the same options.

With a cache folder (production's kept cache), the bundle of each build is kept,
named after a digest of what Pagefind reads: its version and options, and each
indexed page's path and root element, the discussion left out (Pagefind is told
to skip it). A build whose digest names a kept bundle, such as the rebuild that publishes
an approved comment, links that bundle's files into the output instead of
running Pagefind again; a file whose SHA-256 no longer matches the bundle's
manifest makes Pagefind run.
"""

import glob
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile

import cbor2

logger = logging.getLogger(__name__)


def pagefind_executable():
    """The Pagefind binary shipped by the `pagefind[extended]` wheel (no download at run time)."""
    from pagefind_bin_extended import get_executable

    return str(get_executable())


def _glob(paths):
    # Pagefind takes one glob; braces list the alternatives. Commas and braces in a
    # path would break it, and Pelican's slugs never contain them.
    return "{" + ",".join(paths) + "}" if len(paths) > 1 else paths[0]


class Indexing:
    """Pagefind indexing the files of `output` matched by `globs`, in the background."""

    def __init__(self, output, globs, options):
        self.output, self.globs = output, globs
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
        self._folder = tempfile.TemporaryDirectory(prefix="zohe-pagefind-")
        with open(os.path.join(self._folder.name, "pagefind.json"), "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        self._process = subprocess.Popen(
            [pagefind_executable(), "--silent"], cwd=self._folder.name,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait(self):
        """Wait for Pagefind to end; return its completed process."""
        try:
            stdout, stderr = self._process.communicate()
        finally:
            self._folder.cleanup()
        return subprocess.CompletedProcess(self._process.args, self._process.returncode, stdout, stderr)


def run_pagefind(output, globs, options):
    """Index the files of `output` matched by `globs` with Pagefind; return the finished process."""
    return Indexing(output, globs, options).wait()


def _without_elements(data, ids):
    """`data` (a page's bytes) without the start of each element whose id is in `ids`.

    What is cut runs from the element's opening tag to the first closing tag of the
    same name after it, which closes that element or one nested in it: all of it
    lies inside the element, so nothing Pagefind indexes is ever left out.
    """
    for element_id in ids:
        opening = re.search(rb'<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sid="' + re.escape(element_id.encode()) + rb'"[^>]*>', data)
        if opening is None:
            continue
        closing = data.find(b"</" + opening.group(1), opening.end())
        if closing != -1:
            data = data[: opening.start()] + data[closing:]
    return data


def _root_element(data, selector):
    """The page's <html> tag (its lang) and its root element, where Pagefind reads everything.

    Pagefind ignores what lies outside its root selector (such as the structured data
    in <head>, which lists a chronicle's comments). Only a tag name is recognised here;
    any other selector gives the whole page.
    """
    if not re.fullmatch(r"[a-z][a-z0-9]*", selector):
        return data
    start = data.find(b"<" + selector.encode())
    end = data.find(b"</" + selector.encode() + b">", start)
    if start == -1 or end == -1:
        return data
    html = re.search(rb"<html\b[^>]*>", data)
    return (html.group(0) if html else b"") + data[start:end]


def index_digest(output, globs, options):
    """SHA-256 of everything Pagefind's bundle is made from, for the pages matched by `globs`."""
    skipped = [selector[1:] for selector in options["exclude_selectors"] if re.fullmatch(r"#[\w-]+", selector)]
    digest = hashlib.sha256(repr((pagefind_executable(), _pagefind_version(), sorted(options.items()))).encode())
    pages = sorted({page for pattern in globs for page in glob.glob(pattern, root_dir=output)})
    for page in pages:
        with open(os.path.join(output, page), "rb") as handle:
            data = _without_elements(_root_element(handle.read(), options["root_selector"]), skipped)
        digest.update(b"%s\0%d\0" % (page.encode(), len(data)) + data)
    return digest.hexdigest()


def _pagefind_version():
    from importlib.metadata import version

    return version("pagefind_bin_extended")


def _file_digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _link_or_copy(source, destination):
    try:
        os.link(source, destination)
    except OSError:  # another file system
        shutil.copyfile(source, destination)


def _link_tree(source, destination):
    """Hard links of every file of `source` under `destination` (copies across file systems)."""
    shutil.copytree(source, destination, copy_function=_link_or_copy, dirs_exist_ok=True)


# The files Pagefind names after their contents (its "immutable" ones).
_HASHED = re.compile(r"pagefind\.[\w-]+\.pf_meta|fragment/[\w-]+\.pf_fragment|index/[\w-]+\.pf_index|filter/[\w-]+\.pf_filter")


def _cbor_strings(data):
    """Every text string of the one CBOR item `data`: Pagefind's meta index names its pages',
    word chunks' and filters' hashes as text strings. ValueError if `data` is not one whole item."""
    stream = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(stream).decode()
    except cbor2.CBORError as error:
        raise ValueError(f"not a CBOR item: {error}") from error
    if stream.tell() != len(data):
        raise ValueError("bytes after the CBOR item")
    strings, pending = set(), [item]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, (list, tuple)):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, cbor2.CBORTag):
            pending.append(value.value)
    return strings


def prune_seeded(bundle, seeded):
    """Remove the linked-in files the new index does not use.

    Raises ValueError (or OSError) when the bundle cannot be read as expected.
    """
    import gzip

    with open(os.path.join(bundle, "pagefind-entry.json"), encoding="utf-8") as handle:
        languages = json.load(handle)["languages"]
    metas = {f"pagefind.{language['hash']}.pf_meta" for language in languages.values()}
    used = set()
    for meta in metas:
        data = gzip.decompress(open(os.path.join(bundle, meta), "rb").read())
        if not data.startswith(b"pagefind_dcd"):
            raise ValueError(f"{meta} is not a Pagefind meta index")
        used |= _cbor_strings(data[len(b"pagefind_dcd") :])
    if not used:
        raise ValueError("the meta index names no file")
    stale = [
        name for name in seeded
        if name not in metas and (name.startswith("pagefind.") or name.split("/", 1)[1].rsplit(".", 1)[0] not in used)
    ]
    for name in stale:
        os.unlink(os.path.join(bundle, name))


class BundleCache:
    """Bundles of earlier builds, one folder each, named after their index digest, with a manifest."""

    MANIFEST = "manifest.json"

    def __init__(self, folder, kept):
        self.folder, self.kept = folder, kept

    def restore(self, digest, bundle):
        """Link the kept bundle `digest` at `bundle`; False if there is none whole."""
        if not self.folder:
            return False
        kept = os.path.join(self.folder, digest)
        try:
            with open(os.path.join(kept, self.MANIFEST), encoding="utf-8") as handle:
                manifest = json.load(handle)
            whole = all(_file_digest(os.path.join(kept, "bundle", name)) == sha for name, sha in manifest.items())
        except (OSError, ValueError, AttributeError):
            whole = False
        if not whole:
            if os.path.isdir(kept):
                logger.info("site_search: kept bundle %s is damaged, indexing again", digest)
                shutil.rmtree(kept, ignore_errors=True)
            return False
        shutil.rmtree(bundle, ignore_errors=True)
        _link_tree(os.path.join(kept, "bundle"), bundle)
        os.utime(kept)  # the most recently used is kept longest
        return True

    def _entries(self):
        """The kept bundles, the most recently used first."""
        return sorted(
            (entry for entry in os.scandir(self.folder) if entry.is_dir() and not entry.name.startswith(".")),
            key=lambda entry: entry.stat().st_mtime,
            reverse=True,
        )

    def seed(self, bundle):
        """Link the hashed files of the latest kept bundle into `bundle`; return {path in it: SHA-256}.

        Pagefind names its index files after their contents and does not make again
        one that exists (`WriteBehavior::Immutable`), which spares it compressing at
        gzip's best level the fragments of every page a push did not change. It
        truncates and rewrites its other files, so those are never linked in.
        """
        if not self.folder or not os.path.isdir(self.folder):
            return {}
        entries = self._entries()
        if not entries:
            return {}
        try:
            with open(os.path.join(entries[0].path, self.MANIFEST), encoding="utf-8") as handle:
                manifest = json.load(handle)
        except (OSError, ValueError):
            return {}
        seeded = {}
        for name, sha in sorted(manifest.items()):
            source = os.path.join(entries[0].path, "bundle", name)
            if _HASHED.fullmatch(name) and _file_digest(source) == sha:
                os.makedirs(os.path.dirname(os.path.join(bundle, name)), exist_ok=True)
                os.link(source, os.path.join(bundle, name))
                seeded[name] = sha
        return seeded

    def keep(self, digest, bundle, known=None):
        """Keep `bundle` as `digest`; `known` gives the SHA-256 of files already checked (the seeded ones)."""
        if not self.folder:
            return
        os.makedirs(self.folder, exist_ok=True)
        partial = tempfile.mkdtemp(prefix=f".{digest}-", dir=self.folder)
        _link_tree(bundle, os.path.join(partial, "bundle"))
        known = known or {}
        manifest = {}
        for folder, _dirs, names in os.walk(bundle):
            for name in names:
                relative = os.path.relpath(os.path.join(folder, name), bundle)
                manifest[relative] = known.get(relative) or _file_digest(os.path.join(folder, name))
        with open(os.path.join(partial, self.MANIFEST), "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        kept = os.path.join(self.folder, digest)
        shutil.rmtree(kept, ignore_errors=True)
        os.replace(partial, kept)
        for entry in self._entries()[self.kept :]:
            shutil.rmtree(entry.path, ignore_errors=True)
