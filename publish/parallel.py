"""The build's use of a second core: Markdown read in a process pool, and page writing shared with a forked child.

Both steps keep the output byte-identical to a single-process build
(tests/test_build_speed.py compares every file) and keep the build strict:

- Reading: a pool parses the Markdown of every file Pelican's reader cache does
  not already hold and stores the results in that cache; Pelican then runs as
  usual and finds them there. A file whose reading logged anything, or raised,
  is left out of the cache so that Pelican reads it again in the parent and the
  message reaches the build's collector as in a plain build.
- Writing: once every generator has built its context (Pelican asks for its
  writer at that moment), the process forks. Parent and child walk the same
  generators in the same order; each renders every other page.
  Feeds, other signals and the generators that follow (static files, search
  index) stay with the parent, which waits for the child first. The child sends
  back the log records of WARNING and above (re-logged in the parent, so the
  build fails as it would have) and the files it wrote; the parent then sends
  Pelican's `content_written` signal for every page in the serial build's order,
  so plugins that collect pages (the sitemap, the link check) see them all.
"""

from collections import ChainMap
import logging
import multiprocessing
import os
import pickle
import sys
import traceback

import built_site
import jinja2
from pelican import Pelican, signals

logger = logging.getLogger(__name__)

WORKERS = 2


# ---------------------------------------------------------------- reading


def _sources(settings):
    """Every Markdown file the articles and pages generators will read, as absolute paths."""
    base = os.path.abspath(settings["PATH"])
    found = []
    for folder in list(settings["ARTICLE_PATHS"]) + list(settings["PAGE_PATHS"]):
        for directory, dirs, files in os.walk(os.path.join(base, folder), followlinks=True):
            dirs.sort()
            found += [os.path.join(directory, name) for name in sorted(files) if name.endswith((".md", ".markdown", ".mkd", ".mdown"))]
    return found


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


_pool_readers = {}


def _read_chunk(paths):
    """Parse `paths` in a pool process: [(path, (content, metadata)) or (path, None)]."""
    from pelican.readers import Readers, _filter_discardable_metadata

    settings = _pool_readers["settings"]
    if "readers" not in _pool_readers:
        _pool_readers["readers"] = Readers({**settings, "CACHE_CONTENT": False})
    readers = _pool_readers["readers"]
    recorder = _Recorder()
    root = logging.getLogger()
    # The parent's build collector was inherited by fork: a child's record must not land in a
    # copy nobody reads, so the child counts records itself and the parent re-reads that file.
    saved = root.handlers[:]
    root.handlers = [recorder]
    results = []
    try:
        for path in paths:
            before = recorder.count
            try:
                reader = readers.readers[os.path.splitext(path)[1][1:]]
                content, metadata = reader.read(path)
                data = (content, _filter_discardable_metadata(metadata))
            except Exception:
                data = None
            results.append((path, data if recorder.count == before else None))
    finally:
        root.handlers = saved
    return results


def _init_pool(settings):
    _pool_readers["settings"] = settings


def warm_reader_cache(settings, workers=WORKERS):
    """Parse in `workers` processes the Markdown files the reader cache lacks, and save the cache.

    Returns how many files were parsed. Needs CACHE_CONTENT with the reader layer.
    """
    from pelican.readers import Readers

    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "reader":
        return 0
    # The same cache file and stamps Pelican's generators will use (one per generator class).
    caches = {}
    stale = []
    for path in _sources(settings):
        kind = "ArticlesGenerator" if _under(path, settings, "ARTICLE_PATHS") else "PagesGenerator"
        if kind not in caches:
            caches[kind] = Readers(settings, f"{kind}-Readers")
        if caches[kind].get_cached_data(path, None) is None:
            stale.append((kind, path))
    if len(stale) < 8 or workers < 2:
        return 0  # Not worth a pool: Pelican reads these few itself.
    paths = [path for _kind, path in stale]
    chunks = [paths[i::workers * 4] for i in range(workers * 4)]
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers, initializer=_init_pool, initargs=(settings,)) as pool:
            parsed = dict(item for chunk in pool.map(_read_chunk, chunks) for item in chunk)
    except (pickle.PicklingError, AttributeError, TypeError) as error:
        # Settings holding something pickle cannot carry (a lambda): Pelican reads them all itself.
        logger.debug("Markdown not read in parallel: %s", error)
        return 0
    for kind, path in stale:
        if parsed.get(path) is not None:
            caches[kind].cache_data(path, parsed[path])
    for readers in caches.values():
        readers.save_cache()
    return sum(data is not None for data in parsed.values())


