"""The one French line an author reads for each problem a build logs or raises, Pelican's own included.

Our checks and plugins log French lines already. Pelican logs English, and some of
its errors are Python's (UnicodeDecodeError for a file saved in Latin-1, ValueError
for 30 February). Each message of Pelican's that an author's mistake triggers is
recognised here by the text Pelican writes it with (tests/test_build_messages.py
fails when a Pelican upgrade changes one of them) and said again in French, naming
the file and the line, with what to do. Any other message is quoted inside a French
line, never dropped: the build failed because of it.
"""

import calendar
from dataclasses import dataclass
import datetime
import os
from pathlib import Path
import re
from typing import NamedTuple

from babel.dates import format_date

from author_hints import case_hint, case_twin, line_of, where

ROOT = Path(__file__).resolve().parent.parent


class Problem(NamedTuple):
    """One line for the author; dropped when another line holds every fragment of `covered_by`,
    which says the same thing better (Pelican's "Unable to find" beside the check's broken link)."""

    text: str
    covered_by: tuple = ()


@dataclass
class Paths:
    """Where a build's files are: what a message names is shown relative to `base`."""

    base: str  # the content folder's parent
    content: str  # Pelican's PATH
    output: str = ""  # the folder being written

    def show(self, path):
        return os.path.relpath(os.path.abspath(str(path)), self.base)


def lines(problems):
    """The lines an author reads: each once, in the order found, none said better by another."""
    texts = list(dict.fromkeys(problem.text for problem in problems))
    covered = {
        problem.text for problem in problems
        if problem.covered_by and any(
            other != problem.text and all(fragment in other for fragment in problem.covered_by)
            for other in texts)
    }
    return [text for text in texts if text not in covered]


def problem(record, paths):
    """The author's line for a logged record; `record.raised` is the exception in flight, if any."""
    raised = getattr(record, "raised", None)
    if _ours(record):
        return Problem(record.getMessage())
    template = str(record.msg)
    for wording, translate in LOGGED:
        if template.startswith(wording[0]):
            try:
                return translate(record.args or (), paths, raised)
            except (LookupError, TypeError, ValueError, OSError):
                break  # Pelican's arguments changed under the same words: quoted as they are
    said = _said(record)
    if raised is not None and str(raised) == said:
        return exception(raised, paths)
    # Logged while handling an exception: its text (not its name) tells why.
    return untranslated(said if raised is None else f"{said} ({raised})", paths)


def _said(record):
    try:
        return record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the message: both, as they are
        return f"{record.msg} {record.args}"


def exception(error, paths, display=None):
    """The author's line for an exception Pelican raised, or raised while reading a file (`display`:
    its path and its path as shown)."""
    text = str(error)
    for wording, pattern, translate in RAISED:
        match = re.search(pattern, text)
        if match:
            return translate(match, paths, display)
    if display:
        return Problem(f"{display[1]}\u00a0: ce fichier n’a pas pu être lu («\u00a0{_one_line(text, paths)}\u00a0»)"
                       "\u202f; corrigez ce que le message désigne")
    return untranslated(text, paths)


def untranslated(text, paths):
    """A message nobody translated yet: quoted, so that the author still learns why the build failed."""
    return Problem(f"message de la construction, non traduit\u00a0: «\u00a0{_one_line(text, paths)}\u00a0»"
                   "\u202f; corrigez ce qu’il désigne, ou montrez-le à qui entretient le site")


def _one_line(text, paths):
    if paths.output:
        text = text.replace(paths.output + os.sep, "")
    text = text.replace(paths.base + os.sep, "")
    return " ".join(text.split())


def _ours(record):
    """Whether the project's own code logged `record` (its messages are French already)."""
    return record.name.split(".")[0] in _our_packages()


def _our_packages():
    if not hasattr(_our_packages, "names"):
        plugins = {Path(name).stem for name in os.listdir(ROOT / "plugins") if not name.startswith((".", "_"))}
        _our_packages.names = plugins | {"publish"}
    return _our_packages.names


