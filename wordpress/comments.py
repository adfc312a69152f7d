"""Brings an imported post's WordPress comments into Isso's database, under the post's new address, once.

Isso's own importer keys threads by the old address and takes pingbacks, trackbacks and
trashed comments as comments; here a thread is the chronicle's path (the one the baked
comments plugin and the form use), only real comments come over (approved ones
published, pending ones waiting for a moderator), and each one left out gets its reason.
The text is stored as Isso stores a new comment, Markdown that Isso's sanitizer renders
at read time: WordPress's HTML goes through markdownify, so that a tag becomes either
Markdown or inert text (scripts, styles and frames dropped with their content first). Our table `zohe_wordpress_comments` maps each WordPress comment
to its Isso number: a second run adds nothing, and a comment a moderator deleted since
is not brought back.
"""

from html import escape
import re
import sqlite3
import time
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from markdownify import markdownify

import comments_database

# What WordPress approved and what it held for moderation (Isso's modes: modes() below).
APPROVALS = ("1", "0")
REFUSED = {"spam": "indésirable (spam) dans WordPress", "trash": "à la corbeille dans WordPress"}
KINDS = {"pingback": "rétrolien (pingback)", "trackback": "rétrolien (trackback)"}
# Isso keeps a (masked) address per comment for its votes; WordPress's is not carried over.
NO_ADDRESS = "0.0.0.0"
UNSHOWN = ("script", "style", "iframe", "object", "embed", "form", "template")
TABLE = ("CREATE TABLE IF NOT EXISTS zohe_wordpress_comments ("
         " wordpress_id TEXT PRIMARY KEY, isso_id INTEGER NOT NULL, created REAL NOT NULL)")


def thread_uri(slug):
    """The new address of a chronicle's thread, named by baked_comments.thread_uri from the URL Pelican will give it."""
    from baked_comments.baked_comments import thread_uri as named

    import pelicanconf

    return named(SimpleNamespace(url=pelicanconf.ARTICLE_URL.format(slug=slug)))


class CommentsDatabaseError(Exception):
    """Isso's database cannot be opened or created: nothing is imported, the import says why in French."""


