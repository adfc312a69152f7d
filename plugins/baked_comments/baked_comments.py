"""Approved Isso comments baked into each chronicle at build time, with counts, JSON-LD and a feed.

A reader's browser then needs the comment server only to write, never to
read: the discussion, its count on listing pages and its feed are static.
Text goes through Isso's own Markdown renderer and sanitizer, configured from
Isso's own configuration file, then the site's French typography (french_text.typeset),
so it is identical to what the comment server answers (comments.typography).
"""

from dataclasses import dataclass, field
from datetime import datetime
import html
import logging
import os
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed
from markupsafe import Markup, escape
from pelican import signals

from approved_comments import APPROVED, FINGERPRINT_FILE, read_comments
from french_text import typeset
from french_words import ANONYMOUS, DELETED, SCRIPT_WORDS, replies
import comment_form
import commenter_data
import open_discussions

from .settings import get_settings

logger = logging.getLogger(__name__)


@dataclass
class Comment:
    id: int
    created: datetime
    # Plain text, as the commenter typed them: escaped once, where each output needs it.
    author_name: str
    website: str | None
    text: Markup
    replies: list = field(default_factory=list)
    # A deleted comment kept only because approved replies hang from it: no author, no text.
    deleted: bool = False

    @property
    def author(self):
        return escape(self.author_name)

    @property
    def note(self):
        """What the page says beside the header: that the comment was deleted, or nothing."""
        return DELETED if self.deleted else ""

    @property
    def anchor(self):
        return f"isso-{self.id}"


def thread_uri(article):
    """The one name of a chronicle's thread: its path. bake() gives it to the theme as
    `article.thread_uri`, which partials/comments.html writes in the form's hidden `uri`."""
    return "/" + article.url


def _plain(value):
    """A stored author or website as plain text.

    Isso stores both HTML-escaped when they come through its API, and as given when
    they come from `isso import`; unescaping makes both plain (as comments.moderation does).
    """
    return html.unescape(value or "").strip()


def _safe_website(value):
    if value and urlsplit(value).scheme in ("http", "https"):
        return value
    return None


def build_thread(rows, render, timezone):
    """Nest a thread's rows exactly as Isso's API returns them, hence as its script shows them.

    Isso lists the comments that have no parent, and under each one the comments whose
    parent it is (`fetch` in isso/views/comments.py): approved ones, and deleted ones as
    an empty stub (Isso keeps a deleted comment only while some reply refers to it, even
    a pending one). A reply whose parent is pending, or gone (Isso purges old pending
    comments whatever replies they have), and a reply to a reply, are never shown.
    """
    comments = {}
    for comment_id, parent, created, mode, text, author, website in rows:
        deleted = mode != APPROVED
        comments[comment_id] = (parent, Comment(
            id=comment_id,
            created=datetime.fromtimestamp(created, timezone),
            author_name=ANONYMOUS if deleted else _plain(author) or ANONYMOUS,
            website=None if deleted else _safe_website(_plain(website)),
            text=Markup("<p>&nbsp;</p>") if deleted else Markup(render(text)),
            deleted=deleted,
        ))
    top = {comment_id: comment for comment_id, (parent, comment) in comments.items() if parent is None}
    for parent, comment in comments.values():
        if parent in top:
            top[parent].replies.append(comment)
    return list(top.values())


def _walk(comments):
    """Every approved comment, replies after their parent; deleted stubs left out."""
    for comment in comments:
        if not comment.deleted:
            yield comment
        yield from _walk(comment.replies)


def _linked_data(article, comments, siteurl):
    """The approved comments as schema.org objects, for the page's JSON-LD.

    Data, not JSON: the template writes the page's one JSON-LD object with Jinja's
    `tojson`, the build's one way to put JSON into HTML, which writes "<", ">" and "&"
    as \\u003c, \\u003e and \\u0026; a comment quoting "<!--<script>" would otherwise
    make the browser take the rest of the page for script (tests/test_json_in_html.py).
    """
    page = f"{siteurl}/{article.url}"
    return [
        {
            "@type": "Comment",
            "@id": f"{page}#{comment.anchor}",
            "author": {"@type": "Person", "name": comment.author_name},
            "dateCreated": comment.created.isoformat(),
            "text": Markup(comment.text).striptags(),
        }
        for comment in _walk(comments)
    ]


