"""Makes a chronicle or a page of an export's item, with every metadata field the strict checks require, or says why not.

One rule per WordPress status, written once here: published items are published, drafts,
pending and private ones come over as drafts (nobody but their authors saw them), scheduled
ones keep their date, unless it is further ahead than the build accepts (then a draft,
said in the report); password-protected and trashed ones are left out, with the reason.
"""

from dataclasses import dataclass, field
import html
import re
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from wordpress import comments
from zohe_checks.schedule import FURTHEST  # the build's own limit on a date ahead

# Where each imported type goes, and what the report calls it.
FOLDERS = {"post": "chroniques", "page": "pages"}
KINDS = {"post": "chronique", "page": "page", "attachment": "fichier joint", "revision": "révision",
         "nav_menu_item": "élément de menu"}
# Types left out on purpose, with the reason; an attachment's file is copied when a text uses it (wordpress/media.py).
LEFT_OUT = {
    "attachment": "fichier, copié seulement si un texte importé l’utilise",
    "revision": "ancienne version d’un article, seule la dernière est importée",
    "nav_menu_item": "le menu du site est dans le thème (theme/templates/base.html)",
}
THEME_TYPES = ("wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation",
               "custom_css", "customize_changeset", "oembed_cache", "user_request", "wp_font_family", "wp_font_face")
DRAFT_STATUSES = ("draft", "pending", "private")
UNCATEGORISED = ("Non classé", "Uncategorized")
SUMMARY_LENGTH = 300
_APOSTROPHES = str.maketrans({"’": " ", "'": " "})


@dataclass
class Document:
    """An item as a Markdown file: `path` relative to content/, its header and body."""
    path: str
    header: dict
    body: str
    notes: list = field(default_factory=list)

    @property
    def text(self):
        # One line each, whatever the export held: a newline in a value would add a key (Status, Template…).
        return "".join(f"{key}: {_one_line(str(value))}".rstrip() + "\n" for key, value in self.header.items()) \
            + "\n" + self.body


def left_out(item):
    """Why an item is not written as a chronicle or a page, or None when it is."""
    if item.type in LEFT_OUT:
        return LEFT_OUT[item.type]
    if item.type in THEME_TYPES:
        return "réglage ou gabarit de WordPress, le thème du site en tient lieu"
    if item.type not in FOLDERS:
        return f"type «\u00a0{item.type}\u00a0» inconnu du site, non importé"
    if item.status == "trash":
        return "à la corbeille"
    if item.status == "auto-draft":
        return "brouillon automatique vide de WordPress"
    if item.password:
        return ("protégé par un mot de passe, non importé (le site n’en a pas)\u202f; "
                "publiez-le à la main s’il doit être lu de tous")
    return None


def site_folders(settings):
    """The first folders of the site's own addresses (chroniques/, archives/, recherche/, images/…).

    A page is published at /<slug>/: a WordPress page named "archives" would take the
    address of the site's archives, and the build refuses two documents at one address.
    Read from the settings (publishconf, which includes pelicanconf), their one home;
    "isso" is the comment server's, which nginx serves beside the site.
    """
    folders = {"isso", getattr(settings, "THEME_STATIC_DIR", DEFAULT_CONFIG["THEME_STATIC_DIR"]), *settings.STATIC_PATHS}
    for name, value in vars(settings).items():
        if (name.endswith(("_URL", "_SAVE_AS")) or name.startswith("FEED_")) and isinstance(value, str) \
                and "/" in value and not value.startswith(("{", "http", "/")):
            folders.add(value.split("/", 1)[0])
    return folders


def discussion(item):
    """The `Comments:` of a post whose comments WordPress closed, else None (open).

    "closed" keeps its comments readable, with their feed, and takes no new one
    (plugins/baked_comments); "off" hides the discussion, and is written only when no
    comment comes over to be read, since it would hide them too.
    """
    if item.type != "post" or item.comment_status != "closed":
        return None
    return "closed" if comments.kept(item) else "off"


