"""Refuses, in a chronicle or page, anything that would make a reader's browser or feed reader fetch from another host.

The site promises no tracker and no request to another host. A YouTube `<iframe>` or a
`<script src="https://…">` in a chronicle would break it, on the page and in the four
full-content feeds, whose readers apply no Content-Security-Policy: the CSP is a last
resort, not the rule. The rendered body (and each formatted metadata, the summary) of
every document is read here as it is made, and each address it would fetch from a
host other than SITEURL's (any, in the preview, whose SITEURL is empty) is refused,
naming the line of the source where the author wrote it, with what to write instead.
Links (`<a href>`) load nothing and stay free; a video becomes a card (plugins/video_cards).
"""

import logging
import os
import re
from urllib.parse import urlsplit

from pelican.contents import Static

import pelican_internals
import video_hosts

from .html_urls import absolute_host, read
from .where import SourceLines, place

logger = logging.getLogger(__name__)

# nginx runs server-side includes in chronicle pages (the form token: comments/form_token.py):
# an author's raw `<!--# include virtual="…" -->` would be run too. In code, Markdown
# escapes it (`&lt;!--#`), so only raw HTML holds it as is.
SERVER_INCLUDE = "<!--#"
# Guillemets around a quoted address, with their no-break spaces.
_QUOTED = "«\u00a0{url}\u00a0»"
_CARD = "[![Titre de la vidéo]({{static}}/images/vignette.jpg)]({url})"

# The elements of each kind, and what the author is told: what is wrong, then what to do.
_KINDS = (
    ({"iframe", "frame", "object", "embed"},
     "<{tag}> qui charge " + _QUOTED + " depuis un autre site",
     "écrivez à sa place " + _CARD + ", avec la vignette enregistrée dans content/images/\u00a0: "
     "la vidéo ne sera chargée qu’au clic du lecteur"),
    ({"script"},
     "<script> qui charge " + _QUOTED + " depuis un autre site",
     "retirez-le\u00a0: aucune page du site n’exécute de script venu d’ailleurs"),
    ({"img", "picture", "image", "use", "feimage", "input"},
     "image chargée depuis un autre site, " + _QUOTED,
     "enregistrez-la dans content/images/ et écrivez ![description]({{static}}/images/{name})"),
    ({"video", "audio", "source", "track"},
     "vidéo ou son chargé depuis un autre site, " + _QUOTED,
     "mettez un lien à la place, sur une vignette enregistrée dans content/images/\u00a0: " + _CARD),
    ({"link"},
     "<link> qui charge " + _QUOTED + " depuis un autre site",
     "retirez-le\u00a0: les styles et les polices du site sont ceux du thème"),
    ({"style"},
     "style qui charge " + _QUOTED + " depuis un autre site",
     "retirez-le\u00a0: une image s’enregistre dans content/images/ et s’écrit ![description]({{static}}/images/{name})"),
    ({"form"},
     "formulaire qui envoie ce qu’on y écrit à un autre site, " + _QUOTED,
     "retirez-le et mettez un lien vers ce formulaire\u00a0: [Répondre au questionnaire]({url})"),
    ({"base"},
     "<base> qui fait charger chaque adresse relative depuis " + _QUOTED,
     "retirez-le"),
)
_OTHER = ("<{tag} {attribute}> qui charge " + _QUOTED + " depuis un autre site", "retirez cet attribut")


# Links as Markdown writes them: they fetch nothing, and most addresses of a chronicle are theirs.
_PLAIN_LINK = re.compile(r'<a href="[^"<>]*"(?: title="[^"<>]*")?>')
# "/" or "\\" written as a character reference, which the parser reads as the character.
_SLASH_REFERENCE = re.compile(r"&(?:#0*(?:47|92)|#x0*(?:2f|5c)|sol|bsol)", re.IGNORECASE)


def _may_leave(text):
    """Whether an HTML fragment may hold an address of another host elsewhere than in a plain link."""
    text = _PLAIN_LINK.sub("", text)
    return "//" in text or "\\" in text or _SLASH_REFERENCE.search(text) is not None


def foreign_fetches(text, own_host):
    """The fetches of an HTML fragment that reach a host other than `own_host` (None: any host)."""
    # Parsing every body cost 4 % of a 1,000-chronicle build; most hold no address to
    # another host but in their plain links, and need no parsing. (An address of another
    # host has two slashes, or backslashes: see html_urls.absolute_host.)
    if not _may_leave(text):
        return []
    fetched, _links = read(text)
    return [fetch for fetch in fetched if absolute_host(fetch.url) not in (None, own_host)]


def message(fetch, hosts):
    """What is wrong and what to do, for one refused fetch."""
    kind = fetch.tag if fetch.attribute != "style" else "style"
    if kind == "source" and fetch.attribute == "srcset":  # <picture>'s, not a video's
        kind = "img"
    wrong, todo = next(((wrong, todo) for tags, wrong, todo in _KINDS if kind in tags), _OTHER)
    url = re.sub(r"[\t\n\r]", "", fetch.url).strip()  # as a browser reads it, and on one line
    video = video_hosts.watch_address(url, hosts) or url
    return (wrong.format(tag=fetch.tag, attribute=fetch.attribute, url=url)
            + "\u202f; " + todo.format(url=video, name=_file_name(url)))


def _file_name(url):
    """The name an image could keep once stored on the site: the last part of its address."""
    name = os.path.basename(urlsplit(url).path).lower()
    return name if "." in name.strip(".") else "nom-du-fichier.jpg"


def check_third_party(document):
    """A document's body and formatted metadata fetch nothing from another host.

    Run as each document is made (`content_object_init`), so that the live preview, which
    renders an edited chronicle alone, refuses it too rather than showing the player.
    """
    if isinstance(document, Static) or not hasattr(document, "settings"):
        return
    settings = document.settings
    own_host = urlsplit(settings.get("SITEURL") or "").hostname
    texts = [pelican_internals.body(document)]
    texts += [document.metadata.get(field) for field in settings.get("FORMATTED_FIELDS", ())]
    refused = [fetch for text in texts if isinstance(text, str) for fetch in foreign_fetches(text, own_host)]
    includes = any(isinstance(text, str) and SERVER_INCLUDE in text for text in texts)
    if not refused and not includes:
        return
    lines = SourceLines(document.source_path)
    if includes:
        logger.error("%s : instruction pour le serveur « %s » refusée (nginx l’exécuterait en "
                     "servant la chronique) ; retirez-la, ou écrivez-la dans un bloc de code",
                     place(document.source_path, settings, lines.line(SERVER_INCLUDE)), SERVER_INCLUDE + " … -->")
    hosts = video_hosts.configured(settings)
    for fetch in refused:
        line = lines.line(fetch.url.strip(), absolute_host(fetch.url) or "")
        logger.error("%s\u00a0: %s", place(document.source_path, settings, line), message(fetch, hosts))
