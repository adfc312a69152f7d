"""Isso's admin page in French: the one table of the English words Isso 0.14 renders there, and their French.

Isso's admin template (isso/templates/admin.html) is English and has no translation:
comments.admin hands its rendered page to translate(), which replaces each text Isso
writes, matched whole (its spaces collapsed), never a part of one, and never what
commenters wrote: the author, e-mail, website and text of a comment are the fields
Isso's script edits and sends back, so a word of theirs that happens to be Isso's stays
theirs. An Isso upgrade that rewords a string leaves it unmatched, hence English:
tests/comments/test_admin_french.py reads every word of the installed template and fails
on any that remains visible. Isso's admin.js writes no words into the page (its edit
answers go to the console only), so the page is all there is to translate.
"""

from datetime import datetime
import re

import french_words

NBSP, NNBSP = "\u00a0", "\u202f"

# Each text node Isso writes, spaces collapsed, and its French. {n}: a number; {arrow}: the
# sort order's arrow; {title}: a thread's title (already escaped by Isso), kept as it is.
TEXTS = {
    "Isso admin": "Administration des commentaires — Zôhé",
    "Isso": "Commentaires de Zôhé",
    "Administration": "Administration",
    "Log Out": "Se déconnecter",
    # The lists' tabs, with their counts (Isso's "staled": deleted, kept for its replies).
    "Valid ({n})": "Publiés ({n})",
    "Pending ({n})": "En attente ({n})",
    "Staled ({n})": "Supprimés ({n})",
    "Group by thread:": f"Grouper par discussion{NBSP}:",
    "Pages:": f"Pages{NBSP}:",
    "Order:": f"Trier par{NBSP}:",
    "id {arrow}": "numéro {arrow}",
    "created {arrow}": "date {arrow}",
    "modified {arrow}": "modification {arrow}",
    "likes {arrow}": "j’aime {arrow}",
    "dislikes {arrow}": "je n’aime pas {arrow}",
    "Search by URL": "Chercher par adresse",
    "Search for comments within threads (e.g. http://example.com/thread) or for specific comments "
    "(e.g. http://example.com/thread#isso-1) by their URL.":
        "Donnez l’adresse d’une discussion (par exemple https://exemple.fr/chroniques/titre/) pour voir "
        "tous ses commentaires, ou celle d’un commentaire (par exemple https://exemple.fr/chroniques/titre/#isso-1).",
    "Search": "Chercher",
    # A comment: its thread, its author's links, its state, its buttons.
    "Thread: {title} (": f"Discussion{NBSP}: {{title}} (",
    "mailto": "écrire",
    "open": "ouvrir",
    "Valid": "Publié",
    "Pending": "En attente",
    "Staled": "Supprimé",
    "HIDDEN": "Supprimé",
    ". Original text:": f", gardé pour ses réponses. Texte d’origine{NBSP}:",
    "Edit": "Modifier",
    "Cancel": "Annuler",
    "Send": "Enregistrer",
    "Delete": "Supprimer",
    "Validate": "Publier",
}
# Attributes Isso writes words into, whole, and their French.
ATTRIBUTES = {
    'alt="Wynaut by @veekun"': 'alt=""',  # the logo beside the heading says nothing more
    'placeholder="https://example.com/demo/#isso-1"': 'placeholder="https://exemple.fr/chroniques/titre/#isso-1"',
    '<html lang="en">': '<html lang="fr">',
}
# What Isso writes for a comment without author, in the author's field.
ANONYMOUS = ("Anonymous", french_words.ANONYMOUS)
# Isso's dates (isso.utils.render_template's datetimeformat), in the server's time zone:
# shown in the site's, as readers read them under the comment.
DATE = re.compile(r"\d\d:\d\d / \d\d-\d\d-\d{4}")
DATE_FORMAT = "%H:%M / %d-%m-%Y"
# Shown where Isso shows nothing: a list without comments.
NONE = '<p class="zohe-none">Aucun commentaire dans cette liste.</p>'
ROOT = '<div id="isso-root">'
COMMENT = "class='isso-comment'"

# The fields of a comment that are the commenter's words: left as written.
COMMENTER_FIELD = re.compile(r"""<[a-z]+ [^>]*\bid=["']isso-(author|email|website|text)-\d+["'][^>]*>$""")
NODE = re.compile(r"(<[^>]*>)([^<]+)")
# HTML's spaces, which Isso's template indents with (not the no-break ones of French).
HTML_SPACES = " \t\r\n"
SPACES = re.compile(r"[ \t\r\n]+")
PLACEHOLDERS = {"n": r"\d+", "arrow": "[↑↓]", "title": ".*"}


def _pattern(english):
    pattern = re.escape(english)
    for name, matches in PLACEHOLDERS.items():
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>{matches})")
    return re.compile(pattern)


PATTERNS = [(_pattern(english), french) for english, french in TEXTS.items()]


def french_text(text):
    """The French of one of Isso's texts (spaces collapsed, as Isso escaped it), or None if it is not one of them."""
    for pattern, french in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return french.format(**found.groupdict())
    if DATE.fullmatch(text):
        return french_words.moment(datetime.strptime(text, DATE_FORMAT).astimezone(french_words.PARIS))
    return None


def translate(page):
    """Isso's rendered admin page with every word of its own in French."""

    def node(match):
        tag, text = match[1], match[2]
        collapsed = SPACES.sub(" ", text.strip(HTML_SPACES))
        if not collapsed:
            return match[0]
        if COMMENTER_FIELD.match(tag):
            french = ANONYMOUS[1] if tag.startswith("<span class='isso-author'") and collapsed == ANONYMOUS[0] else None
        else:
            french = french_text(collapsed)
        if french is None:
            return match[0]
        lead, trail = text[: len(text) - len(text.lstrip(HTML_SPACES))], text[len(text.rstrip(HTML_SPACES)):]
        return tag + lead + french + trail

    page = NODE.sub(node, page)
    for english, french in ATTRIBUTES.items():
        page = page.replace(english, french)
    if COMMENT not in page:
        page = page.replace(ROOT, ROOT + NONE, 1)
    return page