def slug_of(item):
    """The address an item asks for: WordPress's slug, else its title's, by Pelican's own rule for slugs.

    WordPress keeps a non-Latin slug percent-encoded (%e2%9c%a8-nouveau), which nginx would
    serve under another name; decoded then made ASCII letters, digits and hyphens, no slug
    can hold a slash, a dot or a space, so none writes outside its folder or makes an
    address with a space. One rule for every item; its number when nothing is left.
    """
    for source in (unquote(item.slug), item.title):
        slug = safe_slug(source)
        if slug:
            return slug
    return f"{KINDS[item.type]}-{item.id}"


def safe_slug(text):
    """`text` as a slug by Pelican's rule (pelican.utils.slugify, its default substitutions, which the site keeps),
    no hyphen at its ends."""
    return slugify(text.translate(_APOSTROPHES), regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]).strip("-_")


def date_of(item, zone, now):
    """The item's date on the site's clock: WordPress's GMT date, else its local one, else now."""
    if item.date_gmt:
        return item.date_gmt.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return item.date_local or now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def published(item, zone, now):
    """Whether the item is on the site once imported, for links to it: published, or scheduled and its date past."""
    return item.status == "publish" or (
        item.status == "future" and date_of(item, zone, now) <= now.astimezone(ZoneInfo(zone)).replace(tzinfo=None))


def document(item, slug, body, zone, now, default_category):
    """The chronicle or page of `item` (not left out), its body already Markdown."""
    notes = []
    date = date_of(item, zone, now)
    draft = item.status in DRAFT_STATUSES
    if item.status == "future" and date > (now.astimezone(ZoneInfo(zone)).replace(tzinfo=None) + FURTHEST):
        draft = True
        notes.append(f"programmé le {date:%Y-%m-%d %H:%M}, plus d’un an après aujourd’hui (refusé par la "
                     "construction)\u00a0: importé en brouillon")
    elif item.status in DRAFT_STATUSES:
        notes.append({"draft": "brouillon", "pending": "en attente de relecture",
                      "private": "privé"}[item.status] + " dans WordPress\u00a0: importé en brouillon")
    summary = _one_line(_plain(item.excerpt)) or _first_paragraph(body)
    if not summary:
        summary = _one_line(item.title)
        notes.append("ni extrait ni paragraphe\u00a0: le résumé est le titre, à réécrire")
    header = {"Title": _one_line(item.title) or slug}
    if item.type == "post":
        categories = [c for c in item.categories if c not in UNCATEGORISED]
        header.update({
            "Date": f"{date:%Y-%m-%d %H:%M}",
            "Author": _one_line(item.author) or "Zôhé",
            "Category": categories[0] if categories else default_category,
            "Tags": ", ".join(dict.fromkeys(t.replace(",", " ") for t in [*item.tags, *categories[1:]])),
        })
        if categories[1:]:
            notes.append(f"catégories devenues mots-clés (une seule catégorie par chronique)\u00a0: "
                         f"{', '.join(categories[1:])}")
    header["Summary"] = summary
    header["Slug"] = slug
    if discussion(item):
        header["Comments"] = discussion(item)
        notes.append("commentaires fermés dans WordPress\u00a0: " + (
            "ceux qui sont importés restent à lire, sans formulaire pour en ajouter (Comments: closed)"
            if header["Comments"] == "closed" else "pas de discussion sous la chronique (Comments: off)"))
    if draft:
        header["Status"] = "draft"
    path = f"{FOLDERS[item.type]}/{slug}.md"
    return Document(path=path, header=header, body=body, notes=notes)


def _plain(fragment):
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment or ""))


def _one_line(text):
    return " ".join((text or "").split())


def _first_paragraph(markdown):
    """The first paragraph of text, without its Markdown, cut at a word near SUMMARY_LENGTH."""
    for paragraph in markdown.split("\n\n"):
        if re.match(r"\s*(?:[#!>|-]|\[!\[|\d+\. |\*[^*])", paragraph):
            continue
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", paragraph)
        text = _one_line(re.sub(r"\\([\\`*_{}\[\]()#+.!-])", r"\1", text.replace("**", "")))
        if text:
            if len(text) > SUMMARY_LENGTH:
                text = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return text
    return ""