def open_database(path):
    """A connection to Isso's database at `path`, created with Isso's schema (isso.db.SQLite3) and ours when new."""
    from comments import settings, store

    from isso.db import SQLite3

    conf = settings.read_isso_file(comments_database.REPO_ROOT / "comments" / "isso.cfg")
    conf.set("general", "dbpath", str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        SQLite3(str(path), conf)
        store.prepare(path)
        connection = sqlite3.connect(path, timeout=store.BUSY_TIMEOUT_MS / 1000, factory=_Connection)
        connection.execute(TABLE)
    except (OSError, sqlite3.Error) as error:
        raise CommentsDatabaseError(
            f"base des commentaires {path} ({comments_database.VARIABLE})\u00a0: impossible de l’ouvrir ni de la créer"
            f"\u202f; vérifiez ce chemin et ses droits d’écriture") from error
    return connection


class _Connection(sqlite3.Connection):
    """A connection to Isso's database that also holds the comment server's write lock while it writes.

    Isso's new comment inserts, then reads back the thread's newest row (isso/db/comments.py,
    Comments.add) under that lock (comments.locks, taken by comments.wsgi): a comment the
    import added in between was answered to the reader as their own, with its edit cookie.
    """

    def __init__(self, path, *args, **kwargs):
        from comments import locks

        super().__init__(path, *args, **kwargs)
        self.writes = locks.beside(path, "writes")


def modes():
    """Isso's mode for each WordPress approval.

    Isso and the comment server's modules are imported only when comments are written:
    importing them sets up Isso's logging, which every `invoke` would then print.
    """
    from comments import store

    return {"1": store.PUBLISHED, "0": store.PENDING}


def kept(item):
    """How many of an item's comments come over, published or waiting for a moderator (spam, trash and pingbacks aside)."""
    return sum(1 for c in item.comments if c.approved in APPROVALS and c.type not in KINDS)


def left_out_notes(item, reason):
    """One line per comment of an item that is not imported: its comments are not either."""
    return [f"commentaire {c.id}{_by(c)}\u00a0: non importé, {reason}" for c in item.comments]


def import_comments(connection, item, uri, zone):
    """Add `item`'s comments to the thread `uri` (made if needed, titled by the post), in one transaction; one report line each, in the export's order.

    `zone` is the site's TIMEZONE (pelicanconf), the blog's clock for a comment WordPress
    kept only a local date of. A reply hangs under its parent only when the parent is in
    this same thread: Isso shows a thread's replies under their parents, and a parent in
    another thread would hide the reply from every page.
    """
    outcomes, wanted = {}, []
    for comment in item.comments:
        reason = KINDS.get(comment.type) or REFUSED.get(comment.approved)
        if reason is None and comment.approved not in APPROVALS:
            reason = f"statut WordPress «\u00a0{comment.approved}\u00a0» inconnu"
        if reason:
            outcomes[comment.id] = f"non importé, {reason}"
        else:
            wanted.append(comment)
    thread = {comment.id for comment in item.comments}
    dates = {comment.id: _created(comment, zone) for comment in wanted}
    # One item's comments at a time, so that a live server's readers wait a moment, not the whole import.
    with connection.writes, connection:
        for comment in _parents_first(wanted, dates):
            outcomes[comment.id] = _add(connection, comment, uri, item.title, dates[comment.id], thread)
    return [f"commentaire {c.id}{_by(c)}\u00a0: {outcomes[c.id]}" for c in item.comments]


def _created(comment, zone):
    """The comment's time: WordPress's GMT date, else its local one on the blog's clock, else None (no date at all)."""
    if comment.date_gmt:
        return comment.date_gmt.timestamp()
    if comment.date_local:
        return comment.date_local.replace(tzinfo=ZoneInfo(zone)).timestamp()
    return None


def _parents_first(wanted, dates):
    """The comments by date, each one's parents (in `wanted`) before it, whatever their dates say (clocks, edits)."""
    by_id = {comment.id: comment for comment in wanted}
    ordered, done = [], set()
    for comment in sorted(wanted, key=lambda c: (dates[c.id] is None, dates[c.id] or 0, _number(c.id))):
        chain, seen = [], set()
        while comment is not None and comment.id not in done and comment.id not in seen:  # a loop ends the chain
            chain.append(comment)
            seen.add(comment.id)
            comment = by_id.get(comment.parent)
        for ancestor in reversed(chain):
            done.add(ancestor.id)
            ordered.append(ancestor)
    return ordered


def _add(connection, comment, uri, title, created, thread):
    """One comment, written as Isso's Comments.add writes it (isso/db/comments.py), on our own connection:
    Isso's opens and commits a connection per statement, a minute for 10,000 comments.
    `thread`: the WordPress ids of its post's comments, where its parent must be."""
    from isso.utils import Bloomfilter

    row = connection.execute("SELECT isso_id, created FROM zohe_wordpress_comments WHERE wordpress_id = ?",
                             (comment.id,)).fetchone()
    if row:
        still = connection.execute("SELECT 1 FROM comments WHERE id = ? AND created = ?", row).fetchone()
        return (f"déjà importé (n° {row[0]} dans {uri})" if still
                else "importé lors d’un import précédent, supprimé depuis par la modération\u202f; pas réimporté")
    parent, elsewhere = None, comment.parent not in ("", "0") and comment.parent not in thread
    if comment.parent not in ("", "0") and not elsewhere:
        # Isso's rule: a reply to a reply hangs under the first comment of its branch.
        parent = connection.execute(
            "SELECT coalesce(c.parent, c.id) FROM zohe_wordpress_comments AS w JOIN comments AS c ON c.id = w.isso_id"
            " AND c.created = w.created WHERE w.wordpress_id = ?", (comment.parent,)).fetchone()
        parent = parent and parent[0]
    if not connection.execute("SELECT 1 FROM threads WHERE uri = ?", (uri,)).fetchone():
        connection.execute("INSERT INTO threads (uri, title) VALUES (?, ?)", (uri, title))
    undated = created is None
    created = time.time() if undated else created
    number = connection.execute(
        "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text, author, email, website,"
        " voters, notification) SELECT id, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 0 FROM threads WHERE uri = ?",
        (parent, created, modes()[comment.approved], NO_ADDRESS, to_text(comment.content),
         # As Isso's API stores them (isso/views/comments.py): escaped for HTML.
         _escaped(comment.author), _escaped(comment.email), _escaped(comment.url),
         memoryview(Bloomfilter(iterable=[NO_ADDRESS]).array), uri)).lastrowid
    connection.execute("INSERT INTO zohe_wordpress_comments (wordpress_id, isso_id, created) VALUES (?, ?, ?)",
                       (comment.id, number, created))
    state = "publié" if comment.approved == "1" else "en attente de modération"
    orphan = ""
    if elsewhere:
        orphan = f", il répond au commentaire {comment.parent} d’un autre article\u00a0: il vient en premier niveau"
    elif comment.parent not in ("", "0") and parent is None:
        orphan = ", le commentaire auquel il répond n’étant pas importé il vient en premier niveau"
    if undated:
        orphan += ", sans date dans WordPress\u00a0: daté du jour de l’import"
    return f"importé dans {uri} (n° {number}, {state}{orphan})"


def to_text(content):
    """WordPress's comment HTML as the Markdown Isso expects: paragraphs and line breaks as WordPress showed them."""
    html = "<p>" + re.sub(r"\n\s*\n", "</p><p>", content.strip()) + "</p>"
    soup = BeautifulSoup(html.replace("\n", "<br>"), "html.parser")
    # What WordPress itself would not have shown as text goes, content and all; a link
    # that is not http(s) keeps its words only (Isso's sanitizer would defuse it anyway).
    for element in soup.find_all(UNSHOWN):
        element.decompose()
    for link in soup.find_all("a"):
        if urlsplit(link.get("href", "")).scheme not in ("http", "https", "mailto"):
            link.unwrap()
    return markdownify(str(soup), heading_style="ATX", bullets="-", escape_underscores=False,
                       strip=["img"]).strip()


def _escaped(value):
    return escape(value, quote=False) if value else None


def _by(comment):
    return f" de {comment.author}" if comment.author else ""


def _number(value):
    return int(value) if value.isdigit() else 0
