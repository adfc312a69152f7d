"""Reads WordPress's export file (WXR: RSS 2.0 with WordPress's namespaces) into plain records.

Every item of the export becomes an `Item`, whatever its type, so that the report can
account for each one; comments, attachments and each item's old link are kept for the
parts of the import that use them (comments into Isso, media, the old addresses'
redirects). Parsed with lxml, which the build already installs, with entities left
unresolved, no DTD and no network: an export is a file from elsewhere, and an XML file
can otherwise make the parser read local files, fetch addresses or expand a few bytes
into gigabytes.

A real export is not always valid XML, and is read anyway rather than refused whole:
WordPress copies a post's control characters (a vertical tab pasted from a word processor)
as they are, though XML 1.0 forbids them, so when lxml refuses a file they are dropped,
counted per item, and the file read again; a post over 10 MB (images pasted into it as
base64) needs lxml's `huge_tree`, which lifts libxml2's limits on a text's size and a
tree's depth, and also its guard against entities that expand into gigabytes: so it is
turned on only for a file with no DOCTYPE (WordPress never writes one), where no entity
can be declared. Bytes that are not the declared encoding (a download cut short, an old
database's Latin-1) are refused, naming where.
"""

import bisect
import codecs
from dataclasses import dataclass, field
import html
from datetime import datetime, timezone
from pathlib import Path
import re

from lxml import etree

NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/{version}/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/{version}/",
}
# The WXR versions WordPress has written (1.2 since WordPress 3.1); each only added fields.
VERSIONS = ("1.2", "1.1", "1.0")
# WordPress writes this for a date it never set (a draft's GMT date).
NO_DATE = "0000-00-00 00:00:00"
# The characters XML 1.0 forbids (its Char production) that a decoded text can hold.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
AGAIN = "exportez de nouveau depuis WordPress (Outils › Exporter)"
# A prolog with no DOCTYPE, so no entity: BOM, XML declaration, comments (WordPress's own), then the root,
# all within PROLOG bytes. Atomic groups: each comment ends at its first "-->", tried once.
PROLOG = 65536
_NO_DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?>\s+|<!--.*?-->|<\?.*?\?>)*+<rss[\s>]", re.DOTALL)


class ExportError(Exception):
    """The file is not an export the import can read; the message is for the collective, in French."""


@dataclass
class Comment:
    id: str
    author: str
    email: str
    url: str
    date_gmt: datetime | None
    date_local: datetime | None  # the blog's wall-clock time, for a comment WordPress kept no GMT date of
    content: str
    approved: str  # "1", "0" (waiting), "spam", "trash"
    type: str  # "comment" (or ""), "pingback", "trackback"
    parent: str


@dataclass
class Item:
    id: str
    title: str  # as readers saw it: WordPress escapes its titles in the export (L&#8217;atelier)
    link: str
    type: str  # post, page, attachment, nav_menu_item, revision, wp_block…
    status: str  # publish, draft, pending, private, future, trash, inherit
    slug: str
    author: str  # the author's display name
    date_gmt: datetime | None
    date_local: datetime | None  # the site's wall-clock time, when WordPress kept no GMT date
    password: str
    content: str
    excerpt: str
    parent: str
    attachment_url: str
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    # WordPress's own slugs (nicename, login): its /category/…, /tag/…, /author/… addresses.
    category_slugs: list = field(default_factory=list)
    tag_slugs: list = field(default_factory=list)
    author_login: str = ""
    comment_status: str = "open"  # "closed": WordPress took no new comment (wordpress.documents.discussion)
    postmeta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


@dataclass
class Export:
    site_url: str  # wp:base_site_url
    blog_url: str  # wp:base_blog_url, where the posts' links start
    items: list
    dropped: dict = field(default_factory=dict)  # item id ("" outside any item) → control characters dropped


