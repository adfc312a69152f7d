"""Scaffolding of a new chronicle with every metadata field the checks require."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from publish.build import ROOT

TEMPLATE = """Title: {title}
Date: {date}
Author: {author}
Category: Les Chroniques de Zôhé
Tags:
Summary: À écrire : une ou deux phrases qui donnent envie de lire la chronique.
Slug: {slug}
Status: draft

Le texte de la chronique commence ici.
"""


class ChronicleExists(FileExistsError):
    """A chronicle with the same slug is already there; the message is for the author."""


def new_chronicle(title, author="Zôhé", content=None, now=None):
    """Write <content>/chroniques/<slug>.md (the project's content/ by default) as a draft dated now.

    Refuses to overwrite: an existing file raises ChronicleExists.
    """
    now = now or datetime.now(ZoneInfo("Europe/Paris"))
    slug = slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    path = Path(content or ROOT / "content") / "chroniques" / f"{slug}.md"
    if path.exists():
        raise ChronicleExists(
            f"{path} already exists: edit it, or choose another title (the file name is its slug)."
        )
    path.write_text(
        TEMPLATE.format(title=title, date=now.strftime("%Y-%m-%d %H:%M"), author=author, slug=slug),
        encoding="utf-8",
    )
    return path
