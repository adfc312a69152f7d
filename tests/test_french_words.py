"""The site's own French words for dates, a comment's moment and reply counts (french_words), as a reader reads them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import support  # noqa: F401  (puts the repository's root on sys.path)
from french_words import NO_REPLIES, date, discussion_count, moment, replies  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "value, pattern, text",
    [
        (datetime(2026, 12, 3, 18, 47), "d MMMM y", "3 décembre 2026"),
        (datetime(2026, 12, 1, 9, 5), "d MMMM y", "1er décembre 2026"),
        (datetime(2026, 3, 1), "d MMMM", "1er mars"),
        (datetime(2026, 3, 1), "MMMM y", "mars 2026"),
        (datetime(2026, 8, 21), "d MMMM y", "21 août 2026"),
    ],
)
def test_dates_read_the_french_way(value, pattern, text):
    assert date(value, pattern) == text


def test_a_date_is_the_day_it_reads_in_its_own_time_zone():
    """One instant, two zones: equal datetimes, two days (the old filter cached the first it saw)."""
    late_in_utc = datetime(2026, 12, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    in_paris = late_in_utc.astimezone(PARIS)
    assert late_in_utc == in_paris
    assert (date(late_in_utc), date(in_paris)) == ("3 décembre 2026", "4 décembre 2026")


@pytest.mark.parametrize(
    "value, text",
    [
        (datetime(2026, 12, 3, 18, 47, tzinfo=PARIS), "le 3 décembre 2026 à 18\u00a0h\u00a047"),
        (datetime(2026, 12, 1, 9, 5, tzinfo=PARIS), "le 1er décembre 2026 à 9\u00a0h\u00a005"),
        (datetime(2027, 1, 31, 0, 0, tzinfo=PARIS), "le 31 janvier 2027 à 0\u00a0h\u00a000"),
    ],
)
def test_a_comments_moment_reads_the_french_way(value, text):
    assert moment(value) == text


@pytest.mark.parametrize(
    "count, listing, heading",
    [
        (0, "0 réponse", NO_REPLIES),
        (None, "0 réponse", NO_REPLIES),
        (1, "1 réponse", "1 réponse"),
        (2, "2 réponses", "2 réponses"),
        (21, "21 réponses", "21 réponses"),
    ],
)
def test_counts_take_the_french_plural(count, listing, heading):
    assert replies(count) == listing
    assert discussion_count(count) == heading
    assert NO_REPLIES == "Aucune réponse pour l’instant"


def test_the_discussion_scripts_words_are_set_as_the_site_sets_french():
    """SCRIPT_WORDS reach readers as they are (the script typesets nothing): the site's typography already applies."""
    from french_text import typeset
    from french_words import SCRIPT_WORDS

    for key, value in SCRIPT_WORDS.items():
        for words in [value] if isinstance(value, str) else value:
            assert typeset(words) == words, key