def read_export(path):
    """The export at `path` as an `Export`; ExportError when it is not one."""
    name = Path(path).name
    try:
        with open(path, "rb") as export:
            head = export.read(PROLOG)
    except OSError:
        why = "fichier introuvable" if not Path(path).is_file() else "lecture refusée"
        raise ExportError(f"{name}\u00a0: {why}\u202f; vérifiez le chemin donné") from None
    options = dict(resolve_entities=False, no_network=True, load_dtd=False, strip_cdata=True,
                   huge_tree=_NO_DOCTYPE.match(head) is not None)
    dropped = {}
    try:  # as lxml reads it, for most exports: no copy of the file in memory
        root = etree.parse(str(path), etree.XMLParser(**options)).getroot()
    except (etree.XMLSyntaxError, OSError):  # lxml says OSError for bytes its encoding cannot decode
        try:
            data = Path(path).read_bytes()
        except OSError:
            raise ExportError(f"{name}\u00a0: lecture refusée\u202f; vérifiez le chemin donné") from None
        data, dropped = _decoded(data, name)
        try:
            root = etree.fromstring(data, etree.XMLParser(**options, encoding="utf-8"))
        except etree.XMLSyntaxError as error:
            line = f", ligne {error.lineno}" if error.lineno else ""
            raise ExportError(f"{name}{line}\u00a0: ce n’est pas un fichier XML complet et valide\u202f; "
                              f"{AGAIN}") from None
    channel = root.find("channel")
    version = next((v for v in VERSIONS if NAMESPACES["wp"].format(version=v) in root.nsmap.values()), None)
    if root.tag != "rss" or channel is None or version is None:
        raise ExportError(f"{name}\u00a0: ce n’est pas un export WordPress (WXR)\u202f; {AGAIN}")
    ns = {prefix: uri.format(version=version) for prefix, uri in NAMESPACES.items()}
    text = _reader(ns)
    authors = {text(a, "wp:author_login"): text(a, "wp:author_display_name") or text(a, "wp:author_login")
               for a in channel.findall("wp:author", ns)}
    items = [_item(element, text, ns, authors) for element in channel.findall("item")]
    return Export(site_url=text(channel, "wp:base_site_url"), blog_url=text(channel, "wp:base_blog_url"),
                  items=items, dropped=dropped)


def _decoded(data, name):
    """The file as UTF-8 without XML's forbidden characters, and how many went per item id; ExportError for bytes
    that are not of the declared encoding, naming where."""
    declared = _DECLARED.match(data.removeprefix(codecs.BOM_UTF8))
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            pass
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ExportError(f"{name}, ligne {line}\u00a0: octet {error.start} illisible, ce n’est pas du texte "
                          f"{declared.group(1).decode('ascii') if declared else 'UTF-8'} (fichier coupé en route, ou "
                          f"base WordPress d’un autre encodage)\u202f; {AGAIN}") from None
    found = [match.start() for match in FORBIDDEN.finditer(text)]
    if not found:
        return text.encode("utf-8"), {}
    starts = [match.start() for match in re.finditer(r"<item[\s>]", text)]
    dropped = {}
    for position in found:
        index = bisect.bisect_right(starts, position) - 1
        number = ""
        if index >= 0:
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            match = re.search(r"<wp:post_id>\s*(\d+)", text[starts[index]:end])
            number = match.group(1) if match else ""
        dropped[number] = dropped.get(number, 0) + 1
    return FORBIDDEN.sub("", text).encode("utf-8"), dropped


def _reader(ns):
    def text(element, path):
        found = element.find(path, ns)
        return (found.text or "").strip() if found is not None else ""
    return text


def _item(element, text, ns, authors):
    login = text(element, "dc:creator")
    categories, tags, category_slugs, tag_slugs = [], [], [], []
    for category in element.findall("category"):
        name = (category.text or "").strip()
        if category.get("domain") == "category":
            categories.append(name)
            category_slugs.append(category.get("nicename", ""))
        elif category.get("domain") == "post_tag":
            tags.append(name)
            tag_slugs.append(category.get("nicename", ""))
    postmeta = {text(meta, "wp:meta_key"): text(meta, "wp:meta_value") for meta in element.findall("wp:postmeta", ns)}
    comments = [Comment(
        id=text(c, "wp:comment_id"), author=text(c, "wp:comment_author"), email=text(c, "wp:comment_author_email"),
        url=text(c, "wp:comment_author_url"), date_gmt=_date(text(c, "wp:comment_date_gmt"), utc=True),
        date_local=_date(text(c, "wp:comment_date"), utc=False),
        content=text(c, "wp:comment_content"), approved=text(c, "wp:comment_approved"),
        type=text(c, "wp:comment_type") or "comment", parent=text(c, "wp:comment_parent"),
    ) for c in element.findall("wp:comment", ns)]
    return Item(
        id=text(element, "wp:post_id"), title=html.unescape(text(element, "title")), link=text(element, "link"),
        type=text(element, "wp:post_type"), status=text(element, "wp:status"), slug=text(element, "wp:post_name"),
        author=authors.get(login, login), date_gmt=_date(text(element, "wp:post_date_gmt"), utc=True),
        date_local=_date(text(element, "wp:post_date"), utc=False), password=text(element, "wp:post_password"),
        content=(element.findtext("content:encoded", "", ns)), excerpt=text(element, "excerpt:encoded"),
        parent=text(element, "wp:post_parent"), attachment_url=text(element, "wp:attachment_url"),
        categories=categories, tags=tags, category_slugs=category_slugs, tag_slugs=tag_slugs, author_login=login,
        comment_status=text(element, "wp:comment_status") or "open",
        postmeta=postmeta, comments=comments,
    )


def _date(value, utc):
    if not value or value == NO_DATE:
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if utc else parsed
