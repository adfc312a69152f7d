"""Each Pelican internal that plugins/pelican_internals/ relies on is still there and behaves as used.

A Pelican (or pelican-sitemap) upgrade that renames or changes one fails here,
naming it, instead of a build going quietly wrong.
"""

from datetime import datetime
import inspect
import logging

from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator
from pelican.log import LimitFilter
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG

import support  # noqa: F401  (imports publish, which puts plugins/ on sys.path)

import pelican_internals  # noqa: E402


def _article(body="<p>Avant</p>", **metadata):
    settings = {**DEFAULT_CONFIG, "SITEURL": ""}
    metadata = {"title": "Titre", "date": datetime(2026, 1, 2), **metadata}
    return Article(body, metadata=metadata, settings=settings, source_path="/tmp/a.md")


def test_the_body_is_what_pelican_renders_once_its_memo_is_forgotten():
    article = _article()
    assert pelican_internals.body(article) == "<p>Avant</p>"
    assert article.content == "<p>Avant</p>"  # now memoized by Pelican
    pelican_internals.set_body(article, "<p>Après</p>")
    assert article.content == "<p>Avant</p>", "Pelican no longer memoizes content: simplify forget_rendered"
    pelican_internals.forget_rendered(article)
    assert article.content == "<p>Après</p>"


def test_the_summary_set_is_the_one_pelican_keeps_when_it_refreshes_links():
    article = _article(summary="<p>Résumé brut</p>")
    article.metadata["summary"] = "<p>Résumé corrigé</p>"
    pelican_internals.set_summary(article, "<p>Résumé corrigé</p>")
    article.refresh_metadata_intersite_links()  # as Pelican does once every document is read
    pelican_internals.forget_rendered(article)
    assert article.summary == "<p>Résumé corrigé</p>"


def test_forgetting_every_rendered_document_empties_pelicans_memo():
    article = _article()
    assert article.content and article.summary
    assert (article, article.get_siteurl()) in vars(Content)["get_content"].cache
    pelican_internals.forget_rendered()
    assert not vars(Content)["get_content"].cache and not vars(Content)["get_summary"].cache


