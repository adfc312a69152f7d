"""The legal notice's facts that only the collective knows, read from the server's deploy.env, and what marks a page as unfinished.

The law on the digital economy (LCEN, art. 6-III-1) asks the publisher of a site, a legal
person here, for (b) its name, its registered office and its telephone, and, once it is
registered at the RCS or the répertoire des métiers, that number and its share capital;
(c) the name of the director of publication; (d) the host's name, address and telephone.
Only the collective knows them, and a server's own settings are not for git: production
reads them from the environment (DIR/deploy.env, publishconf.py), a publication refuses to
go live while one is missing (deploy/settings.py), the preview says which are (the
`legal_notice` plugin). This list, with the labels the page shows, is their one home; the
rule of a placeholder left in a page (« à compléter ») is here too, since a fact written
as one is missing all the same.
"""

import re
from typing import NamedTuple


class Fact(NamedTuple):
    variable: str  # its line in deploy.env
    section: str  # the heading of the legal notice it is shown under
    label: str  # its label there
    name: str  # what it is, in a sentence of a message
    # True: always required; a variable's name: required once that one is given; False: optional.
    required: object = True


PUBLISHER, DIRECTOR, HOST = "Éditeur", "Direction de la publication", "Hébergement"
# The page the facts are shown on (content/pages/mentions-legales.md): its slug, and the
# template that shows them, which it must name (plugins/legal_facts refuses it otherwise).
PAGE_SLUG, PAGE_TEMPLATE = "mentions-legales", "legal-notice"

FACTS = (
    Fact("ZOHE_PUBLISHER_NAME", PUBLISHER, "Dénomination", "la dénomination de l’éditeur"),
    Fact("ZOHE_PUBLISHER_ADDRESS", PUBLISHER, "Siège social", "l’adresse du siège social de l’éditeur"),
    Fact("ZOHE_PUBLISHER_PHONE", PUBLISHER, "Téléphone", "le téléphone de l’éditeur"),
    # Only once the collective is registered (b): then its number and its capital.
    Fact("ZOHE_PUBLISHER_REGISTRATION", PUBLISHER, "Immatriculation", "le numéro d’immatriculation de l’éditeur",
         required=False),
    Fact("ZOHE_PUBLISHER_CAPITAL", PUBLISHER, "Capital social", "le capital social de l’éditeur",
         required="ZOHE_PUBLISHER_REGISTRATION"),
    Fact("ZOHE_PUBLICATION_DIRECTOR", DIRECTOR, "Directeur ou directrice de la publication",
         "le nom du directeur ou de la directrice de la publication"),
    Fact("ZOHE_HOST_NAME", HOST, "Hébergeur", "le nom ou la raison sociale de l’hébergeur"),
    Fact("ZOHE_HOST_ADDRESS", HOST, "Adresse", "l’adresse de l’hébergeur"),
    Fact("ZOHE_HOST_PHONE", HOST, "Téléphone", "le téléphone de l’hébergeur"),
)

# What an author or an operator writes for a fact not known yet: « à compléter » (or
# « à préciser », « à confirmer », « à définir », « à remplir », « à renseigner », with or without the
# accent), TODO, FIXME, XXX, TBD, or dummy text. A page holding one is not published.
PLACEHOLDER = re.compile(
    r"(?<!\w)[àa]\s+(?:compléter|completer|préciser|preciser|confirmer|définir|definir|remplir|renseigner)(?!\w)"
    r"|\b(?:TODO|FIXME|XXX|TBD)\b|\blorem\s+ipsum\b",
    re.IGNORECASE,
)


def placeholder(text):
    """The first placeholder written in `text`, as written, or None."""
    found = PLACEHOLDER.search(text or "")
    return found.group(0) if found else None


def from_environment(environ):
    """The facts given in `environ` (deploy.env read into it): {variable: value}, empty values left out."""
    return {fact.variable: environ[fact.variable].strip() for fact in FACTS if environ.get(fact.variable, "").strip()}


def missing(values):
    """The facts the law asks for that `values` lacks, a placeholder counting as none, in the page's order."""
    given = {variable for variable, value in values.items() if value.strip() and not placeholder(value)}
    return [
        fact for fact in FACTS
        if fact.variable not in given
        and (fact.required is True or (isinstance(fact.required, str) and fact.required in given))
    ]


def sections(values):
    """The notice's sections in order: [(heading, [(fact, value, or None if missing)])], optional facts not given left out."""
    lacking = missing(values)
    shown = {}
    for fact in FACTS:
        if fact in lacking or fact.variable in values:
            shown.setdefault(fact.section, []).append((fact, None if fact in lacking else values[fact.variable]))
    return list(shown.items())
