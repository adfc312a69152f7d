"""Scaffolding of a new chronicle with every metadata field the checks require."""

from datetime import datetime
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


def new_chronicle(title, author="Zôhé", folder=None, now=None):
    """Write content/chroniques/<slug>.md as a draft dated now; refuse to overwrite."""
    now = now or datetime.now(ZoneInfo("Europe/Paris"))
    slug = slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    path = (folder or ROOT / "content" / "chroniques") / f"{slug}.md"
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    path.write_text(
        TEMPLATE.format(title=title, date=now.strftime("%Y-%m-%d %H:%M"), author=author, slug=slug),
        encoding="utf-8",
    )
    return path
