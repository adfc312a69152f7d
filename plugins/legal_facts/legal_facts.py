"""The legal notice page (« Template: legal-notice ») gets the facts of the server's deploy.env, in the order the law lists them.

The facts and their labels have one home, legal_notice.FACTS; production reads their
values from the environment into LEGAL_NOTICE (publishconf.py), and a publication that
lacks one never goes live (deploy/settings.py). The preview has none of them: it shows
each as missing, in the page and in a notice at its top (plugins/unfinished.py).
"""

import logging

from pelican import signals
from pelican.contents import Page

import legal_notice
import unfinished
from zohe_checks.where import place

TEMPLATE = legal_notice.PAGE_TEMPLATE
logger = logging.getLogger(__name__)


def attach_facts(document):
    """Give the legal notice page its sections of facts, each value None when missing."""
    if not isinstance(document, Page):
        return
    if document.template != TEMPLATE:
        if document.slug == legal_notice.PAGE_SLUG:
            # Without its template the page would go live without the facts the law asks for.
            logger.error("%s : la page des mentions légales ne dit plus « Template: %s » ; sans "
                         "cette ligne elle ne montre ni l’éditeur ni l’hébergeur que la loi demande ; remettez-la "
                         "dans son en-tête", place(document.source_path, document.settings), TEMPLATE)
        return
    values = document.settings.get("LEGAL_NOTICE") or {}
    document.legal_sections = legal_notice.sections(values)
    if unfinished.preview(document.settings):
        for fact in legal_notice.missing(values):
            unfinished.mark(
                document,
                f"Il manque {fact.name}\u00a0: en production, la ligne «\u202f{fact.variable}=…\u202f» "
                "de deploy.env la donne, et sans elle le site n’est pas publié.",
            )


def register():
    signals.content_object_init.connect(attach_facts)
