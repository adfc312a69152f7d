"""The site's own French words around what people write: dates, a comment's moment, reply counts, notices.

One home for each wording. The theme reads them through the Jinja filters of FILTERS
(pelicanconf.JINJA_FILTERS), the baked comments plugin through these functions (the count
in Pelican's feeds). A script that writes the same things in the browser (the discussion
script, when it refreshes a thread from the comment server) must write them exactly so:
each function says how, with the browser's `Intl`, and tests/test_french_words.py holds
the cases a copy must agree with.
"""

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"
# The site's time zone, its one home (pelicanconf's TIMEZONE, the refresh's dates, the admin
# page's: moment() is given a time in it).
TIMEZONE = "Europe/Paris"
PARIS = ZoneInfo(TIMEZONE)


def date(value, pattern="d MMMM y"):
    """A date the French way, whatever the machine's locale: "14 mars 2023", "1er mars 2023".

    `pattern` is Babel's (CLDR): "d MMMM y" by default, "MMMM y" for a month. French
    writes the first of the month as an ordinal, "1er", which Babel does not. The date is
    the one `value` reads in its own time zone, as Babel takes it.
    Script: `new Intl.DateTimeFormat("fr-FR", {day: "numeric", month: "long", year:
    "numeric", timeZone: "Europe/Paris"})` gives "14 mars 2023"; put "1er" for day 1.
    """
    if isinstance(value, datetime):
        value = value.date()
    return _date(value, pattern)


@lru_cache(maxsize=4096)  # a chronicle's date is shown on every listing it appears on
def _date(day, pattern):
    # Keyed on the calendar day: two aware datetimes of one instant in two time zones are
    # equal, and hash alike, yet may fall on two different days.
    if day.day == 1 and pattern.startswith("d "):
        pattern = "d'er'" + pattern[1:]
    return format_date(day, format=pattern, locale=LOCALE)


def moment(value):
    """When a comment was written, as its time's tooltip says it: "le 3 décembre 2026 à 18 h 47".

    The date as date() writes it; the hour without a leading zero, "h" between no-break
    spaces, the minutes on two digits ("à 9 h 05"). `value` is already in the site's time
    zone (plugins/baked_comments makes it Europe/Paris); a script formats the time in
    "Europe/Paris" too, so a reader abroad reads the same words in the page and the script.
    """
    return f"le {date(value)} à {value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def replies(count):
    """"0 réponse", "1 réponse", "3 réponses": in French, 0 and 1 take the singular.

    The listings' count and the line the build adds to Pelican's feeds. No count (a
    chronicle no plugin counted) is 0. theme/static/js/discussion.js writes it with the
    words of SCRIPT_WORDS, checked against this one by tests/browser/test_discussion.py.
    """
    count = int(count or 0)
    return f"{count} {REPLY_NOUN[count > 1]}"


NO_REPLIES = "Aucune réponse pour l’instant"
REPLY_NOUN = ("réponse", "réponses")


def discussion_count(count):
    """A discussion's heading: replies(), but NO_REPLIES rather than "0 réponse"."""
    return replies(count) if int(count or 0) else NO_REPLIES


# What stands in place of a comment a reader cannot read: one deleted while approved
# replies hang from it (baked as Isso shows it, `comment.note`), and replies folded away
# (singular then plural, "{n}" the number), which only a script shows: ours asks for whole
# threads, so it never folds replies away.
DELETED = "Réponse supprimée."
HIDDEN = ("{n} réponse masquée", "{n} réponses masquées")


FILTERS = {
    "date_fr": date,
    "moment_fr": moment,
    "replies": replies,
    "discussion_count": discussion_count,
}

# A comment whose author gave no name, and the link that answers a comment.
ANONYMOUS = "Anonyme"
REPLY = "Répondre"
# What the discussion script (theme/static/js/discussion.js) writes beyond the words
# above: the page carries them all as JSON in the thread's `data-mots`, so the script
# keeps no copy. "pending" marks a commenter's own comment that awaits the moderators,
# shown to its author only; "edit" and "delete" act on it within Isso's window.
SCRIPT_WORDS = {
    "none": NO_REPLIES,
    "noun": REPLY_NOUN,
    "deleted": DELETED,
    "anonymous": ANONYMOUS,
    "reply": REPLY,
    "pending": "Votre réponse attend la relecture de l’équipe.",
    "edit": "Modifier",
    "delete": "Supprimer",
    "save": "Enregistrer",
    "cancel": "Annuler",
    "confirm": f"Supprimer votre réponse{NNBSP}? Elle ne pourra pas être rétablie.",
    "offline": f"Votre réponse n’a pas pu être envoyée{NBSP}: la connexion a échoué. "
    "Votre texte est conservé, réessayez dans un instant.",
}