# ---------------------------------------------------------------- Pelican's messages, in French
# Each takes the record's arguments as Pelican gives them.


def could_not_process(args, paths, raised):
    path = os.path.join(paths.content, str(args[0]))
    display = paths.show(path)
    if isinstance(raised, UnicodeDecodeError):
        return not_utf8(path, display)
    if raised is None:
        return Problem(f"{display}\u00a0: ce fichier n’a pas pu être lu\u202f; vérifiez qu’il s’ouvre dans un éditeur de texte")
    return exception(raised, paths, display=(path, display))


def not_utf8(path, display):
    """A file saved in Latin-1 or Windows-1252: the line of its first character that is not UTF-8."""
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
        return Problem(f"{display}\u00a0: le fichier n’est pas en UTF-8\u202f; réenregistrez-le en UTF-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        character = data[error.start : error.start + 1].decode("cp1252", errors="replace")
    return Problem(
        f"{where(display, line)}\u00a0: le fichier n’est pas enregistré en UTF-8 (le caractère "
        f"«\u00a0{character}\u00a0» y est codé en Latin-1 ou en Windows-1252)\u202f; réenregistrez-le en UTF-8"
    )


def missing_property(args, paths, raised):
    display, key = paths.show(str(args[0])), str(args[1]).capitalize()
    return Problem(
        f"{display}\u00a0: il manque la métadonnée «\u00a0{key}\u00a0»\u202f; "
        f"ajoutez en tête du fichier une ligne «\u00a0{key}: …\u00a0»",
        covered_by=(display + "\u00a0", f"«\u00a0{key}\u00a0»"),
    )


def outside_output(args, paths, raised):
    display = paths.show(str(args[0]))
    return Problem(f"{display}\u00a0: son adresse «\u00a0{args[1]}\u00a0» sortirait du site"
                   "\u202f; retirez les «\u00a0..\u00a0» de son Slug, Save_as ou Url")


def unknown_status(args, paths, raised):
    status, path = str(args[0]), str(args[1])
    line = line_of(path, status, start=r"\s*status\s*:")
    return Problem(
        f"{where(paths.show(path), line)}\u00a0: statut «\u00a0{status}\u00a0» inconnu, le document n’est pas publié"
        "\u202f; écrivez «\u00a0Status: draft\u00a0» pour un brouillon, ou retirez la ligne pour le publier"
    )


def filename_to_static(args, paths, raised):
    target, path = str(args[0]), os.path.join(paths.content, str(args[1]))
    line = line_of(path, os.path.basename(target))
    return Problem(
        f"{where(paths.show(path), line)}\u00a0: «\u00a0{{filename}}\u00a0» mène à un fichier, {target}, "
        f"et non à une chronique ou une page\u202f; écrivez «\u00a0{{static}}{target}\u00a0»"
    )


def not_found(args, paths, raised):
    url = str(args[0])
    twin = case_twin(os.path.join(paths.content, url.lstrip("/"))) if url.startswith("/") else None
    hint = case_hint(twin) if twin else "corrigez le lien, ou ajoutez le fichier"
    return Problem(f"lien vers «\u00a0{url}\u00a0», introuvable dans le contenu\u202f; {hint}", covered_by=(url,))


def no_modification_stamp(args, paths, raised):
    """Pelican's cache looks for the date of a linked static file that does not exist."""
    path = str(args[0])
    twin = case_twin(path)
    hint = case_hint(twin) if twin else "corrigez le lien, ou ajoutez le fichier"
    return Problem(f"{paths.show(path)}\u00a0: fichier introuvable\u202f; {hint}",
                   covered_by=(os.path.basename(path),))


def empty_alt(args, paths, raised):
    image, path = str(args[0]), str(args[1])
    line = line_of(path, image)
    return Problem(
        f"{where(paths.show(path), line)}\u00a0: l’image «\u00a0{image}\u00a0» n’a pas de texte de remplacement"
        "\u202f; décrivez-la entre les crochets, ![Ce que montre l’image](…)"
    )


def same_slug(args, paths, raised):
    """Pelican's warning on documents sharing a slug: the check on URLs names them too."""
    count = int(args[0])
    sources = sorted(paths.show(str(path)) for path in args[-count:])
    said = re.fullmatch(r'with slug "(.*)"', str(args[1]))
    slug = f" «\u00a0{said.group(1)}\u00a0»" if said else ""
    return Problem(
        f"{sources[0]}\u00a0: même Slug{slug} que {', '.join(sources[1:])}\u202f; donnez à l’un d’eux un autre Slug",
        covered_by=tuple(sources),
    )


# (the text Pelican's message starts with, and what follows it that the test finds in
# Pelican's source too) -> its French line
LOGGED = [
    (("Could not process %s",), could_not_process),
    (("Skipping %s: could not find information about '%s'",), missing_property),
    (("Skipping %s: file %r would be written outside output path",), outside_output),
    (("Unknown status '%s' for file %s, skipping it.",), unknown_status),
    (("{filename} used for linking to static content %s in %s. Use {static} instead",), filename_to_static),
    (("Unable to find '%s', skipping url replacement.",), not_found),
    (("Cannot get modification stamp for %s",), no_modification_stamp),
    (("Empty alt attribute for image %s in %s",), empty_alt),
    (('There are %s items "%s" with lang %s',), same_slug),
    (("There are %s original (not translated) items %s",), same_slug),
]


# ---------------------------------------------------------------- Pelican's exceptions, in French


def invalid_date(match, paths, display):
    value = match.group("value")
    what, fix = impossible_part(value)
    if display is None:
        return Problem(f"la date «\u00a0{value}\u00a0» {what}\u202f; {fix}")
    path, shown = display
    line = line_of(path, value, start=r"\s*(date|modified)\s*:")
    return Problem(f"{where(shown, line)}\u00a0: la date «\u00a0{value}\u00a0» {what}\u202f; {fix}")


def impossible_part(value):
    """What makes a date impossible, and what to do: ("n’existe pas, février 2023 n’a que 28 jours", "corrigez le jour")."""
    parts = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}))?", value)
    if parts is None:
        return "n’est pas une date lisible", "écrivez-la année-mois-jour, comme 2024-05-02 10:00"
    year, month, day, hour, minute = (int(part) if part else 0 for part in parts.groups())
    if not 1 <= month <= 12:
        return f"n’existe pas, il n’y a pas de mois {month}", "corrigez le mois (de 01 à 12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        named = format_date(datetime.date(year, month, 1), "MMMM y", locale="fr")
        return f"n’existe pas, {named} n’a que {days}\u00a0jours", "corrigez le jour"
    if hour > 23:
        return f"n’existe pas, il n’y a pas d’heure {hour}", "corrigez l’heure (de 00 à 23)"
    if minute > 59:
        return f"n’existe pas, il n’y a pas de minute {minute}", "corrigez les minutes (de 00 à 59)"
    return "n’est pas une date lisible", "écrivez-la comme 2024-05-02 10:00"


def overwritten(match, paths, display):
    page = os.path.relpath(match.group("file"), paths.output) if paths.output else match.group("file")
    return Problem(f"deux documents donneraient la même page «\u00a0{page}\u00a0»\u202f; "
                   "donnez à l’un d’eux un autre Slug", covered_by=(page,))


# (texts of Pelican's exception that the test finds in its source, the pattern matching it)
# -> its French line
RAISED = [
    ((" is not a valid date",), r"^(['\"])(?P<value>.*)\1 is not a valid date$", invalid_date),
    (('Failed to overwrite "', '" as Pelican has already written to it previously'),
     r'^Failed to overwrite "(?P<file>.*)" as Pelican has already written to it previously', overwritten),
]
