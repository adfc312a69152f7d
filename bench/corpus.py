"""Deterministic synthetic French chronicles, written beside a copy of the real content, for the build benchmark.

The same seed and count always give the same files byte for byte, so two runs,
two machines or Pelican and Hugo measure the very same corpus. Each chronicle
has 800 to 1,200 words with headings, lists, links (to earlier chronicles and
to other sites), block quotes and French punctuation left for the typography
plugin to fix (plain spaces before « ; : ! ? », straight apostrophes).
"""

from datetime import datetime, timedelta
from pathlib import Path
import random
import shutil

from publish.build import ROOT

SEED = 1871
FOLDER = "chroniques"
PREFIX = "synthetique-"

_WORDS = (
    "entreprise collectif confiance relation promesse marché valeur travail métier client "
    "projet temps réseau territoire économie personne équipe savoir partage engagement "
    "coopération artisan atelier produit service échange parole regard attention "
    "rencontre mesure modèle idée question réponse chemin saison village ville commerce "
    "clientèle adhésion abonnement accompagnement année mois semaine journée histoire "
    "expérience démarche pratique outil méthode culture patience exigence qualité prix "
    "coût marge risque avenir passé présent besoin envie liberté responsabilité "
    "solidarité indépendance réussite échec leçon conseil voisin ami associée associé "
    "fondatrice fondateur apprentie apprenti main tête cœur voix silence lumière"
).split()
_VERBS = (
    "construit cherche partage porte invente transforme écoute propose interroge rassemble "
    "défend raconte accompagne relie nourrit éclaire ouvre respecte soutient tisse"
).split()
_ADJECTIVES = (
    "juste simple patient sincère fragile durable commun local humain libre concret "
    "modeste généreux exigeant lent précieux solide ouvert singulier vivant"
).split()
_CONNECTORS = (
    "pourtant", "ainsi", "d'abord", "en somme", "au fond", "de fait", "en vérité",
    "par ailleurs", "c'est pourquoi", "à l'inverse",
)
_TAGS = (
    "modèle économique", "marketing", "relation", "collectif", "confiance", "promesse de marque",
    "engagement", "territoire", "artisanat", "coopération", "indépendance", "transmission",
    "clientèle", "prix juste", "réseau", "apprentissage", "temps long", "sobriété",
    "qualité", "récit", "voisinage", "outil", "méthode", "saison",
)
_AUTHORS = ("Jean & Nathalie", "Pauline", "Zôhé", "Studio Des Rives")
_SITES = ("https://fr.wikipedia.org/wiki/Coop%C3%A9rative", "https://www.economie.gouv.fr/",
          "https://www.insee.fr/fr/accueil", "https://www.legifrance.gouv.fr/")
_START = datetime(2016, 1, 4, 9, 0)


def _sentence(rng, words):
    """One French sentence of about `words` words, with its punctuation."""
    parts = []
    if rng.random() < 0.25:
        parts.append(rng.choice(_CONNECTORS).capitalize() + ",")
    while len(parts) < words:
        roll = rng.random()
        if roll < 0.15:
            parts.append(rng.choice(_VERBS))
        elif roll < 0.3:
            parts.append(rng.choice(_ADJECTIVES))
        elif roll < 0.36:
            # Quoted words in guillemets with plain spaces: the typography plugin binds them.
            parts.append(f"« {rng.choice(_WORDS)} {rng.choice(_ADJECTIVES)} »")
            words -= 1
        elif roll < 0.40:
            parts.append(rng.choice(("l'", "d'", "qu'")) + rng.choice(("atelier", "entreprise", "échange", "idée", "outil")))
        else:
            parts.append(rng.choice(_WORDS))
        if rng.random() < 0.06 and len(parts) < words - 2:
            parts[-1] += rng.choice((",", " ;", " :"))
    if not parts[0][0].isupper():
        parts[0] = parts[0][0].upper() + parts[0][1:]
    return " ".join(parts) + rng.choice((".", ".", ".", ".", " ?", " !", "…"))


