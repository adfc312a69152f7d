"""Turns an item's HTML, as WordPress stored it, into the Markdown authors write here.

markdownify does the conversion itself (maintained, built on BeautifulSoup, which the
build already uses); before it, what only WordPress understood is made plain HTML or
reported: the block editor's `<!-- wp:… -->` comments, the classic editor's paragraphs
(blank lines that WordPress turned into `<p>` only when showing a post), shortcodes,
embeds, the `fbpx` left by the old site's Facebook pixel, links between imported posts
(made `{filename}` links, which Pelican keeps right) and images (each given to `Site.media`,
which today copies none: an image is reported, never silently lost).
"""

from dataclasses import dataclass, field
import html
import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from markdownify import markdownify

import video_hosts
from wordpress import shortcodes

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

    def media(self, url):
        """The `{static}/images/…` an upload was copied to, or None: media are not imported yet."""
        return None

    def thumbnail(self, url):
        """The `{static}/images/…` of a video's thumbnail, or None: media are not imported yet."""
        return None

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
        return (not parts.netloc or parts.hostname in self.hosts) and "/wp-content/uploads/" in parts.path


def to_markdown(source, site, notes):
    """The Markdown of one item's HTML; each thing left out or to revise is appended to `notes`, in French."""
    text = _BLOCK_COMMENT.sub("", source)
    text = _FBPX.sub("", text)
    text = shortcodes.convert(text, lambda ids: [site.attachments[i] for i in ids if i in site.attachments], notes)
    soup = BeautifulSoup(_paragraphs(text), "html.parser")
    for tag in soup.find_all(_DROPPED):
        notes.append(f"élément <{tag.name}> retiré (rien ne vient d’un autre site)")
        tag.decompose()
    _embeds(soup, site, notes)
    _images(soup, site, notes)
    _links(soup, site, notes)
    markdown = markdownify(str(soup), heading_style="ATX", bullets="-", escape_underscores=False)
    lines = [line if line.strip() else "" for line in markdown.splitlines()]  # "  " ends a line break
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _paragraphs(text):
    """WordPress's wpautop, in short: blank lines separate paragraphs, a single newline is a line break."""
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if chunk.strip()]
    return "\n".join(chunk if _BLOCK_START.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>"
                     for chunk in chunks)


def _embeds(soup, site, notes):
    """Embedded videos (shortcode, block or `<iframe>`) become our video card, or a link when no thumbnail is known."""
    found = [(tag, tag.get_text().strip()) for tag in soup.select("p.wp-embed, .wp-block-embed__wrapper")]
    found += [(tag, video_hosts.watch_address(tag.get("src", ""), video_hosts.HOSTS) or tag.get("src", ""))
              for tag in soup.find_all(["iframe", "video", "audio"])]
    for tag, url in found:
        holder = tag.find_parent("figure") or tag
        host = video_hosts.host_of(url, video_hosts.HOSTS)
        if tag.name in ("audio", "video") and not host:
            notes.append(f"{'son' if tag.name == 'audio' else 'vidéo'} {url or '(sans adresse)'}\u00a0: "
                         "pas encore importé (médias)")
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
        thumbnail = site.thumbnail(url) if host else None
        paragraph = soup.new_tag("p")
        link = soup.new_tag("a", href=url)
        if thumbnail:
            link.append(soup.new_tag("img", src=thumbnail, alt=title))
        else:
            link.string = title
            if host:
                notes.append(f"vidéo {url}\u00a0: lien simple, sans vignette (médias pas encore importés)")
        paragraph.append(link)
        holder.replace_with(paragraph)


def _images(soup, site, notes):
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
        copied = site.media(source)
        if copied:
            image.attrs = {"src": copied, "alt": image.get("alt", "")}
            continue
        notes.append(f"image {source or '(sans adresse)'}\u00a0: pas encore importée (médias)")
        link = image.find_parent("a")
        (link if link and not link.get_text().strip() else image).decompose()


def _links(soup, site, notes):
    for link in soup.find_all("a", href=True):
        key = site.old_key(link["href"])
        target = site.targets.get(key) if key else None
        if target is None:
            if site.upload(link["href"]):
                notes.append(f"lien vers le fichier {link['href']}\u00a0: pas encore importé (médias), "
                             "le lien mène encore à l’ancien site")
            elif key and key != "path:":
                notes.append(f"lien vers l’ancienne adresse {link['href']}, qui n’est aucun article importé\u00a0: "
                             "laissé tel quel, il ne mène nulle part tant qu’elle n’est pas redirigée")
            continue
        if target.published:
            link["href"] = target.filename
        else:
            notes.append(f"lien vers {target.filename.split('/', 1)[1]}, qui n’est pas publié, "
                         "remplacé par son texte")
            link.unwrap()
