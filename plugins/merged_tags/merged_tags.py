"""Merges the tags Pelican gives one address (`économie`, `Économie`, `economie`) into one, under one name.

Pelican slugifies a tag for its page (mots-cles/economie/), and takes two tags of one slug
for equal; yet it keeps each spelling in a chronicle's list and files the chronicle under
the tag once per spelling. "Tags: économie, Économie, economie" made one tag page listing
the chronicle three times, a count of three, three links under the chronicle and three
categories in the feeds. Before Pelican files chronicles under their tags, each keeps one
tag per slug, and every spelling of a slug takes the one name the whole site shows.

That name is the spelling most chronicles use: it is the site's own habit. On a tie, the one
with more accented letters, then more capitals: an accent or a capital is left out when
typing fast, almost never added by mistake, and French needs its accents (« économie »).
Then the first in alphabetical order, so that the choice never depends on reading order.
"""

from collections import Counter, defaultdict
import unicodedata

from pelican import signals
from pelican.urlwrappers import Tag

# The generator's lists of chronicles: all of them count, so that a chronicle going out
# (from `drafts` to `articles` in production) never changes a tag's name by itself.
CHRONICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations")


def accented(name):
    return sum(1 for letter in name if unicodedata.normalize("NFD", letter) != letter)


def capitals(name):
    return sum(1 for letter in name if letter.isupper())


def chosen(spellings):
    """The name shown for one slug, from {spelling: number of chronicles using it} (see the module's docstring)."""
    return min(spellings, key=lambda name: (-spellings[name], -accented(name), -capitals(name), name))


def merge_tags(generator):
    chronicles = [chronicle for name in CHRONICLE_LISTS for chronicle in getattr(generator, name, ())
                  if getattr(chronicle, "tags", None)]
    spellings = defaultdict(Counter)
    for chronicle in chronicles:
        for name, slug in {tag.name: tag.slug for tag in chronicle.tags}.items():
            spellings[slug][name] += 1
    # One Tag per slug, shared by every chronicle that carries it.
    tags = {slug: Tag(chosen(names), generator.settings) for slug, names in spellings.items()}
    for chronicle in chronicles:
        # Tags are equal when their slugs are: dict.fromkeys keeps the first of each, in order.
        merged = list(dict.fromkeys(tags[tag.slug] for tag in chronicle.tags))
        # New lists: the reader cache still holds the ones the file was read with.
        chronicle.tags = chronicle.metadata["tags"] = merged


def register():
    signals.article_generator_pretaxonomy.connect(merge_tags)
