"""A page still carrying a placeholder (« à compléter », TODO…) is not published: production refuses it, the preview says it in the page.

The legal notice once said « Hébergeur : à compléter avant la mise en ligne » to every
reader. What counts as a placeholder is legal_notice.PLACEHOLDER, the one rule, which
also judges the facts of deploy.env. Pages only: a chronicle may well say « un dossier à
compléter ». Each line of the source is checked, its header included (title, summary),
since all of it is published; a draft is not, and is left for the preview.
"""

import logging

from pelican.contents import Page

import legal_notice
import unfinished

from .where import place

logger = logging.getLogger(__name__)


def check_placeholders(document):
    if not isinstance(document, Page):
        return
    settings = document.settings
    preview = unfinished.preview(settings)
    if not preview and str(getattr(document, "status", "")).lower() == "draft":
        return
    try:
        with open(document.source_path, encoding="utf-8-sig") as handle:
            lines = list(enumerate(handle, 1))
    except (OSError, UnicodeDecodeError):
        return  # Pelican names a file it cannot read itself
    for number, line in lines:
        found = legal_notice.placeholder(line)
        if not found:
            continue
        if preview:
            unfinished.mark(document, f"Ligne {number}\u00a0: «\u202f{found}\u202f» reste dans la page\u202f; "
                                      "écrivez ce qui manque, sans quoi elle ne sera pas publiée.")
        else:
            logger.error(
                "%s\u00a0: «\u00a0%s\u00a0» reste dans la page, qui ne peut pas être publiée ainsi\u202f; "
                "écrivez ce qui manque, ou retirez la phrase",
                place(document.source_path, settings, number), found,
            )
