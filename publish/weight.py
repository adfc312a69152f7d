"""Page weight as a reader's browser pays it: what each page loads, compressed as it is served.

The site's budgets (asserted in tests, reported by `invoke bench`) are
measured here: the critical path is the HTML plus every render-blocking
stylesheet; the total adds everything else the page loads.
"""

from dataclasses import dataclass
import gzip
from html.parser import HTMLParser
import os
import re
from urllib.parse import urlsplit

import brotli

from publish import plugin_module

# The link check's own resolution of a URL to a file of the built site.
output_file = plugin_module("zohe_checks").output_file

CRITICAL_BUDGET = 14 * 1024
TOTAL_BUDGET = 50 * 1024

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Resources(HTMLParser):
    """The URLs a page makes the browser fetch, and which of them block rendering."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocking = []
        self.other = []

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


def _add(sizes, data):
    for key, value in compressed(data).items():
        sizes[key] += value


def page_weight(output, page, siteurl="", exclude=()):
    """Weigh `page` (a path inside `output`) and everything it loads from the site itself.

    URLs starting with one of `exclude` (the comment server's script) are left out.
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
    return PageWeight(os.path.relpath(page, output), critical, total, files)


_REQUEST_IN_HTML = re.compile(
    r"""<(?:script|img|source|iframe|video|audio|embed)\b[^>]*?\bsrc(?:set)?\s*=\s*["']([^"']+)["']"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']([^"']+)["'][^>]*>""",
    re.IGNORECASE,
)


def foreign_requests(output, allowed_origins):
    """Yield (file, url) for every request a built file would make to another origin.

    Scans `src`/`srcset` of loading elements, `<link href>` (stylesheets, fonts,
    icons, preloads) and CSS `url()`/`@import`. Plain `<a href>` navigation is
    not a request and is left alone.
    """
    allowed = tuple(origin.rstrip("/") for origin in allowed_origins if origin)
    for folder, _dirs, names in os.walk(output):
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".html"):
                text = open(path, encoding="utf-8").read()
                urls = []
                for src, href in _REQUEST_IN_HTML.findall(text):
                    if src:
                        urls.extend(part.split()[0] for part in src.split(",") if part.strip())
                    else:
                        urls.append(href)
                for style in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S | re.I):
                    urls.extend(css_references(style))
            elif name.endswith(".css"):
                urls = css_references(open(path, encoding="utf-8").read())
            else:
                continue
            for url in urls:
                parts = urlsplit(url)
                if not (parts.scheme in ("http", "https") or url.startswith("//")):
                    continue
                origin = f"{parts.scheme or 'https'}://{parts.netloc}"
                if not any(url.startswith(a) or origin == a for a in allowed):
                    yield os.path.relpath(path, output), url
