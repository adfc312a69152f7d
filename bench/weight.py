"""Page weight as a reader's browser pays it: what each page loads, compressed as it is served.

The site's budgets (asserted in tests, reported by `invoke bench`) are
measured here: the critical path is the HTML plus every render-blocking
stylesheet; the total adds everything else the page loads; the scripts are
every script the page loads, ours and any other together (a chronicle's
discussion script, replacing Isso's 18 KB embed).
"""

from dataclasses import dataclass
import gzip
import html
from html.parser import HTMLParser
import os
import re
from urllib.parse import urlsplit

import brotli

# The link check's own resolution of a URL to a file of the built site, and its reading of
# a page's URL attributes (publish/__init__.py puts plugins/ on sys.path).
from built_site import output_file, page_urls

CRITICAL_BUDGET = 14 * 1024
TOTAL_BUDGET = 50 * 1024
# A chronicle's scripts together (the search page carries Pagefind's, which this does not bound).
SCRIPTS_BUDGET = 10 * 1024

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Resources(HTMLParser):
    """The URLs a page makes the browser fetch, and which of them block rendering."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocking = []
        self.other = []
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            media = (attrs.get("media") or "all").lower()
            target = self.blocking if media in ("all", "screen") else self.other
            target.append(attrs["href"])
        elif tag == "link" and ({"icon", "preload", "modulepreload"} & set(rel)) and attrs.get("href"):
            self.other.append(attrs["href"])
        elif tag in ("script", "img", "source", "video", "audio", "iframe") and attrs.get("src"):
            self.other.append(attrs["src"])
            if tag == "script":
                self.scripts.append(attrs["src"])
        if attrs.get("srcset"):
            # A browser picks one candidate: count the heaviest, the worst case.
            candidates = [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
            self.other.append(candidates[-1])

    handle_startendtag = handle_starttag


def css_references(text):
    """URLs a stylesheet loads (url() and @import)."""
    return [first or second for first, second in _CSS_URL.findall(text)]


def compressed(data):
    return {"raw": len(data), "gzip": len(gzip.compress(data, 9)), "brotli": len(brotli.compress(data, quality=11))}


@dataclass
class PageWeight:
    page: str
    critical: dict
    total: dict
    files: list
    # Every script the page loads, `exclude` or not; those not on the site in `foreign_scripts`.
    scripts: dict
    foreign_scripts: list


def _add(sizes, data):
    for key, value in compressed(data).items():
        sizes[key] += value


def page_weight(output, page, siteurl="", exclude=()):
    """Weigh `page` (a path inside `output`) and everything it loads from the site itself.

    URLs starting with one of `exclude` (the comment server) are left out of the total,
    not of the scripts: a script the site cannot weigh is listed in `foreign_scripts`.
    """
    output = os.path.abspath(output)
    page = os.path.join(output, page)
    parser = _Resources()
    html = open(page, "rb").read()
    parser.feed(html.decode("utf-8"))
    critical = {"raw": 0, "gzip": 0, "brotli": 0}
    _add(critical, html)
    total = dict(critical)
    seen = {page}
    files = [os.path.relpath(page, output)]

    def visit(url, base, sizes_list):
        if url.startswith(tuple(exclude)):
            return
        path = output_file(url, base, output, siteurl)
        if path is None or path in seen or not os.path.isfile(path):
            return
        seen.add(path)
        files.append(os.path.relpath(path, output))
        data = open(path, "rb").read()
        for sizes in sizes_list:
            _add(sizes, data)
        if path.endswith(".css"):
            for ref in css_references(data.decode("utf-8")):
                visit(ref, path, sizes_list)

    for url in parser.blocking:
        visit(url, page, (critical, total))
    for url in parser.other:
        visit(url, page, (total,))
    scripts, foreign_scripts = {"raw": 0, "gzip": 0, "brotli": 0}, []
    for url in parser.scripts:
        path = output_file(url, page, output, siteurl)
        if path is None or not os.path.isfile(path):
            foreign_scripts.append(url)
        else:
            _add(scripts, open(path, "rb").read())
    return PageWeight(os.path.relpath(page, output), critical, total, files, scripts, foreign_scripts)


# Tags whose URL attributes are followed only when the reader clicks: navigation, not requests.
_NAVIGATION = frozenset({"a", "area"})
_TAG = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*>")
# Script and style bodies are not markup; style bodies are read as CSS below.
_RAW_TEXT = re.compile(r"<(script|style)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def html_requests(text):
    """URLs an HTML page makes the browser fetch without a click.

    Every URL attribute of every tag but links (`href`, `src`, `poster`, each `srcset`
    candidate, as the link check reads them), CSS `url()`/`@import` in `<style>`
    and in `style=""` attributes.
    """
    urls = []
    for name, body in _RAW_TEXT.findall(text):
        if name.lower() == "style":
            urls.extend(css_references(body))
    for match in _TAG.finditer(_RAW_TEXT.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)], text)):
        tag = match.group(0)
        if match.group(1).lower() not in _NAVIGATION:
            urls.extend(page_urls(tag))
        for double, single in _STYLE_ATTRIBUTE.findall(tag):
            urls.extend(css_references(html.unescape(double or single)))
    return urls


def origin(url, default_scheme="https"):
    """(scheme, host, port) of an absolute or protocol-relative URL, or None for a local one."""
    parts = urlsplit(url)
    if not (parts.scheme in ("http", "https") or (not parts.scheme and url.startswith("//"))):
        return None
    scheme = parts.scheme or default_scheme
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS[scheme]


def foreign_requests(output, allowed_origins):
    """Yield (file, url) for every request a built file would make to another origin.

    Scans HTML pages (see `html_requests`) and stylesheets (`url()`, `@import`).
    A URL is allowed only when its origin is exactly one of `allowed_origins`'
    (scheme, host and port): https://zohe.fr.example.net is not https://zohe.fr.
    Plain `<a href>` navigation is not a request and is left alone.
    """
    allowed = {origin(url) for url in allowed_origins if url}
    for folder, _dirs, names in os.walk(output):
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".html"):
                urls = html_requests(open(path, encoding="utf-8").read())
            elif name.endswith(".css"):
                urls = css_references(open(path, encoding="utf-8").read())
            else:
                continue
            for url in urls:
                found = origin(url)
                if found is not None and found not in allowed:
                    yield os.path.relpath(path, output), url
