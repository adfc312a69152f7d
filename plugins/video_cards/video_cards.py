"""Makes a card of a paragraph that holds only a thumbnail linked to a video: the way to show a video that keeps the site's promise.

A player (`<iframe>`) would load the video host's page, scripts and trackers as soon as
the chronicle opens, in every feed reader too, and the checks refuse it. An author writes
instead a standard Markdown image link whose image is a thumbnail stored on the site:

    [![Titre de la vidéo]({static}/images/vignette.jpg)](https://www.youtube.com/watch?v=…)

When the link goes to one of the video hosts (plugins/video_hosts.py), that paragraph
becomes a card: the thumbnail, the title (the image's description), and "Regarder sur YouTube (le lien ouvre youtube.com)", so the reader
knows where the click leads. Nothing is requested from the host until that click. It is
done in the Markdown tree, as the file is read: the French typography and every later
step see the card as the author's own text, and the reader cache keeps it. Its look is
`.video-card` in theme/static/css/zohe.css; a feed reader, without it, shows a linked
image with its two lines, which reads as well.
"""

from urllib.parse import urlsplit
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican import signals

import video_hosts

# What the card says under its title: where the click leads, as the reader knows that host.
ACTION = "Regarder sur {name} (le lien ouvre {domain})"
# The name Python-Markdown imports the extension by (plugins/ is on sys.path).
EXTENSION = "video_cards.video_cards:VideoCards"


class VideoCards(Extension):
    def __init__(self, **kwargs):
        self.config = {"hosts": [video_hosts.HOSTS, "the video hosts, as in plugins/video_hosts.py"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After the inline patterns made links and images (20) and attr_list set the
        # image's size (8); before the table of contents (5).
        md.treeprocessors.register(_Cards(md, self.getConfig("hosts")), "video_cards", 7)


class _Cards(Treeprocessor):
    def __init__(self, md, hosts):
        super().__init__(md)
        self.hosts = hosts

    def run(self, root):
        for paragraph in list(root.iter("p")):
            found = self.thumbnail_link(paragraph)
            if found:
                make_card(paragraph, *found)

    def thumbnail_link(self, paragraph):
        """(link, image, host) when the paragraph holds only an image of the site linked to a video."""
        if _text(paragraph.text) or len(paragraph) != 1:
            return None
        link = paragraph[0]
        if link.tag != "a" or _text(link.tail) or _text(link.text) or len(link) != 1:
            return None
        image = link[0]
        if image.tag != "img" or _text(image.tail) or not _text(image.get("alt")):
            return None
        source = urlsplit(image.get("src") or "")
        if source.scheme or source.netloc or (image.get("src") or "").startswith("//"):
            return None  # A thumbnail from another host: the checks refuse it, saying where to put it.
        host = video_hosts.host_of(link.get("href") or "", self.hosts)
        return (link, image, host) if host else None


def make_card(paragraph, link, image, host):
    """Turn <p><a><img alt="Titre"></a></p> into the card, in place."""
    title = image.get("alt").strip()
    paragraph.set("class", " ".join(filter(None, [paragraph.get("class"), "video-card"])))
    link.set("class", " ".join(filter(None, [link.get("class"), "video-card__link"])))
    link.remove(image)
    thumbnail = etree.SubElement(link, "span", {"class": "video-card__thumbnail"})
    thumbnail.append(image)
    # The image keeps the title as its description (Pelican refuses an empty one): a screen
    # reader reads it there, and the visible title, the same words, is hidden from it.
    etree.SubElement(link, "span", {"class": "video-card__title", "aria-hidden": "true"}).text = title
    action = etree.SubElement(link, "span", {"class": "video-card__action"})
    action.text = ACTION.format(name=host["name"], domain=video_hosts.shown_domain(link.get("href")))


def _text(value):
    return (value or "").strip()


def add_extension(pelican):
    """Have Pelican's Markdown reader use the extension, with the build's video hosts."""
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    configs = markdown.setdefault("extension_configs", {})
    configs[EXTENSION] = {"hosts": list(video_hosts.configured(pelican.settings))}


def register():
    signals.initialized.connect(add_extension)
