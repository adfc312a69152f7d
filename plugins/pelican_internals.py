"""Every use this project makes of Pelican's internals: names Pelican does not offer plugins, in one place.

An upgrade of Pelican (or of pelican-sitemap) may rename or change any of them
without notice. Each is used only through a function here, and each function
is checked by tests/test_pelican_internals.py, which fails when the internal it
relies on is gone or changed, rather than a build quietly going wrong. Beside
each: why it is worth touching, with its measure when the reason is speed.
Plugins and publish/ both import this module plainly (plugins/ is on sys.path).
"""

import collections
import contextlib
import functools
import logging
import os
import pickle
import sys
import traceback

from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.writers import Writer

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- a document's source HTML
# Pelican renders a document's body from `_content` (and its summary, when intersite links
# are refreshed, from `_summary`); a plugin that changes what readers see changes those,
# once per document, rather than every page, listing and feed that shows it.


def body(document):
    """The HTML Pelican renders a document's body from (None for a document without one)."""
    return getattr(document, "_content", None)


def set_body(document, html):
    document._content = html


def set_summary(document, summary):
    """Have Pelican render `summary` wherever the document's summary is shown."""
    if hasattr(document, "_summary"):
        document._summary = summary


def forget_rendered(document=None):
    """Empty Pelican's memo of rendered bodies and summaries: of `document` only, or of every document.

    `Content.get_content` and `get_summary` keep what they return in a dict of their
    class, keyed by (document, siteurl). Of one document: a plugin connected before
    french_typography may have read its body already, and the uncorrected text would be
    served from there. Of all: in a process that builds again and again (the live
    preview) every build's documents stayed alive, 50 MB more a build at 1,000 chronicles.
    """
    for name in ("get_content", "get_summary"):
        cache = vars(Content)[name].cache
        if document is None:
            cache.clear()
        else:
            cache.pop((document, document.get_siteurl()), None)


# ---------------------------------------------------------------- logging


def forget_logged_warnings():
    """Make Pelican's loggers log again a warning they logged once in this process.

    Pelican's LimitFilter drops a message already logged: in the live preview, a warning
    the edited page alone had raised would never reach the full build, which would then
    pass where production fails.
    """
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


@contextlib.contextmanager
def quiet_console():
    """Pelican's console prints nothing meanwhile.

    At the end of each run Pelican prints an English summary on it ("Done: Processed 2
    articles, …"), even when the build then fails on its problems: the author would read
    it above the French lines, and in every `git push`. Problems reach the build's
    collector through logging, not through this console.
    """
    from pelican.log import console

    quiet, console.quiet = console.quiet, True
    try:
        yield
    finally:
        console.quiet = quiet


# ---------------------------------------------------------------- pelican-sitemap


def date_sitemap_listings(when):
    """Date the sitemap's listing pages `when`, instead of the time pelican-sitemap was imported.

    pelican-sitemap keeps one generator for the process, whose `now` dates every page
    that is neither a chronicle nor a page (plugins/sitemap_dates says why that matters).
    """
    from pelican.plugins.sitemap import sitemap

    sitemap.generator.now = when


def forget_sitemap_pages():
    """Start pelican-sitemap's one generator afresh, as its `finalized` receiver does after writing.

    A build that raises (Pelican refuses to write two documents to one file) never sends
    `finalized`: the generator then kept that build's Pelican as "the main one" and its
    queued pages, so every later build of the process (the preview, the tests) wrote no
    sitemap and kept the failed build's documents alive. Every build starts with this.
    """
    from pelican.plugins.sitemap import sitemap

    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []


# ---------------------------------------------------------------- the live preview's edited page
# The preview shows an edited chronicle by rendering its page alone from the generators the
# last full build left behind: tests/test_preview.py measures it against the full build.


