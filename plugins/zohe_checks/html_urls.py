"""The addresses a document's HTML makes a browser fetch on its own, and those it only links to.

Read with the standard library's HTML parser, not regular expressions: an author's raw
HTML is not the theme's well-formed markup, and an `<iframe>` shown as code (escaped) or
left in a comment fetches nothing and must not be taken for one. The checks of
third_party.py and old_site_links.py read a chronicle's or page's body this way.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
import re
from urllib.parse import urlsplit

# Attribute -> the tags on which the browser fetches it without a click (None: on any tag).
FETCHED = {
    "src": None,  # img, iframe, frame, script, embed, input, video, audio, source, track
    "srcset": None,
    "imagesrcset": None,
    "poster": None,
    "background": None,
    "ping": None,  # <a ping>: sent to each address at the click, the link's own host or not
    "formaction": None,
    "data": {"object"},
    "action": {"form"},
    "href": {"base", "link", "image", "use", "feimage", "script"},
    "xlink:href": {"image", "use", "feimage", "script"},
}
# Attributes holding several addresses, and how they are separated.
_LISTS = {"srcset": ",", "imagesrcset": ",", "ping": None}
# Addresses in CSS: url(…) and the quoted strings of @import and image-set().
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|"([^"]*)"|'([^']*)'""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class Fetch:
    tag: str  # the element that fetches: "iframe", "img", "style" for CSS…
    attribute: str  # "src", "srcset", "style", "" for a <style> element's text…
    url: str


def css_urls(css):
    """The addresses a piece of CSS names (url(), @import, image-set())."""
    return [next(filter(None, groups)) for groups in _CSS_URL.findall(_CSS_COMMENT.sub("", css)) if any(groups)]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched, self.links = [], []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.fetched.extend(Fetch(tag, name, url) for url in css_urls(value))
            elif name == "srcdoc":  # A page of its own, written in the attribute.
                self.fetched.extend(read(value)[0])
            elif name == "href" and tag in ("a", "area"):
                self.links.append(value)
            elif name in FETCHED and (FETCHED[name] is None or tag in FETCHED[name]):
                self.fetched.extend(Fetch(tag, name, url) for url in _split(name, value))

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.fetched.extend(Fetch("style", "", url) for url in css_urls(data))


def _split(name, value):
    if name not in _LISTS:
        return [value]
    parts = value.split(_LISTS[name]) if _LISTS[name] else value.split()
    # A srcset candidate is "address descriptor".
    return [part.split()[0] for part in parts if part.strip()]


def read(html):
    """([Fetch, …], [address of each link, …]) of an HTML fragment, in document order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.fetched, reader.links


def absolute_host(url):
    """The host of an absolute http(s) or protocol-relative address, as a browser reads it; else None.

    Browsers drop tabs and line breaks in an address, read "\\" as "/" and any number of
    slashes after "https:" as two: each of those still reaches the other host. Only
    addresses written with two slashes count, as authors write them ("https:x" stays on
    the page's host); the Content-Security-Policy remains the last resort for the rest.
    """
    url = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/")
    found = re.match(r"(https?:)?//+", url, re.IGNORECASE)
    if not found:
        return None
    try:
        host = urlsplit("https://" + url[found.end():]).hostname
    except ValueError:
        return None
    return host.lower() if host else None
