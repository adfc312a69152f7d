"""Gives every template the accessibility statement: its state of compliance and the sweep's figures.

The figures are the file the sweep writes (accessibility_figures), read from the content
folder being built; the footer of every page says the state, and the statement page
(`Template: accessibility`, theme/templates/accessibility.html) shows the figures. A site
with a statement page and no figures fails its build, naming the task that writes them.
"""

from datetime import date
import logging
import os

from pelican import signals

import accessibility_figures
import french_text

logger = logging.getLogger(__name__)
TEMPLATE = "accessibility"


def shown_name(settings):
    """The figures' file as the build's messages name files: under content/'s own name."""
    return os.path.join(os.path.basename(settings["PATH"]), accessibility_figures.FILE)


def figures(settings):
    """The committed figures of the content folder being built, the run's date as a date.

    None when none were written, or when the file was edited into something the sweep
    never writes (said at once: the statement would show nothing true).
    """
    try:
        found = accessibility_figures.read(accessibility_figures.in_content(settings["PATH"]))
        if found is None:
            return None
        # The sweep names its pages plainly ("Offre : adhésion"): typeset as any text readers read.
        return {**found, "date": date.fromisoformat(found["date"]),
                "pages": [french_text.typeset(name) for name in found["pages"]],
                "excluded": {french_text.typeset(name): rules for name, rules in found["excluded"].items()}}
    except (ValueError, KeyError, TypeError, AttributeError):
        logger.warning("%s\u00a0: fichier illisible, il n’a pas la forme qu’écrit l’essai d’accessibilité\u202f; "
                       "ne le modifiez pas à la main, lancez `invoke accessibility`, qui le réécrit", shown_name(settings))
        return None


def add_to_context(generator):
    if "ACCESSIBILITY" not in generator.context:
        generator.context["ACCESSIBILITY"] = {"state": accessibility_figures.STATE,
                                              "impacts": accessibility_figures.IMPACTS_FR,
                                              "figures": figures(generator.settings)}


def check_figures(generator):
    """The statement page cannot show figures nobody measured: the build says which task writes them."""
    # An unreadable file was said already, by figures().
    if accessibility_figures.in_content(generator.settings["PATH"]).is_file():
        return
    for page in generator.pages + generator.hidden_pages + generator.draft_pages:
        if page.template == TEMPLATE:
            logger.warning("%s\u00a0: fichier absent, la déclaration d’accessibilité n’a pas ses chiffres\u202f; "
                           "lancez `invoke accessibility`, qui les écrit", shown_name(generator.settings))


def register():
    signals.generator_init.connect(add_to_context)
    signals.page_generator_finalized.connect(check_figures)