def _under(path, settings, key):
    base = os.path.abspath(settings["PATH"])
    return any(
        os.path.commonpath([path, os.path.join(base, folder)]) == os.path.join(base, folder).rstrip(os.sep)
        for folder in settings[key]
    )


# ---------------------------------------------------------------- templates


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates held for one build, shared by its generators (each has its own environment)."""

    def __init__(self):
        self._buckets = {}

    def load_bytecode(self, bucket):
        code = self._buckets.get(bucket.key)
        if code is not None and code[0] == bucket.checksum:
            bucket.code = code[1]

    def dump_bytecode(self, bucket):
        self._buckets[bucket.key] = (bucket.checksum, bucket.code)


def template_cache(settings):
    """Jinja's bytecode cache for a build: kept in the content cache's folder when there is one.

    Jinja checks each compiled template against its source's checksum, so an edited
    template is compiled again; without a kept folder, the templates are compiled
    once for the build rather than once for each generator.
    """
    if settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE"):
        folder = os.path.join(settings["CACHE_PATH"], "templates")
        os.makedirs(folder, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(folder)
    return _MemoryBytecodeCache()


def _compile_templates(generators):
    """Load the theme's templates in the parent, so that the forked child finds them compiled."""
    for generator in generators:
        env = generator.env
        for name in env.list_templates(filter_func=lambda name: not name.startswith("!")):
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                pass  # Rendering reports it, with the page that uses it.


# ---------------------------------------------------------------- writing

# Generators whose output goes only through the writer's write_file and write_feed.
_SHARED = ("ArticlesGenerator", "PagesGenerator", "TemplatePagesGenerator")


class _SharedWriter:
    """Wraps Pelican's writer: renders only this process's share of the pages, records them.

    Pages are shared one by one, those of a paginated listing among them (the home
    page's listing is 200 pages written by one `write_file` call at 1,000 chronicles).
    For a page of the other process's share, the template renders nothing and the
    file opened is os.devnull, so Pelican's writer runs unchanged otherwise.
    """

    def __init__(self, writer, rank):
        self._writer = writer
        self.rank = rank
        self.calls = 0
        self.pages = 0
        self._mine = False
        self.written = []  # (call number, order inside the call, path, context key, source path)
        # The other process's pages go nowhere. Pelican's check that no file is written twice
        # then sees this share only; zohe_checks.check_unique_urls covers the whole site.
        open_w = writer._open_w
        writer._open_w = lambda filename, encoding, *args, **kwargs: (
            open_w(filename, encoding, *args, **kwargs) if self._mine else open(os.devnull, "w", encoding=encoding)
        )

    def __getattr__(self, name):
        return getattr(self._writer, name)

    def write_file(self, name, template, *args, **kwargs):
        self._call = self.calls
        self.calls += 1
        self._order = -1
        return self._writer.write_file(name, _ShareOfTemplate(template, self), *args, **kwargs)

    def next_page(self):
        """Called as each page starts rendering: is it this process's?"""
        self._order += 1
        self._mine = self.pages % WORKERS == self.rank
        self.pages += 1
        return self._mine

    def write_feed(self, *args, **kwargs):
        if self.rank == 0:
            self._mine = True
            return self._writer.write_feed(*args, **kwargs)
        return None

    def record(self, path, context):
        if not self._mine:
            return
        key = next((key for key in ("article", "page") if context.get(key) is not None), "")
        source = getattr(context.get(key), "source_path", "") if key else ""
        self.written.append((self._call, self._order, path, key, source))


