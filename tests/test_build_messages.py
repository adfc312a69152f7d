"""Pelican's messages that publish/messages.py says in French are still worded as it expects, and any other is quoted in French.

The French line for each of Pelican's messages is chosen by the text Pelican
writes it with. An upgrade that rewords one fails here, naming it, rather than
the author getting the message quoted untranslated (tests/authoring/ builds each mistake).
"""

import ast
import functools
import logging
from pathlib import Path

import pelican
import pytest

import support  # noqa: F401  (imports publish, which puts plugins/ on sys.path)

from publish import messages
from publish.build import Collector


@functools.cache
def _pelicans_strings():
    """Every string Pelican's source holds, implicit concatenations joined, f-strings' fixed parts too."""
    strings = []
    for path in Path(pelican.__file__).parent.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.append(node.value)
    return tuple(strings)


WORDINGS = [fragment for wording, *_ in messages.LOGGED + messages.RAISED for fragment in wording]


@pytest.mark.parametrize("wording", WORDINGS)
def test_each_message_translated_is_still_in_pelicans_source(wording):
    strings = _pelicans_strings()
    assert any(wording in string for string in strings), (
        f"Pelican no longer says {wording!r}: find its new wording and update publish/messages.py")


def test_each_logged_wording_is_the_start_of_one_of_pelicans_messages():
    """Logged messages are matched on their start: the wording must be where Pelican's text begins."""
    strings = _pelicans_strings()
    for wording, _translate in messages.LOGGED:
        assert any(string.startswith(wording[0]) for string in strings), wording[0]


def _problems(*records):
    collector = Collector()
    collector.paths = messages.Paths(base="/srv/site", content="/srv/site/content", output="/srv/site/.output.new")
    collector.records.extend(records)
    return collector.problems


def _record(name, msg, *args):
    return logging.makeLogRecord({"name": name, "levelno": logging.WARNING, "msg": msg, "args": args})


def test_an_unexpected_message_is_quoted_in_a_french_line_not_dropped():
    problems = _problems(_record("pelican.settings", "Locale could not be set.\n Check the %s setting", "LOCALE"))
    assert problems == [
        "message de la construction, non traduit\u00a0: «\u00a0Locale could not be set. Check the LOCALE setting\u00a0»"
        "\u202f; corrigez ce qu’il désigne, ou montrez-le à qui entretient le site"
    ]


def test_a_known_wording_with_arguments_it_does_not_expect_is_quoted_not_a_traceback():
    [problem] = _problems(_record("pelican.contents", "Empty alt attribute for image %s in %s", "photo.webp"))
    assert problem.startswith("message de la construction, non traduit\u00a0: «\u00a0Empty alt attribute"), problem


def test_an_exception_is_said_without_its_python_name():
    collector = Collector()
    collector.raised(KeyError("sans_titre"))
    [problem] = collector.problems
    assert "KeyError" not in problem and "«\u00a0'sans_titre'\u00a0»" in problem, problem


def test_a_file_pelican_could_not_read_for_another_reason_is_named_with_that_reason():
    record = _record("pelican.generators", "Could not process %s", "chroniques/x.md")
    record.raised = RuntimeError("une extension Markdown a échoué sur /srv/site/content/chroniques/x.md")
    assert _problems(record) == [
        "content/chroniques/x.md\u00a0: ce fichier n’a pas pu être lu («\u00a0une extension Markdown a échoué "
        "sur content/chroniques/x.md\u00a0»)\u202f; corrigez ce que le message désigne"
    ]


def test_the_projects_own_lines_pass_as_they_are_once_each():
    line = "content/chroniques/x.md\u00a0: il manque la métadonnée «\u00a0Title\u00a0»\u202f; ajoutez-la"
    own = _record("zohe_checks.zohe_checks", line)
    assert _problems(own, own) == [line]


def test_a_pelican_line_another_line_says_better_is_left_out():
    """Pelican's "Unable to find" names no file; the check's broken link, quoting the same URL, does."""
    check = _record("zohe_checks.zohe_checks", "content/x.md, ligne 3\u00a0: lien ou image introuvable "
                    "«\u00a0{filename}/pages/absente.md\u00a0»\u202f; corrigez le lien")
    pelicans = _record("pelican.contents", "Unable to find '%s', skipping url replacement.", "/pages/absente.md")
    assert _problems(pelicans, check) == [check.getMessage()]
    [alone] = _problems(pelicans)
    assert alone.startswith("lien vers «\u00a0/pages/absente.md\u00a0», introuvable dans le contenu"), alone


@pytest.mark.parametrize("value, expected", [
    ("2023-02-30 10:00", ("n’existe pas, février 2023 n’a que 28\u00a0jours", "corrigez le jour")),
    ("2024-13-01", ("n’existe pas, il n’y a pas de mois 13", "corrigez le mois (de 01 à 12)")),
    ("2024-05-02 25:00", ("n’existe pas, il n’y a pas d’heure 25", "corrigez l’heure (de 00 à 23)")),
    ("2024-05-02 10:75", ("n’existe pas, il n’y a pas de minute 75", "corrigez les minutes (de 00 à 59)")),
])
def test_an_impossible_date_names_the_part_that_is_wrong(value, expected):
    assert messages.impossible_part(value) == expected
