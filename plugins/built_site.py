"""The documents of a build and the files of its output: which documents the generators hold, which URLs a page loads, which file a URL reaches, which pages may be indexed.

The link check (zohe_checks), the page weight and the live preview all read a
build this way, so each rule has one definition here, imported plainly
(publish/__init__.py puts plugins/ on sys.path).
"""

import html
import os
import re
from urllib.parse import unquote, urlsplit

# The generators' lists of documents, hidden and draft ones included.
DOCUMENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def documents(generators):
    """Every document the generators will write, drafts and hidden ones included."""
    for generator in generators:
        for attr in DOCUMENT_LISTS:
            yield from getattr(generator, attr, ())



# Tags and their URL attributes, found with regular expressions rather than an HTML parser:
# html.parser cost a fifth of a 1,000-chronicle build. Pelican and the theme write well-formed
# tags, and text never holds a raw "<" (Markdown escapes it), so every match is a real tag.
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_URL_ATTRIBUTE = re.compile(
    r"""\s(href|src|poster|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)
# Script and style bodies are not markup: a "<" in them opens no tag.
_RAW_TEXT = re.compile(r"(<(script|style)\b[^>]*>).*?</\2\s*>", re.IGNORECASE | re.DOTALL)


def page_urls(text):
    """The URLs an HTML page links to or loads (href, src, poster, each srcset candidate)."""
    urls = []
    text = _RAW_TEXT.sub(r"\1", text)
    for tag in _TAG.findall(text):
        for name, double, single, bare in _URL_ATTRIBUTE.findall(tag):
            value = html.unescape(double or single or bare)
            if name.lower() == "srcset":
                urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            else:
                urls.append(value)
    return urls


# A page's own robots meta (partials/meta.html writes it, search.html too): the one place that
# says whether search engines may index the page, and so whether the sitemap lists it.
_ROBOTS_META = re.compile(r"""<meta\s[^>]*\bname\s*=\s*["']?robots(?=["'\s/>])[^>]*>""", re.IGNORECASE)
_CONTENT = re.compile(r"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def indexable(path):
    """Whether search engines may index the output file `path`: an HTML page whose robots meta allows it.

    robots.txt, a feed or an image is no page to list; a page saying `noindex` (or `none`)
    in its <head> is left out of the sitemap by that alone, whatever its template.
    """
    if not path.endswith(".html"):
        return False
    head = ""
    with open(path, encoding="utf-8", errors="replace") as handle:
        # The head alone, read by pieces: it is a few kilobytes of a page of fifty.
        while "</head>" not in head and (piece := handle.read(8192)):
            head += piece
    head = head.partition("</head>")[0]
    for tag in _ROBOTS_META.findall(head):
        found = _CONTENT.search(tag)
        directives = {word.strip().lower() for word in "".join(found.groups("")).split(",")} if found else set()
        if directives & {"noindex", "none"}:
            return False
    return True


def output_file(url, page, output, siteurl="", is_folder=os.path.isdir):
    """The output file a URL found in `page` points at, or None when it leaves the site."""
    if siteurl and url.startswith(siteurl):
        url = url[len(siteurl) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        target = os.path.join(output, path.lstrip("/"))
    else:
        target = os.path.join(os.path.dirname(page), path)
    target = os.path.normpath(target)
    if path.endswith("/") or is_folder(target):
        target = os.path.join(target, "index.html")
    return target


def _tree(output):
    files, folders = set(), set()
    for folder, _dirs, names in os.walk(output):
        folders.add(folder)
        files.update(os.path.join(folder, name) for name in names)
    return files, folders


def broken_links(output, siteurl="", suffixes=(".html",), elsewhere=(), before_resolving=None):
    """Yield (page, url) for each link or asset in `output` that resolves to no file.

    Links to other origins are not followed; URLs starting with one of
    `elsewhere` are answered by another server (the comment server) and skipped.
    `before_resolving` is called once the pages are read and before any link is
    resolved: files still being written (the search bundle) are waited for there.
    """
    output = os.path.abspath(output)
    files, _folders = _tree(output)
    links = []
    for page in sorted(path for path in files if path.endswith(tuple(suffixes))):
        with open(page, encoding="utf-8") as handle:
            links.append((page, page_urls(handle.read())))
    if before_resolving is not None:
        before_resolving()
    # One walk of the tree instead of two system calls a link: pages carry a hundred each.
    files, folders = _tree(output)
    # A URL that does not depend on the page's folder resolves once for the whole site.
    absolute = ("/", siteurl) if siteurl else ("/",)
    resolved = {}
    for page, urls in links:
        for url in urls:
            if url.startswith(tuple(elsewhere)):
                continue
            key = url if url.startswith(absolute) else (page.rpartition(os.sep)[0], url)
            if key not in resolved:
                target = output_file(url, page, output, siteurl, is_folder=folders.__contains__)
                resolved[key] = target is None or target in files
            if not resolved[key]:
                yield page, url
