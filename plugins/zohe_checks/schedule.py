"""When each chronicle dated in the future goes out: a note for its author, and a refusal past a year.

Production holds a chronicle dated in the future back until its date, without a word
(scheduled_chronicles tells the deployment when): a year typed 2099 for 2029 would keep it
offline for good while the author believes it published. So every build says when each
scheduled chronicle goes out, as a note that does not fail it (plugins/author_notes.py),
and refuses a date more than a year ahead, with the year the author likely meant. Checked
on every build rather than as each file is read: the reader cache keeps a parsed file for
many builds, and "now" moves.
"""

from datetime import datetime, timezone
import logging

from babel.dates import format_datetime, format_timedelta
from dateutil.relativedelta import relativedelta
from pelican.contents import Article

from author_notes import logger as notes
from built_site import documents

logger = logging.getLogger(__name__)

# Further ahead than this, a date is taken for a typo.
FURTHEST = relativedelta(years=1)
LOCALE = "fr_FR"


def scheduled(generators, now):
    """Chronicles that will go out after `now` on their date alone, earliest first."""
    waiting = [
        document for document in documents(generators)
        if isinstance(document, Article)
        # A chronicle its author marked as draft waits for its author, not for a date.
        and str(document.metadata.get("status", "")).lower() != "draft"
        and getattr(document, "date", None) is not None and document.date > now
    ]
    return sorted(waiting, key=lambda document: document.date)


def when(date):
    """A date as an author reads it: « jeudi 10 décembre 2026 à 10 h », « lundi 1er mars 2027 à 9 h 30 »."""
    day = format_datetime(date, "EEEE d MMMM y", locale=LOCALE)
    if date.day == 1:
        weekday, _, rest = day.partition(" ")
        day = f"{weekday} 1er {rest.partition(' ')[2]}"
    return f"{day} à {date.hour}\u00a0h" + (f"\u00a0{date.minute:02d}" if date.minute else "")


def how_long(delta):
    """« dans 3 jours », « dans 13 mois »: babel's rounding, but a unit only from 1.5 of it (not « dans 1 an » for 13 months)."""
    return format_timedelta(delta, threshold=1.5, add_direction=True, locale=LOCALE)


def meant_year(date, now):
    """The year an author likely meant for a date too far ahead, or None.

    A year one typo away from the one written (one digit replaced, or two neighbours
    swapped: 2099 for 2029, 2207 for 2027) that puts the date within the allowed year;
    the earliest if several do. A year that would be refused too is no help.
    """
    written = f"{date.year:04d}"
    for year in sorted({int(candidate) for candidate in _one_typo_away(written)}):
        try:
            meant = date.replace(year=year)
        except ValueError:  # 29 February
            continue
        if now < meant <= now + FURTHEST:
            return year
    return None


def _one_typo_away(digits):
    for index in range(len(digits)):
        for digit in "0123456789":
            if digit != digits[index]:
                yield digits[:index] + digit + digits[index + 1:]
        if index + 1 < len(digits) and digits[index] != digits[index + 1]:
            yield digits[:index] + digits[index + 1] + digits[index] + digits[index + 2:]


def check_schedule(generators, now=None):
    """Note when each scheduled chronicle goes out; refuse one dated more than a year ahead."""
    # zohe_checks imports this module: its helpers are imported when called.
    from .zohe_checks import DATE_KEYS, _display, header

    now = now or datetime.now(timezone.utc)
    for chronicle in scheduled(generators, now):
        settings = chronicle.settings
        where = _display(chronicle.source_path, settings)
        if chronicle.date <= now + FURTHEST:
            notes.info("%s paraîtra %s, le %s", where, how_long(chronicle.date - now), when(chronicle.date))
            continue
        lines, _spaced = header(chronicle.source_path, DATE_KEYS)
        number, written = next(((number, value) for number, key, value in lines if key == "date"), (None, None))
        year = meant_year(chronicle.date, now)
        hint = (f"{chronicle.date.year}\u00a0: vouliez-vous écrire {year}\u202f?" if year else
                "une chronique se programme au plus un an à l’avance\u00a0: corrigez l’année, "
                "ou écrivez Status: draft pour la garder en brouillon")
        logger.warning(
            "%s%s\u00a0: la date %s ferait paraître la chronique %s, le %s\u202f; %s",
            where, f", ligne {number}" if number else "", written or chronicle.date.isoformat(),
            how_long(chronicle.date - now), when(chronicle.date), hint,
        )
