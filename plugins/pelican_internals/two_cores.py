"""Pages rendered on two cores: the one use of Pelican's writer and signals that forks the build (see below why)."""

import collections
import logging
import os
import pickle
import sys
import traceback

from pelican.writers import Writer

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- pages rendered on two cores
# Rendering ~2,300 pages with Jinja is most of a push and of the preview's full build once the
# Markdown comes from the reader cache. Once every generator has built its context, the build
# forks: parent and child run the articles' and pages' generators alike (Pelican always runs
# them first), each rendering every other page, counted one by one across both (a listing's
# 200 pages are one `write_file` call). Feeds, the writer-finalized plugins and the generators
# that follow stay with the parent, which first waits for the child, logs again what it logged
# at warning level or above, and sends `content_written` for every page in a one-process
# build's order. Same bytes as one process (tests/test_build_speed.py). `invoke bench` times
# a push and the preview's build after an edit with PARALLEL_BUILD on and off, in one run; on
# 2026-12-03, 300 chronicles, 2 cores shared at load 2 to 9: one process ÷ two 1.04 to 1.17
# for a push, 0.81 to 1.08 for the preview (the rendering itself 1.6-2.8 s -> 1.2-2.0 s).

PROCESSES = 2
_SKIPPED = object()  # the page being written is the other process's


class SharedWriter(Writer):
    """Pelican's writer rendering only its process's share of the pages, while `sharing`.

    For a page of the other share, Pelican's writer runs as usual but the template renders
    nothing and the file it opens is os.devnull: every other step a page takes (the context
    it sets, the pages' order) stays the same in both processes. Pelican's check that no
    file is written twice sees this share only; zohe_checks.check_unique_urls sees the site.
    """

    rank = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sharing = True
        self.written = []  # (page number, path, source path) of this share, not yet announced
        self._pages = 0
        self._page = None  # set by a page's rendering, taken by its opening

    def write_file(self, name, template, *args, **kwargs):
        from pelican import signals

        if not self.sharing:
            return super().write_file(name, template, *args, **kwargs)
        # Announced once both shares are written (send_written), in a one-process build's order.
        with signals.content_written.muted():
            return super().write_file(name, _ShareOfTemplate(template, self), *args, **kwargs)

    def write_feed(self, *args, **kwargs):
        return super().write_feed(*args, **kwargs) if self.rank == 0 else None

    def render(self, template, context):
        number, self._pages = self._pages, self._pages + 1
        if number % PROCESSES != self.rank:
            self._page = _SKIPPED
            return ""
        document = context.get("article") or context.get("page")
        self._page = (number, getattr(document, "source_path", None))
        return template.render(context)

    def _open_w(self, filename, encoding, override=False):
        page, self._page = self._page, None
        if page is _SKIPPED:
            return open(os.devnull, "w", encoding=encoding)
        if page is not None:
            self.written.append((page[0], filename, page[1]))
        return super()._open_w(filename, encoding, override)


class _ShareOfTemplate:
    """What Pelican's writer renders a page with: its writer decides whether the page is its own."""

    def __init__(self, template, writer):
        self._template = template
        self._writer = writer

    def render(self, context):
        return self._writer.render(self._template, context)


class _Forward(logging.Handler):
    """In the child: what the build's collector would have kept, as (logger, level, text)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.records.append((record.name, record.levelno, message))


def run_on_two_cores(pelican, enabled=True):
    """`pelican.run()`, its articles' and pages' generators writing through two processes."""
    from pelican import signals
    from pelican.generators import ArticlesGenerator, PagesGenerator

    if not enabled or (os.cpu_count() or 1) < PROCESSES:
        return pelican.run()
    state = {"generators": []}

    def keep(generators):
        state["generators"] = list(generators)

    def fork(_pelican):
        shared = state["generators"][:2]
        if [type(generator) for generator in shared] != [ArticlesGenerator, PagesGenerator]:
            return None  # not the order relied on: Pelican writes alone, as usual
        _compile_templates(shared)  # once, before the fork, rather than in each process
        reading, sending = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(reading)
            _render_in_child(pelican, shared, sending)  # never returns
        os.close(sending)
        state["child"] = child, reading
        return SharedWriter

    def join(_generator, writer):
        if "child" not in state:
            return  # Pelican wrote alone
        written = _wait_for_child(*state.pop("child"))
        writer.sharing = False  # the template pages and what follows: the parent alone
        _send_written(sorted(writer.written + written), state["generators"], signals.content_written)

    raised = None
    signals.all_generators_finalized.connect(keep)
    signals.get_writer.connect(fork)
    signals.page_writer_finalized.connect(join)
    try:
        pelican.run()
    except Exception as error:
        raised = error
    finally:
        signals.all_generators_finalized.disconnect(keep)
        signals.get_writer.disconnect(fork)
        signals.page_writer_finalized.disconnect(join)
    if "child" in state:
        # Pelican raised before the pages were all written: the child's messages are logged,
        # but not the error both processes met (a template that does not compile). Out of the
        # `except` block, or the build's collector would add this error to each of them.
        _wait_for_child(*state.pop("child"), known=str(raised))
    if raised is not None:
        raise raised


def _compile_templates(generators):
    import jinja2

    for generator in generators:
        for name in generator.env.list_templates(filter_func=lambda name: not name.startswith("!")):
            try:
                generator.env.get_template(name)
            except jinja2.TemplateError:
                pass  # Rendering reports it, with the page that uses it.


def _render_in_child(pelican, generators, channel):
    """In the forked child: write this share, send back its records and pages, exit."""
    from pelican import signals

    status, forward, writer = 0, _Forward(), None
    try:
        # The build's collector, inherited, would keep records nobody reads.
        logging.getLogger().handlers = [forward]
        writer = type("SharedWriter", (SharedWriter,), {"rank": 1})(pelican.output_path, settings=pelican.settings)
        # The plugins that act once for the whole site do so in the parent.
        with signals.article_writer_finalized.muted(), signals.page_writer_finalized.muted():
            for generator in generators:
                generator.generate_output(writer)
    except BaseException as error:
        # What publish.build reports of an exception Pelican raises: its message (the trace for debugging).
        status = 1
        forward.records += [(__name__, logging.ERROR, str(error) or type(error).__name__),
                            (__name__, logging.DEBUG, traceback.format_exc())]
    try:
        with os.fdopen(channel, "wb") as pipe:
            pickle.dump({"records": forward.records, "written": writer.written if writer else []}, pipe)
    finally:
        sys.stdout.flush()
        os._exit(status)


def _wait_for_child(child, channel, known=None):
    """In the parent: the child's pages, once it has ended; what it logged, `known` aside, is logged here again."""
    with os.fdopen(channel, "rb") as pipe:
        data = pipe.read()
    _pid, status = os.waitpid(child, 0)
    try:
        result = pickle.loads(data)
    except Exception:
        result = {"records": [], "written": []}
    if status != 0 and not result["records"]:
        result["records"].append((__name__, logging.ERROR, f"the process writing half the pages ended with status {status}"))
    for name, level, message in result["records"]:
        if message != known:
            logging.getLogger(name).log(level, "%s", message)
    return result["written"]


def _send_written(written, generators, content_written):
    """Pelican's `content_written` for each page, for the plugins that collect pages (sitemap, link check)."""
    import built_site
    from pelican.contents import Article

    documents = {document.source_path: document for document in built_site.documents(generators)}
    context = generators[0].context
    for _number, path, source in written:
        document = documents.get(source)
        local = {} if document is None else {"article" if isinstance(document, Article) else "page": document}
        content_written.send(path, context=collections.ChainMap(local, context))