class _Renderer:
    """Isso's own Markdown renderer and sanitizer, built once from Isso's configuration, then the site's typography.

    The comment server applies the same two steps to the text it answers, in that order.
    """

    def __init__(self, config_path):
        from isso.html import Markup as IssoMarkup

        from comments.settings import read_isso_file, settings_path

        conf = read_isso_file(config_path or settings_path())
        self.markup = IssoMarkup(conf)

    def __call__(self, text):
        return typeset(self.markup.render(text))


# Metadata values that close a chronicle's discussion ("Comments: off").
CLOSED = ("off", "non", "no", "false", "0")


# Metadata values that keep a discussion readable but take no new comment ("Comments: closed"),
# as WordPress's closed comments: the thread, its count and its feed stay, the form goes.
READ_ONLY = ("closed", "fermé", "fermée", "ferme", "fermee")


def discussion_open(article):
    return str(article.metadata.get("comments", "on")).strip().lower() not in CLOSED


def discussion_closed(article):
    """Whether the discussion shows its comments without the form that would add one."""
    return str(article.metadata.get("comments", "on")).strip().lower() in READ_ONLY


def bake(generator):
    """Attach comments, counts, JSON-LD and feed address to every chronicle."""
    options = get_settings(generator.settings)
    snapshot = read_comments(options["database"])
    # Written beside the pages by write_fingerprint: the digest of this read, not of a later
    # one, or an approval made meanwhile would match the database and never be baked in.
    generator.baked_comments_fingerprint = snapshot.fingerprint
    threads = snapshot.threads
    render = _Renderer(options["isso_config"]) if threads else None
    timezone = ZoneInfo(options["timezone"])
    siteurl = generator.settings.get("FEED_DOMAIN") or generator.settings.get("SITEURL", "")
    listed = list(generator.articles) + list(generator.translations)
    # Hidden chronicles and drafts have their page, and so their discussion, too, but no
    # comment feed (write_feeds writes the listed chronicles').
    unlisted = [article for kind in ("hidden_articles", "hidden_translations", "drafts", "drafts_translations")
                for article in getattr(generator, kind, ())]
    feeds = {id(article) for article in listed}
    for article in listed + unlisted:
        rows = threads.get(thread_uri(article), [])
        comments = build_thread(rows, render, timezone) if rows else []
        article.comments = comments
        article.comment_count = sum(1 for _ in _walk(comments))
        article.comments_ld = _linked_data(article, comments, siteurl)
        if id(article) in feeds:
            article.comments_feed_url = article.url + options["feed_name"]
        article.thread_uri = thread_uri(article)
        article.discussion_open = discussion_open(article)
        article.discussion_closed = discussion_closed(article)


class _CommentFeed(Atom1Feed):
    """An Atom feed dated by its newest comment, or by the chronicle while none is approved.

    feedgenerator dates an empty feed "now", so two builds of one site would differ.
    """

    def __init__(self, *args, quiet_since, **kwargs):
        super().__init__(*args, **kwargs)
        self.quiet_since = quiet_since

    def latest_post_date(self):
        return super().latest_post_date() if self.items else self.quiet_since


