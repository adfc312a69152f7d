"""Every use this project makes of Pelican's internals: names Pelican does not offer plugins, in one place.

An upgrade of Pelican (or of pelican-sitemap) may rename or change any of them
without notice. Each is used only through a function here, and each function
is checked by tests/test_pelican_internals.py, which fails when the internal it
relies on is gone or changed, rather than a build quietly going wrong. Beside
each: why it is worth touching, with its measure when the reason is speed.
Plugins and publish/ both import this package plainly (plugins/ is on sys.path); its
longest section, the pages rendered on two cores, is a module of its own (two_cores.py).
"""

import contextlib
import functools
import logging
import os

from pelican.contents import Content
from pelican.log import LimitFilter

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


def sitemap_lists_only(keep):
    """Have pelican-sitemap list only the written files for which `keep(path)` is true.

    It queues every file Pelican writes (`content_written`), robots.txt and the pages that
    say noindex among them, and offers no other test than patterns of URLs: its receiver is
    put behind `keep` (plugins/sitemap_indexable, once every plugin is registered).
    """
    from pelican import signals
    from pelican.plugins.sitemap import sitemap

    queue = sitemap.generator.queue_page
    if queue not in signals.content_written.receivers_for(None):
        return  # pelican-sitemap is not among this build's plugins

    def queue_if_kept(path, context):
        if keep(path):
            queue(path, context)

    signals.content_written.disconnect(queue)
    signals.content_written.connect(queue_if_kept, weak=False)


# ---------------------------------------------------------------- feeds


def feed_subject(feed, sitename):
    """What Pelican named a feed after (a category's or a tag's name), or None for the site's feed.

    Pelican titles such a feed "SITENAME - name", with a hyphen, and tells the `feed_generated`
    signal nothing else of it: plugins/site_feeds gives the feed the site's own title.
    """
    from markupsafe import Markup

    prefix = Markup(sitename).striptags() + " - "
    title = feed.feed["title"]
    return title[len(prefix) :] if title.startswith(prefix) else None


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



# The pages rendered on two cores: a section of its own, the longest (pelican_internals/two_cores.py).
from .two_cores import PROCESSES, SharedWriter, run_on_two_cores  # noqa: E402,F401  (re-exported)