def _paragraph(rng, words, links):
    sentences = []
    count = 0
    while count < words:
        length = rng.randint(8, 22)
        sentence = _sentence(rng, length)
        if links and rng.random() < 0.08:
            slug, title = rng.choice(links)
            sentence = sentence.rstrip(".?!… ") + f", comme le disait [{title}]({{filename}}/{FOLDER}/{slug}.md)."
        elif rng.random() < 0.04:
            sentence = sentence.rstrip(".?!… ") + f" ([source]({rng.choice(_SITES)}))."
        sentences.append(sentence)
        count += length
    return " ".join(sentences), count


def chronicle(index, rng, earlier):
    """The Markdown text of synthetic chronicle number `index` (slug, text)."""
    slug = f"{PREFIX}{index:05d}"
    title = f"{_sentence(rng, rng.randint(3, 7))[:-1].rstrip(' ?!…')} ({index})"
    # Every 15 hours: 5,000 chronicles end in 2024, none is in the future (a draft in production).
    date = _START + timedelta(hours=index * 15 + rng.randint(0, 9))
    tags = ", ".join(sorted(rng.sample(_TAGS, rng.randint(2, 4))))
    summary, _ = _paragraph(rng, 35, ())
    # The count below ignores link titles and quote signatures; the last block may overshoot.
    target = rng.randint(790, 1010)
    links = [rng.choice(earlier) for _ in range(3)] if earlier else []
    blocks = []
    words = 0
    section = 0
    while words < target:
        kind = rng.random()
        if kind < 0.12 or (section == 0 and words > 150):
            section += 1
            heading = _sentence(rng, rng.randint(2, 5))[:-1].rstrip(" ?!…")
            blocks.append(f"## {heading}")
            words += len(heading.split())
        elif kind < 0.22:
            items = [_sentence(rng, rng.randint(5, 12)) for _ in range(rng.randint(3, 5))]
            blocks.append("\n".join(f"- {item}" for item in items))
            words += sum(len(item.split()) for item in items)
        elif kind < 0.28:
            text, count = _paragraph(rng, rng.randint(25, 50), ())
            blocks.append(f"> {text}\n>\n> — *{rng.choice(_AUTHORS)}*")
            words += count
        elif kind < 0.31:
            items = [_sentence(rng, rng.randint(5, 10)) for _ in range(3)]
            blocks.append("\n".join(f"{n}. {item}" for n, item in enumerate(items, 1)))
            words += sum(len(item.split()) for item in items)
        else:
            text, count = _paragraph(rng, rng.randint(50, 110), links)
            blocks.append(text)
            words += count
    header = (
        f"Title: {title}\nDate: {date:%Y-%m-%d %H:%M}\nAuthor: {rng.choice(_AUTHORS)}\n"
        f"Category: Les Chroniques de Zôhé\nTags: {tags}\nSlug: {slug}\nSummary: {summary}\n"
    )
    return slug, title, header + "\n" + "\n\n".join(blocks) + "\n"


def generate(count, folder, seed=SEED):
    """Write `count` chronicles into `folder`; return their paths. Same seed, same bytes."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    earlier = []
    paths = []
    for index in range(1, count + 1):
        slug, title, text = chronicle(index, rng, earlier[-50:])
        path = folder / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        # Link targets must not contain Markdown link syntax themselves.
        earlier.append((slug, title.replace("[", "").replace("]", "")))
    return paths


def make_content(count, destination, seed=SEED, source=ROOT / "content"):
    """A copy of the real content with `count` synthetic chronicles added; returns its path."""
    destination = Path(destination)
    shutil.copytree(source, destination)
    generate(count, destination / FOLDER, seed=seed)
    return destination


def edit(path, marker="Modifié"):
    """Change one chronicle's body as an author would (append a sentence), keeping it valid."""
    path = Path(path)
    path.write_text(path.read_text(encoding="utf-8") + f"\n{marker} : une phrase de plus.\n", encoding="utf-8")
