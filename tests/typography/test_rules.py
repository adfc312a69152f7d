"""Table-driven tests of the French typography rules against the golden cases in cases.tsv."""

from pathlib import Path
import random
import re

import pytest

import support  # noqa: F401  (imports publish, which puts plugins/ on sys.path)

from french_text import _TOKEN, RULES as DEFAULTS, Typographer  # noqa: E402

CASES_FILE = Path(__file__).with_name("cases.tsv")


def _unescape(value):
    # Only the escapes the file documents: a full unicode_escape would mangle "é" and friends.
    return re.sub(
        r"\\u([0-9a-fA-F]{4})|\\n", lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\n", value
    )


def load_cases():
    cases = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        name, source, expected = line.split("\t")
        cases.append(pytest.param(_unescape(source), _unescape(expected), id=name))
    return cases


CASES = load_cases()


@pytest.fixture(scope="module")
def typographer():
    return Typographer(DEFAULTS)


def test_the_golden_file_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_golden_case(typographer, source, expected):
    assert typographer.apply(source) == expected


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_golden_case_is_idempotent(typographer, source, expected):
    once = typographer.apply(source)
    assert typographer.apply(once) == once
    assert typographer.apply(expected) == expected


def test_raw_characters_when_entities_are_off():
    typographer = Typographer({**DEFAULTS, "entities": False})
    assert typographer.apply('Il dit "oui" : 10% !') == (
        "Il dit «\u202foui\u202f»\u00a0: 10\u00a0%\u202f!"
    )


def test_units_come_from_the_settings():
    typographer = Typographer({**DEFAULTS, "letter_units": ("ans",), "symbol_units": ()})
    assert typographer.apply("10 ans, 5 km, 3%") == "10&#160;ans, 5 km, 3%"


def test_skipped_elements_come_from_the_settings():
    typographer = Typographer({**DEFAULTS, "skip_tags": ("q",)})
    assert typographer.apply("<q>Oui !</q> Non !") == "<q>Oui !</q> Non&#8239;!"


def test_unclosed_code_leaves_the_rest_alone(typographer):
    assert typographer.apply("Voici : <code>a ? b") == "Voici&#160;: <code>a ? b"


def test_empty_and_tag_only_fragments(typographer):
    assert typographer.apply("") == ""
    assert typographer.apply("<p></p><hr/>") == "<p></p><hr/>"


# Pieces of French HTML, valid and awkward, that the fuzz test strings together at random.
FUZZ_PIECES = [
    "Oui", "non", " ", "  ", "\n", "\u00a0", "\u202f", "!", "?", ":", ";", "...", ".", "-", "(",
    ")", '"', "'", "«", "»", "&nbsp;", "&#8239;", "&quot;", "&amp;", "&lt;", ">", "&", "10",
    "%", "km", "€", "12:30", "http://x.fr/?a=b", "a@b.fr", "<em>", "</em>", "<strong>",
    "</strong>", "<p>", "</p>", "<br>", "<code>", "</code>", "<pre>", "</pre>",
    '<a href="?x:y" title="Oui ?">', "</a>", "<!-- c ? -->",
]


def test_random_fragments_are_idempotent_and_keep_their_tags(typographer):
    # Seeded, so a failure names a fragment that reproduces; it found the doubled spaces of
    # empty quotations ('""') and of a quote opening on a sign ('"!').
    rng = random.Random(4)
    for _ in range(3000):
        fragment = "".join(rng.choice(FUZZ_PIECES) for _ in range(rng.randint(1, 25)))
        once = typographer.apply(fragment)
        assert typographer.apply(once) == once, fragment
        assert _tags(once) == _tags(fragment), fragment


def _tags(fragment):
    return [match.group() for match in _TOKEN.finditer(fragment)]


# Pieces that make ordinals, or words that look like one, for the fuzz test below.
ORDINAL_PIECES = ["2", "1", "10", "e", "ème", "er", "re", "nd", "s", "XIX", "I", "V", "M", "&egrave;", "#",
                  "+", "…", "<sup>", "</sup>"]


def test_random_fragments_with_ordinals_are_idempotent_and_only_gain_superscripts(typographer):
    # Seeded; it found "...2e", typeset only once the three dots had become an ellipsis.
    rng = random.Random(21)
    pieces = FUZZ_PIECES + ORDINAL_PIECES
    for _ in range(3000):
        fragment = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        once = typographer.apply(fragment)
        assert typographer.apply(once) == once, fragment
        added = [tag for tag in _tags(once) if tag not in ("<sup>", "</sup>")]
        assert added == [tag for tag in _tags(fragment) if tag not in ("<sup>", "</sup>")], fragment
        assert once.count("<sup>") - fragment.count("<sup>") == once.count("</sup>") - fragment.count("</sup>")
