"""Scaffolding of a new chronicle with every metadata field the checks require (metadata_keys.SCAFFOLD)."""

from datetime import datetime
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

import french_words
import metadata_keys
from publish.build import ROOT, load_settings
from scaffold import SCAFFOLD_SUMMARY, SCAFFOLD_TEXT

# French elision ("L’été") is a word boundary in the address: l-ete, not lete.
_APOSTROPHES = str.maketrans({"’": " ", "'": " "})


class ChronicleExists(FileExistsError):
    """A chronicle with the same slug is already there; the message is for the author."""


class TitleWithoutSlug(ValueError):
    """The title has no letter or digit to make an address of; the message is for the author."""


def new_chronicle(title, author="Zôhé", content=None, now=None):
    """Write <content>/chroniques/<slug>.md (the project's content/ by default) as a draft dated now.

    Refuses to overwrite: an existing file raises ChronicleExists; a title with no
    letter or digit raises TitleWithoutSlug.
    """
    now = now or datetime.now(french_words.PARIS)
    slug = slugify(title.translate(_APOSTROPHES), regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise TitleWithoutSlug(f"le titre «\u00a0{title}\u00a0» n’a ni lettre ni chiffre pour en faire l’adresse "
                               "de la chronique\u202f; donnez-lui un titre avec des mots")
    content = Path(content or ROOT / "content")
    path = content / "chroniques" / f"{slug}.md"
    if path.exists():
        raise ChronicleExists(
            f"{path.relative_to(content.parent)} existe déjà (le nom du fichier vient du titre)\u202f; "
            "modifiez-le, ou choisissez un autre titre"
        )
    category = load_settings()["DEFAULT_CATEGORY"]  # written out, so that the author sees it
    path.write_text(
        header({"title": title, "date": now.strftime("%Y-%m-%d %H:%M"), "author": author, "category": category,
                "tags": "", "summary": SCAFFOLD_SUMMARY, "slug": slug, "status": "draft"})
        + f"\n{SCAFFOLD_TEXT}\n",
        encoding="utf-8",
    )
    return path


def header(values):
    """The header `invoke new` writes: the keys of metadata_keys.SCAFFOLD, in its order, with ``values``."""
    return "".join(f"{key.capitalize()}:{' ' if values[key] else ''}{values[key]}\n"
                   for key in metadata_keys.SCAFFOLD)
