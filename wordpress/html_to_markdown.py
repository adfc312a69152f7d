"""Turns an item's HTML, as WordPress stored it, into the Markdown authors write here.

markdownify does the conversion itself (maintained, built on BeautifulSoup, which the
build already uses); before it, what only WordPress understood is made plain HTML or
reported: the block editor's `<!-- wp:… -->` comments, the classic editor's paragraphs
(blank lines that WordPress turned into `<p>` only when showing a post), shortcodes,
embeds, the `fbpx` left by the old site's Facebook pixel, links between imported posts
(made `{filename}` links, which Pelican keeps right) and uploads: images, documents and
sounds copied by wordpress/media.py and linked as `{static}/…`; one that cannot be is taken
out, its caption and words kept, and reported, never silently lost.
"""

from dataclasses import dataclass, field
import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup
from markdownify import markdownify

import video_hosts
from wordpress import shortcodes
from wordpress.media import Copy, describe, upload_path

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_FBPX = re.compile(r"^\s*(?:<p>)?\s*fbpx\s*(?:</p>)?\s*$", re.MULTILINE | re.IGNORECASE)
_BLOCK_START = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|figure|table|pre|hr|audio|video|iframe)\b",
                          re.IGNORECASE)
_DATED = re.compile(r"^\d{4}/\d{2}/\d{2}/")
# What would make a reader's browser run or fetch something from elsewhere: never imported.
_DROPPED = ("script", "style", "form", "object", "embed", "noscript")


@dataclass
class Target:
    """Where an imported item went, for links to it: `{filename}/chroniques/x.md`, and whether it is published."""
    filename: str
    published: bool


@dataclass
class Site:
    """What converting one item needs to know of the whole export."""
    hosts: set  # the old site's hosts: a link to one of them may be a link to an imported item
    targets: dict = field(default_factory=dict)  # old_key(address) -> Target
    attachments: dict = field(default_factory=dict)  # attachment id -> its upload's address
    uploads: object = None  # wordpress.media.Uploads: where uploads are copied from
    redirected: dict = field(default_factory=dict)  # an old address -> where nginx sends it (wordpress/redirects.py)

    def old_key(self, url):
        """One key for the ways an item of the old site was addressed: its permalink, `?p=ID`, `?page_id=ID`."""
        parts = urlsplit(html.unescape(url.strip()))
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.hostname not in self.hosts):
            return None
        if not parts.netloc and not parts.path.startswith("/"):
            return None
        query = parse_qs(parts.query)
        for name in ("p", "page_id"):
            if query.get(name):
                return f"id:{query[name][0]}"
        # WordPress answers /YYYY/MM/DD/<slug>/ and /<slug>/ alike, whichever its permalinks were.
        return "path:" + _DATED.sub("", parts.path.strip("/"))

    def upload(self, url):
        """Whether `url` is a file of the old site's uploads (an image, a PDF…)."""
        parts = urlsplit(html.unescape(url.strip()))
        return (not parts.netloc or parts.hostname in self.hosts) and upload_path(url) is not None


class _Media:
    """One item's uploads: each copied once, and one line of the report each."""

    def __init__(self, site, notes, featured):
        self.site, self.notes, self.featured = site, notes, featured
        self.said = set()

    def copy(self, url, kind, instead):
        """The Copy of the upload at `url`, else None, noted with why and what was done `instead`.

        `kind` names it in the report: « image », « son », « lien vers le fichier ».
        """
        found = self.site.uploads.copy(url) if self.site.uploads and self.site.upload(url) else \
            "sur un autre site, rien n’en est copié (rien ne vient d’un autre site)"
        if isinstance(found, Copy):
            self.say(found.target, f"{kind} {url}\u00a0: {describe(found)}")
            return found
        self.notes.append(f"{kind} {url}\u00a0: {found}\u202f; {instead}")
        return None

    def thumbnail(self, url, alone):
        """The Copy of a video's thumbnail; the post's featured image counts only for its one video (`alone`)."""
        if not self.site.uploads:
            return None
        found = self.site.uploads.thumbnail(url, self.featured if alone else "")
        if found:
            self.say(found.target, f"vidéo {url}\u00a0: carte, sa vignette {describe(found)}")
        return found

    def say(self, target, line):
        if target not in self.said:
            self.said.add(target)
            self.notes.append(line)


def to_markdown(source, site, notes, featured=""):
    """The Markdown of one item's HTML; each thing left out or to revise is appended to `notes`, in French.

    `featured`: the address of the item's featured image, a video's thumbnail when nothing else is.
    """
    media = _Media(site, notes, featured)
    text = _BLOCK_COMMENT.sub("", source)
    text = _FBPX.sub("", text)
    text = shortcodes.convert(text, lambda ids: [site.attachments[i] for i in ids if i in site.attachments], notes)
    soup = BeautifulSoup(_paragraphs(text), "html.parser")
    for tag in soup.find_all(_DROPPED):
        notes.append(f"élément <{tag.name}> retiré (rien ne vient d’un autre site)")
        tag.decompose()
    _embeds(soup, media)
    _images(soup, media)
    _links(soup, site, media)
    markdown = markdownify(str(soup), heading_style="ATX", bullets="-", escape_underscores=False)
    lines = [line if line.strip() else "" for line in markdown.splitlines()]  # "  " ends a line break
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _paragraphs(text):
    """WordPress's wpautop, in short: blank lines separate paragraphs, a single newline is a line break."""
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if chunk.strip()]
    return "\n".join(chunk if _BLOCK_START.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>"
                     for chunk in chunks)