def test_a_warning_logged_once_is_logged_again_once_forgotten():
    # Pelican makes every logger created after its import filter repeats (its LimitLogger).
    logger = logging.getLogger("tests.pelican_internals")
    assert any(isinstance(kept, LimitFilter) for kept in logger.filters)
    records = []

    class Kept(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Kept()
    logger.addHandler(handler)
    try:
        logger.warning("Même avertissement")
        logger.warning("Même avertissement")
        assert len(records) == 1, "Pelican's LimitFilter no longer drops a repeated warning"
        pelican_internals.forget_logged_warnings()
        logger.warning("Même avertissement")
        assert len(records) == 2
    finally:
        logger.removeHandler(handler)


def test_pelicans_console_prints_nothing_while_quiet(capsys):
    from pelican.log import console

    with pelican_internals.quiet_console():
        console.print("Done: Processed 1 article")
    console.file.flush()
    assert "Done" not in capsys.readouterr().out
    assert not console.quiet


def test_pelican_sitemap_dates_listing_pages_by_its_generators_now():
    from pelican.plugins.sitemap import sitemap

    assert isinstance(sitemap.generator, sitemap.SitemapGenerator)
    assert isinstance(sitemap.generator.now, datetime)
    assert "self.now" in inspect.getsource(sitemap.SitemapGenerator), "pelican-sitemap no longer dates pages by `now`"
    when = datetime(2026, 3, 4, 5, 6)
    pelican_internals.date_sitemap_listings(when)
    assert sitemap.generator.now == when


def test_pelican_sitemap_forgets_a_build_only_when_it_finalizes():
    """What forget_sitemap_pages resets is what pelican-sitemap's own `finalize` resets."""
    from pelican.plugins.sitemap import sitemap

    source = inspect.getsource(sitemap.SitemapGenerator.finalize)
    assert "self._main_pelican = None" in source and "self.page_queue = []" in source
    sitemap.generator._main_pelican, sitemap.generator.page_queue = object(), [("x.html", None)]
    pelican_internals.forget_sitemap_pages()
    assert sitemap.generator._main_pelican is None and sitemap.generator.page_queue == []


def test_a_document_is_read_again_and_written_alone_as_its_generator_does():
    """The calls behind the preview's edited page (tests/test_preview.py checks the result)."""
    parameters = inspect.signature(Readers.read_file).parameters
    for name in ("base_path", "path", "content_class", "context", "preread_signal", "preread_sender",
                 "context_signal", "context_sender"):
        assert name in parameters, f"Readers.read_file lost its {name} parameter"
    for step in ("generate_articles", "generate_drafts"):
        assert list(inspect.signature(getattr(ArticlesGenerator, step)).parameters) == ["self", "write"]


def test_urls_are_computed_once_only_while_the_build_writes():
    from pelican import signals
    from pelican.urlwrappers import Tag, URLWrapper

    assert list(inspect.signature(Content.get_url_setting).parameters) == ["self", "key"]
    assert list(inspect.signature(URLWrapper._from_settings).parameters) == ["self", "key", "get_page_name"]
    for name, keywords in (("url", {"key": "URL"}), ("save_as", {"key": "SAVE_AS"}),
                           ("page_name", {"key": "URL", "get_page_name": True})):
        getter = vars(URLWrapper)[name].fget  # a partial of _from_settings, rebuilt while memoized
        assert getter.func is URLWrapper._from_settings and getter.keywords == keywords, name
    originals = vars(Content)["get_url_setting"], vars(URLWrapper)["url"]
    article = _article(slug="titre")
    tag = Tag("mot", settings={**DEFAULT_CONFIG, "SITEURL": ""})
    with pelican_internals.memoized_urls():
        assert article.url == "titre.html" and pelican_internals.MEMO not in vars(article)
        signals.all_generators_finalized.send([])
        assert article.url == "titre.html" and tag.url == "tag/mot.html"
        assert pelican_internals.MEMO in vars(article) and pelican_internals.MEMO in vars(tag)
        article.settings = {**article.settings, "ARTICLE_URL": "autre/{slug}/"}
        assert article.url == "titre.html", "computed once"
    assert (vars(Content)["get_url_setting"], vars(URLWrapper)["url"]) == originals
    assert article.url == "autre/titre/", "Pelican's own code again outside the build"


def test_pelican_asks_for_its_writer_between_the_contexts_and_the_pages():
    """Where run_on_two_cores forks, and where it waits for its child."""
    from pelican import Pelican
    from pelican.generators import PagesGenerator

    run = inspect.getsource(Pelican.run)
    steps = ["signals.all_generators_finalized.send(generators)", "refresh_metadata_intersite_links()",
             "writer = self._get_writer()", "p.generate_output(writer)", "signals.finalized.send(self)"]
    assert all(step in run for step in steps) and sorted(steps, key=run.index) == steps
    get_writer = inspect.getsource(Pelican._get_writer)
    assert "signals.get_writer.send(self)" in get_writer
    assert "writer(self.output_path, settings=self.settings)" in get_writer
    classes = inspect.getsource(Pelican._get_generator_classes)
    first = classes.index("discovered_generators = [")
    assert classes.index('(ArticlesGenerator, "internal")', first) < classes.index('(PagesGenerator, "internal")', first)
    assert classes.index('(PagesGenerator, "internal")') < min(classes.index("TemplatePagesGenerator"),
                                                                 classes.index("signals.get_generators"))
    pages_output = inspect.getsource(PagesGenerator.generate_output).strip().splitlines()
    assert pages_output[-1].strip() == "signals.page_writer_finalized.send(self, writer=writer)"
    assert "signals.article_writer_finalized.send(self, writer=writer)" in inspect.getsource(ArticlesGenerator.generate_output)


def test_two_shared_writers_write_every_page_once_as_pelicans_writer_does(tmp_path):
    """SharedWriter relies on Writer.write_file rendering then opening each page through _open_w."""
    import jinja2
    from pelican import signals
    from pelican.writers import Writer

    from pelican_internals import SharedWriter

    assert list(inspect.signature(Writer._open_w).parameters) == ["self", "filename", "encoding", "override"]
    from pelican.settings import configure_settings

    settings = configure_settings({**DEFAULT_CONFIG, "SITEURL": "", "DEFAULT_PAGINATION": 2, "PATH": str(tmp_path)})
    articles = [_article(slug=f"a{number}") for number in range(5)]
    template = jinja2.Template("page {{ articles_page.number }} : {{ articles_page.object_list | length }}")

    def write(writer):
        writer.write_file("index.html", template, {"SITENAME": "Zôhé"}, paginated={"articles": articles},
                          template_name="index", url="")
        writer.write_file("seule.html", template, {"articles_page": None})

    def files(folder):
        return {path.relative_to(folder).as_posix(): path.read_text() for path in folder.rglob("*") if path.is_file()}

    write(Writer(str(tmp_path / "plain"), settings=settings))
    plain = files(tmp_path / "plain")
    assert len(plain) == 4  # three pages of the listing, and one alone
    announced = []
    receiver = lambda path, context: announced.append(path)  # noqa: E731
    signals.content_written.connect(receiver)
    try:
        shares = []
        for rank in range(pelican_internals.PROCESSES):
            writer = type("Share", (SharedWriter,), {"rank": rank})(str(tmp_path / f"rank{rank}"), settings=settings)
            write(writer)
            shares.append(writer)
        assert announced == [], "content_written waits until both shares are written"
    finally:
        signals.content_written.disconnect(receiver)
    written = [files(tmp_path / f"rank{rank}") for rank in range(pelican_internals.PROCESSES)]
    assert written[0] and written[1] and not set(written[0]) & set(written[1])
    assert {**written[0], **written[1]} == plain
    numbers = sorted(number for writer in shares for number, _path, _source in writer.written)
    assert numbers == list(range(4))
    whole = type("Share", (SharedWriter,), {"rank": 1})(str(tmp_path / "whole"), settings=settings)
    whole.sharing = False  # once the child is done: the parent writes every page
    write(whole)
    assert files(tmp_path / "whole") == plain


def test_pelicans_feed_title_names_its_subject_after_the_site_and_a_hyphen(tmp_path):
    """plugins/site_feeds retitles category feeds from what Pelican's writer puts after "SITENAME - "."""
    from pelican.writers import Writer

    from publish.build import forget_plugins

    forget_plugins()  # an earlier build's plugins would retitle the feed as it is generated
    writer = Writer(str(tmp_path), settings={**DEFAULT_CONFIG, "FEED_MAX_ITEMS": None})
    context = {"SITENAME": "Zôhé & co", "SITEURL": "https://zohe.example", "FEED_DOMAIN": "https://zohe.example"}
    named = writer.write_feed([], context, path=None, url="a.xml", feed_type="rss", feed_title="Pourquoi pas ?")
    assert pelican_internals.feed_subject(named, "Zôhé & co") == "Pourquoi pas ?"
    plain = writer.write_feed([], context, path=None, url="b.xml", feed_title=None)
    assert pelican_internals.feed_subject(plain, "Zôhé & co") is None


def test_pelican_sitemap_queues_only_what_its_receiver_is_put_behind(tmp_path):
    """sitemap_lists_only puts pelican-sitemap's `content_written` receiver behind a test of the file."""
    from pelican import signals
    from pelican.plugins.sitemap import sitemap

    from publish.build import forget_plugins

    forget_plugins()
    sitemap.register()
    sitemap.generator.page_queue = []
    try:
        pelican_internals.sitemap_lists_only(lambda path: path.endswith(".html"))
        assert sitemap.generator.queue_page not in signals.content_written.receivers_for(None)
        signals.content_written.send(str(tmp_path / "robots.txt"), context={})
        signals.content_written.send(str(tmp_path / "a.html"), context={})
        assert sitemap.generator.page_queue == [(str(tmp_path / "a.html"), None)]
    finally:
        forget_plugins()
        pelican_internals.forget_sitemap_pages()