def read_again(generator, document):
    """`document` read again from its file as its generator reads it, plugins' signals included."""
    from pelican import signals
    from pelican.contents import Article, Page

    is_article = isinstance(document, Article)
    return generator.readers.read_file(
        base_path=generator.path,
        path=os.path.relpath(document.source_path, generator.path),
        content_class=Article if is_article else Page,
        context=generator.context,
        preread_signal=signals.article_generator_preread if is_article else signals.page_generator_preread,
        preread_sender=generator,
        context_signal=signals.article_generator_context if is_article else signals.page_generator_context,
        context_sender=generator,
    )


def replace_document(generator, old, new):
    """Put `new` wherever the generator and its context hold `old` (lists, tag and date groups)."""
    for container in (vars(generator), generator.context):
        _replace(container, old, new)


def _replace(container, old, new, depth=4):
    """Put `new` wherever `old` stands in lists, tuples' lists and dict values of `container`."""
    if depth == 0:
        return
    if isinstance(container, list):
        for index, item in enumerate(container):
            if item is old:
                container[index] = new
            else:
                _replace(item, old, new, depth - 1)
    elif isinstance(container, tuple):
        for item in container:
            _replace(item, old, new, depth - 1)
    elif isinstance(container, dict):
        for key, item in list(container.items()):
            if item is old:
                container[key] = new
            else:
                _replace(item, old, new, depth - 1)


def write_documents(generator, writer):
    """Have `generator` write its documents' pages through `writer`, and no listing.

    An articles generator writes its listings from generate_output; its chronicles and
    drafts alone come from these two steps. Other generators write only documents.
    """
    if hasattr(generator, "generate_articles"):
        write = functools.partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
        generator.generate_articles(write)
        generator.generate_drafts(write)
    else:
        generator.generate_output(writer)


# ---------------------------------------------------------------- URLs computed once while writing
# Pelican formats a document's URL from its pattern, a copy of its metadata and its source
# path at every access, and a tag's or a category's likewise; the listings ask dozens of times
# a page. Measured on 2026-12-03 (300 chronicles, development build, cold, 2 shared cores):
# 0.9 CPU-second of 9.6 saved on average, less CPU time in each of 5 paired runs.

MEMO = "_zohe_urls"  # the attribute each document, tag or category keeps its URLs in


def _memoized(compute, frozen):
    @functools.wraps(compute)
    def lookup(self, key, *args, **kwargs):
        if not frozen:
            return compute(self, key, *args, **kwargs)
        memo = self.__dict__.setdefault(MEMO, {})
        slot = (key, *args, *sorted(kwargs.items()))
        try:
            return memo[slot]
        except KeyError:
            value = memo[slot] = compute(self, key, *args, **kwargs)
            return value

    return lookup


@contextlib.contextmanager
def memoized_urls():
    """Within a build: each URL computed once, from `all_generators_finalized` to the end.

    Once every generator has built its context nothing those URLs depend on changes;
    before that signal, and outside the block, Pelican's own code runs unchanged.
    """
    from pelican import signals
    from pelican.urlwrappers import URLWrapper

    frozen = []
    originals = {name: vars(URLWrapper)[name] for name in ("_from_settings", "url", "save_as", "page_name")}
    get_url_setting = vars(Content)["get_url_setting"]
    Content.get_url_setting = _memoized(get_url_setting, frozen)
    URLWrapper._from_settings = _from_settings = _memoized(originals["_from_settings"], frozen)
    # URLWrapper's properties hold a partial of the function itself, so they are rebuilt.
    URLWrapper.url = property(functools.partial(_from_settings, key="URL"))
    URLWrapper.save_as = property(functools.partial(_from_settings, key="SAVE_AS"))
    URLWrapper.page_name = property(functools.partial(_from_settings, key="URL", get_page_name=True))

    def freeze(_generators):
        frozen.append(True)

    signals.all_generators_finalized.connect(freeze)
    try:
        yield
    finally:
        signals.all_generators_finalized.disconnect(freeze)
        Content.get_url_setting = get_url_setting
        for name, value in originals.items():
            setattr(URLWrapper, name, value)


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
