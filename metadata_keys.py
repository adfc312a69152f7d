"""The metadata keys an author may write in a Markdown header: for each, whether it is typeset, required, and what reads it.

The one list: the content checks refuse any other key (a typo such as "Tag:" would be
kept by Pelican without a word), the French typography plugin typesets the values of the
keys marked so, and `invoke new` writes the scaffold's keys in the order given here. A key
is accepted only when something reads it: add the key here together with the template or
plugin that reads it. It lives at the root beside pelicanconf.py because plugins (the
checks, the typography) and publish/new.py all need it, and none should reach into another.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    name: str
    # What reads it: Pelican itself, a template of theme/templates, or a plugin.
    read_by: str
    # Shown to readers as text: French typography applies to its value.
    typeset: bool = False
    # Every chronicle must state it (Pelican would silently fill some).
    required: bool = False
    # Written by `invoke new` (publish/new.py gives the values), in the order of KEYS.
    scaffold: bool = False


KEYS = (
    Key("title", "Pelican; every template", typeset=True, required=True, scaffold=True),
    Key("date", "Pelican; partials/macros.html (date), partials/meta.html", required=True, scaffold=True),
    Key("author", "Pelican; partials/macros.html (authors)", required=True, scaffold=True),
    Key("category", "Pelican; article.html", scaffold=True),
    Key("tags", "Pelican; article.html", scaffold=True),
    Key("summary", "Pelican; partials/card.html, partials/meta.html, partials/macros.html (the lead of offers and of the accessibility statement)", typeset=True, required=True,
        scaffold=True),
    Key("slug", "Pelican (the address)", scaffold=True),
    Key("status", "Pelican (draft)", scaffold=True),
    Key("modified", "Pelican; partials/meta.html"),
    Key("authors", "Pelican; partials/macros.html (authors)"),
    Key("lang", "Pelican; plugins/french_typography (French or not)"),
    Key("translation", "Pelican"),
    Key("template", "Pelican (\"Template: offer\" for an offer page, \"Template: legal-notice\" for the legal notice, \"Template: accessibility\" for the accessibility statement)"),
    Key("save_as", "Pelican"),
    Key("url", "Pelican"),
    Key("comments", "plugins/baked_comments (\"Comments: off\" hides the discussion, \"Comments: closed\" keeps it "
                    "readable without its form)"),
    Key("menu", "base.html (a page's name in the navigation)", typeset=True),
    Key("price", "offer.html", typeset=True),
    Key("period", "offer.html", typeset=True),
    Key("includes", "offer.html (one item per line)", typeset=True),
    Key("cta", "offer.html (the call to action)", typeset=True),
    Key("cta_url", "offer.html (the call to action's address)"),
)

ACCEPTED = tuple(key.name for key in KEYS)
TYPESET = tuple(key.name for key in KEYS if key.typeset)
REQUIRED = tuple(key.name for key in KEYS if key.required)
SCAFFOLD = tuple(key.name for key in KEYS if key.scaffold)