class _ShareOfTemplate:
    """A template that renders only the pages of its writer's share."""

    def __init__(self, template, writer):
        self._template = template
        self._writer = writer

    def __getattr__(self, name):
        return getattr(self._template, name)

    def render(self, *args, **kwargs):
        if self._writer.next_page():
            return self._template.render(*args, **kwargs)
        return ""


class ParallelPelican(Pelican):
    """Pelican whose writer splits the pages between this process and a forked child."""

    def run(self):
        self._generators = []
        receiver = self._generators.extend
        signals.all_generators_finalized.connect(receiver, weak=False)
        try:
            return super().run()
        finally:
            signals.all_generators_finalized.disconnect(receiver)
            # Pelican raised before the child was waited for: reap it, keep its messages.
            if getattr(self, "_finish_writing", None):
                self._finish_writing()

    def _get_writer(self):
        writer = super()._get_writer()
        # The child takes the leading generators that only use the writer (articles, pages,
        # template pages come first in Pelican's list); the parent waits for it before any other.
        shared = []
        for generator in self._generators:
            if type(generator).__name__ not in _SHARED:
                break
            shared.append(generator)
        if not shared:
            return writer
        _compile_templates(shared)
        reading, sending = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(reading)
            _child_writes(writer, shared, sending)  # never returns
        os.close(sending)
        parent = _SharedWriter(writer, rank=0)
        state = {"child": child, "reading": reading, "done": False}
        content_written = signals.content_written
        send = content_written.send

        def record(path, context=None, **kwargs):
            parent.record(path, context or {})
            return []

        content_written.send = record

        def finish():
            if state["done"]:
                return
            state["done"] = True
            content_written.send = send
            _join_child(state["child"], state["reading"], parent, self._generators, send)

        # The parent waits for the child before the first generator that is not shared
        # (StaticGenerator is always last, so this happens before `finalized`).
        for generator in self._generators:
            if generator not in shared:
                _before(generator, finish)
        self._finish_writing = finish
        return parent


def _before(generator, finish):
    original = generator.generate_output

    def generate_output(writer):
        finish()
        # Later generators get Pelican's own writer, with no share to skip.
        return original(getattr(writer, "_writer", writer))

    generator.generate_output = generate_output


class _Forward(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.records.append((record.name, record.levelno, message))


def _child_writes(writer, generators, channel):
    """In the forked child: render this share of the pages, send records and pages back, exit."""
    status = 0
    forward = _Forward()
    try:
        root = logging.getLogger()
        root.handlers = [forward]
        shared = _SharedWriter(writer, rank=1)
        signals.content_written.send = lambda path, context=None, **kw: shared.record(path, context or {}) or []
        # The writer-finalized signals and feeds belong to the parent, which sends them too.
        for name in ("article_writer_finalized", "page_writer_finalized", "feed_generated", "feed_written"):
            getattr(signals, name).send = lambda *a, **k: []
        for generator in generators:
            generator.generate_output(shared)
        result = {"records": forward.records, "written": shared.written}
    except BaseException:
        status = 1
        result = {"records": forward.records + [("publish.parallel", logging.ERROR, traceback.format_exc())], "written": []}
    try:
        with os.fdopen(channel, "wb") as pipe:
            pickle.dump(result, pipe)
    finally:
        sys.stdout.flush()
        os._exit(status)


def _join_child(child, channel, parent, generators, send):
    with os.fdopen(channel, "rb") as pipe:
        data = pipe.read()
    _pid, status = os.waitpid(child, 0)
    try:
        result = pickle.loads(data)
    except Exception:
        result = {"records": [], "written": []}
    if status != 0 and not result["records"]:
        result["records"].append(("publish.parallel", logging.ERROR, f"the writing process ended with status {status}"))
    for name, level, message in result["records"]:
        logging.getLogger(name).log(level, "%s", message)
    documents = {document.source_path: document for document in built_site.documents(generators)}
    context = generators[0].context if generators else {}
    # Pelican's content_written in the single-process order, for plugins that collect pages.
    for _call, _order, path, key, source in sorted(parent.written + result["written"]):
        local = {key: documents[source]} if key and source in documents else {}
        send(path, context=ChainMap(local, context))
