"""Pelican's feeds as the site's own: French, titled as the pages are, with guids RSS reads right.

Pelican's feeds declare no language, title a category's feed "Zôhé - name" with a hyphen
and the plain category name, and write RSS guids (tag: URIs) without `isPermaLink="false"`,
which RSS 2.0 then takes for the item's address. Each feed is put right as it is generated
(`feed_generated`, before it is written): the language is DEFAULT_LANG, the one the pages
declare; a title reads like the pages' titles, "Zôhé — name" (the separator of the theme's
<title>), with the French typography of every text a reader sees. The comment feeds
(plugins/baked_comments) are written by their plugin, in that language too.

Authors link to the feeds as to any document, `[flux Atom]({feed}atom)`: the address comes
from the feed's setting (FEED_ALL_ATOM, FEED_ALL_RSS), so it changes with it.
"""

import html
import logging
import os
import re

from feedgenerator import Rss201rev2Feed
from markupsafe import Markup
from pelican import signals

from author_hints import line_of, where
import french_text
import pelican_internals

logger = logging.getLogger(__name__)

# Between the site's name and what a feed follows, as in the pages' <title> ("Rechercher — Zôhé").
SEPARATOR = " — "

# What an author writes after `{feed}`, and the setting that names that feed's file.
FEEDS = {"atom": "FEED_ALL_ATOM", "rss": "FEED_ALL_RSS"}
_FEED_LINK = re.compile(r"""(?P<attribute>\shref\s*=\s*(?P<quote>["'])){feed}(?P<name>[^"'#?]*)""")


def plain(text):
    """`text` (plain, not HTML) with the site's French typography, plain still: a feed's own words."""
    # The rules write no-break spaces as references, which striptags turns into characters.
    return Markup(french_text.typeset(html.escape(text, quote=False))).striptags()


def put_right(context, feed):
    """The feed's language, its title and subtitle in French typography, and its RSS guids."""
    feed.feed["language"] = context["DEFAULT_LANG"]
    sitename = context["SITENAME"]
    subject = pelican_internals.feed_subject(feed, sitename)
    feed.feed["title"] = plain(sitename if subject is None else sitename + SEPARATOR + subject)
    for key in ("subtitle", "description"):
        if feed.feed.get(key):
            feed.feed[key] = plain(feed.feed[key])
    if isinstance(feed, Rss201rev2Feed):
        for item in feed.items:
            item["unique_id_is_permalink"] = False


def link_feeds(instance):
    """Replace each `{feed}atom`-style link of a chronicle or page with that feed's address."""
    body = pelican_internals.body(instance)
    if not body or "{feed}" not in body:
        return
    settings = instance.settings
    # Absolute in production; root-relative in the preview, which serves the site at its root
    # on whatever port it was given (as the 404 page's links).
    siteurl = settings["SITEURL"].rstrip("/") if settings["SITEURL"].startswith("http") else ""

    def address(match):
        name = match.group("name")
        path = settings.get(FEEDS.get(name, ""))
        if not path:
            # Named as every check names a file: relative to the content folder's parent.
            shown = os.path.relpath(instance.source_path, os.path.dirname(os.path.abspath(settings["PATH"])))
            logger.error(
                "%s\u00a0: le lien «\u00a0{feed}%s\u00a0» ne mène à aucun flux du site\u202f; "
                "écrivez «\u00a0{feed}atom\u00a0» ou «\u00a0{feed}rss\u00a0»",
                where(shown, line_of(instance.source_path, "{feed}" + name)), name,
            )
            return match.group("attribute")  # an empty address: Pelican has nothing more to say of it
        return f"{match.group('attribute')}{siteurl}/{path}"

    pelican_internals.set_body(instance, _FEED_LINK.sub(address, body))
    pelican_internals.forget_rendered(instance)  # as french_typography: rendered before, rendered again


def register():
    signals.feed_generated.connect(put_right)
    signals.content_object_init.connect(link_feeds)