def write_feeds(generator, writer=None):
    """Write an Atom feed of each chronicle's approved comments beside its page, if its discussion is open."""
    settings = generator.settings
    options = get_settings(settings)
    siteurl = settings.get("FEED_DOMAIN") or settings.get("SITEURL", "")
    for article in list(generator.articles) + list(generator.translations):
        if not article.discussion_open:
            continue
        page = f"{siteurl}/{article.url}"
        # Plain text (striptags turns the typography plugin's references into characters),
        # so the feed's own words carry the no-break spaces as characters too.
        title = Markup(article.title).striptags()
        quoted = f"«\u202f{title}\u202f»"
        feed = _CommentFeed(
            quiet_since=getattr(article, "modified", None) or article.date,
            title=f"Commentaires\u00a0: {title}",
            link=page,
            description=f"Les réponses approuvées à {quoted}",
            language=settings["DEFAULT_LANG"],  # as the pages and the site's other feeds
            feed_url=f"{siteurl}/{article.comments_feed_url}",
        )
        for comment in _walk(article.comments):
            feed.add_item(
                title=f"{comment.author_name} sur {quoted}",
                link=f"{page}#{comment.anchor}",
                description=str(comment.text),
                content=str(comment.text),
                author_name=comment.author_name,
                pubdate=comment.created,
                unique_id=f"{page}#{comment.anchor}",
            )
        path = os.path.join(generator.output_path, os.path.dirname(article.save_as), options["feed_name"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            feed.write(handle, "utf-8")


def add_form_globals(generator):
    """Offer the theme the no-script form (comment_form, which the comment server shows again):
    `discussion_form`, `discussion_notices` and `reply_url`; and `discussion_words`, what the
    discussion script writes (french_words.SCRIPT_WORDS, with the form's lead for a refusal);
    and `own_data`, the address and link lifetime of commenters' own data page (commenter_data)."""
    if hasattr(generator, "env"):
        generator.env.globals.setdefault("discussion_form", lambda *a, **k: Markup(comment_form.render(*a, **k)))
        generator.env.globals.setdefault("discussion_notices", lambda: Markup(comment_form.notices()))
        generator.env.globals.setdefault("reply_url", comment_form.reply_url)
        generator.env.globals.setdefault("discussion_words", {**SCRIPT_WORDS, "refused": comment_form.REFUSED})
        # The comment server's page where commenters get or erase their own data (partials/own_data.html).
        generator.env.globals.setdefault("own_data", commenter_data)


def count_in_feeds(context, feed):
    """End each chronicle's item in Pelican's feeds with its reply count, as of the build.

    Only the feed item changes, not the page; chronicles whose discussion is
    off ("Comments: off") get no line.
    """
    articles = {article.url: article for article in context.get("articles", [])}
    for item in feed.items:
        article = articles.get(urlsplit(item["link"]).path.lstrip("/"))
        if article is None or not hasattr(article, "comment_count"):
            continue
        if not article.discussion_open:
            continue
        line = (
            f'<p>Discussion\u00a0: <a href="{escape(item["link"])}#discussion">'
            f"{replies(article.comment_count)}</a></p>"
        )
        key = "content" if item.get("content") else "description"
        item[key] = (item[key] or "") + line


def write_fingerprint(generator, writer=None):
    """Leave the digest of the baked comments, as bake read them, beside the pages (a dotfile nginx never serves)."""
    path = os.path.join(generator.output_path, FINGERPRINT_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(generator.baked_comments_fingerprint + "\n")


def write_open_discussions(generator, writer=None):
    """Leave the addresses and titles of the discussions whose page shows the form (see open_discussions).

    As article.html decides: a chronicle, hidden or not, that is no draft, whose discussion
    is neither off nor closed; the title is the one the form sends.
    """
    chronicles = [article for kind in ("articles", "translations", "hidden_articles", "hidden_translations")
                  for article in getattr(generator, kind, ())]
    open_discussions.write(generator.output_path, {
        article.thread_uri: Markup(article.title).striptags()
        for article in chronicles
        if article.status != "draft" and article.discussion_open and not article.discussion_closed
    })


def register():
    signals.article_generator_finalized.connect(bake)
    signals.article_writer_finalized.connect(write_fingerprint)
    signals.article_writer_finalized.connect(write_feeds)
    signals.article_writer_finalized.connect(write_open_discussions)
    signals.feed_generated.connect(count_in_feeds)
    signals.generator_init.connect(add_form_globals)