def _embeds(soup, media):
    """Embedded videos (shortcode, block or `<iframe>`) become our video card, or a link when no thumbnail is known;
    a sound or a video of the uploads, a link to its copy."""
    notes = media.notes
    found = [(tag, tag.get_text().strip()) for tag in soup.select("p.wp-embed, .wp-block-embed__wrapper")]
    found += [(tag, video_hosts.watch_address(tag.get("src", ""), video_hosts.HOSTS) or tag.get("src", ""))
              for tag in soup.find_all(["iframe", "video", "audio"])]
    videos = sum(1 for _, url in found if video_hosts.host_of(url, video_hosts.HOSTS))
    for tag, url in found:
        holder = tag.find_parent("figure") or tag
        host = video_hosts.host_of(url, video_hosts.HOSTS)
        if tag.name in ("audio", "video") and not host:
            kind = "son" if tag.name == "audio" else "vidéo"
            copied = media.copy(url, kind, "retiré")
            if copied:
                paragraph = soup.new_tag("p")
                link = soup.new_tag("a", href=copied.reference)
                name = copied.target.split("/")[-1]
                link.string = f"{'Écouter le son' if kind == 'son' else 'Voir la vidéo'} ({name})"
                paragraph.append(link)
                holder.replace_with(paragraph)
            else:
                holder.decompose()
            continue
        if not url.startswith(("http://", "https://")):
            notes.append("contenu intégré sans adresse retiré")
            holder.decompose()
            continue
        caption = holder.find("figcaption") if holder.name == "figure" else None
        title = (caption and caption.get_text(" ", strip=True)) or (f"La vidéo sur {host['name']}" if host else url)
        if not host and tag.name == "iframe":
            notes.append(f"cadre intégré {url}\u00a0: remplacé par un lien (rien ne vient d’un autre site)")
        thumbnail = media.thumbnail(url, alone=videos == 1) if host else None
        paragraph = soup.new_tag("p")
        link = soup.new_tag("a", href=url)
        if thumbnail:
            link.append(soup.new_tag("img", src=thumbnail.reference, alt=title))
        else:
            link.string = title
            if host:
                notes.append(f"vidéo {url}\u00a0: lien simple, sans vignette (ni image nommée d’après la vidéo dans "
                             "le dossier des fichiers, ni image mise en avant de l’article)\u202f; pour une carte, "
                             "enregistrez une vignette dans content/images/ et écrivez "
                             f"[![{title}]({{static}}/images/vignette.jpg)]({url})")
        paragraph.append(link)
        holder.replace_with(paragraph)


def _images(soup, media):
    for figure in soup.find_all("figure"):
        caption = figure.find("figcaption")
        if caption:
            emphasis = soup.new_tag("em")
            emphasis.extend(list(caption.contents))
            paragraph = soup.new_tag("p")
            paragraph.append(emphasis)
            caption.decompose()
            figure.insert_after(paragraph)
        figure.unwrap()
    for image in soup.find_all("img"):
        source = image.get("src", "")
        if source.startswith("{static}/"):  # a video card's thumbnail, copied already
            continue
        copied = media.copy(source, "image", "retirée, le texte et la légende gardés") if source else None
        if copied:
            description = " ".join(image.get("alt", "").split())
            if not description:  # Pelican refuses an image without one: the file's name, to rewrite
                description = copied.target.split("/")[-1].rsplit(".", 1)[0].replace("-", " ")
                media.notes.append(f"image content/{copied.target}\u00a0: sans description dans WordPress, "
                                   f"«\u00a0{description}\u00a0» en tient lieu\u202f; à réécrire")
            image.attrs = {"src": copied.reference, "alt": description}
            continue
        if not source:
            media.notes.append("image (sans adresse)\u00a0: retirée")
        link = image.find_parent("a")
        (link if link and not link.get_text().strip() else image).decompose()


def _links(soup, site, media):
    notes = media.notes
    for link in soup.find_all("a", href=True):
        href = link["href"]
        if site.upload(href) and not href.startswith("{static}"):
            copied = media.copy(href, "lien vers le fichier", "remplacé par son texte")
            if copied:
                link["href"] = copied.reference
            else:
                link.unwrap()
            continue
        key = site.old_key(href)
        target = site.targets.get(key) if key else None
        if target is None:
            if key and key != "path:":
                path = unquote(urlsplit(html.unescape(href.strip())).path)
                forms = [f"?p={key[3:]}", f"?page_id={key[3:]}"] if key.startswith("id:") else [path, path + "/"]
                moved = next((site.redirected[form] for form in forms if form in site.redirected), None)
                where = "il ne mène nulle part, l’ancienne adresse n’étant pas redirigée"
                if moved == "gone":
                    where = "l’ancienne adresse répond que la page est supprimée (410)"
                elif moved:
                    where = f"l’ancienne adresse est redirigée vers {moved}"
                notes.append(f"lien vers l’ancienne adresse {href}, qui n’est aucun article importé\u00a0: "
                             f"laissé tel quel, {where}")
            continue
        if target.published:
            link["href"] = target.filename
        else:
            notes.append(f"lien vers {target.filename.split('/', 1)[1]}, qui n’est pas publié, "
                         "remplacé par son texte")
            link.unwrap()
