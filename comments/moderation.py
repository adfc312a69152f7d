"""Moderation from the command line: list pending comments, approve or delete one, through Isso's own database code.

Comments held as likely spam (comments.spam) wait apart: ``pending`` leaves them out
(``invoke comments.spam`` lists them), while ``approve`` and ``delete`` act on any
comment and teach the spam filter's learned score, as the e-mail links and the admin page do.
"""

import datetime
import html
import time
import unicodedata
from dataclasses import dataclass

from isso.db import SQLite3

import comments_database

from comments import settings, store
from comments.spam import triage
from comments.store import DELETED, PENDING, PUBLISHED


@dataclass
class Pending:
    id: int
    uri: str
    title: str
    author: str
    email: str
    created: datetime.datetime
    text: str


class NoSuchComment(LookupError):
    """No comment has that number."""


def open_db(conf):
    """Isso's database object (its migrations and delete semantics), plus our triggers; MissingDatabase if there is none."""
    path = settings.require_database(settings.dbpath(conf))
    db = SQLite3(str(path), conf)
    store.prepare(path)
    return db


def pending(conf):
    """Comments awaiting moderation, oldest first.

    Only read: a database the moderator may not write (a read-only file, folder or mount)
    is listed too, and nothing is created or migrated.
    """
    path = settings.require_database(settings.dbpath(conf))
    # mode=rw, not ro: see comments_database.read (its -wal and -shm not left behind).
    rows = comments_database.read(
        path,
        "SELECT c.id, t.uri, t.title, c.author, c.email, c.created, c.text"
        " FROM comments AS c JOIN threads AS t ON t.id = c.tid"
        " WHERE c.mode = ? AND c.id NOT IN (SELECT id FROM zohe_held) ORDER BY c.created, c.id",
        (PENDING,),
        mode="rw",
        timeout=store.BUSY_TIMEOUT_MS / 1000,
    )
    return [
        Pending(
            id=row[0],
            uri=row[1],
            title=row[2] or "",
            # Isso stores names escaped for HTML; a terminal wants them as typed.
            author=html.unescape(row[3] or ""),
            email=html.unescape(row[4] or ""),
            created=datetime.datetime.fromtimestamp(row[5]),
            text=row[6],
        )
        for row in rows
    ]


def approve(conf, comment_id, db=None):
    """Publish a pending comment; returns False if it was already published. ``db``: one open_db for many comments."""
    db = db or open_db(conf)
    item = db.comments.get(comment_id)
    if item is None or item["mode"] == DELETED:
        raise NoSuchComment(comment_id)
    if item["mode"] == PUBLISHED:
        return False
    db.comments.activate(comment_id)
    teach(conf, comment_id, "ham")
    return True


def delete(conf, comment_id, db=None):
    """Delete a comment as Isso does: removed, or emptied if replies still refer to it. ``db``: one open_db for many comments."""
    db = db or open_db(conf)
    if db.comments.get(comment_id) is None:
        raise NoSuchComment(comment_id)
    db.comments.delete(comment_id)
    teach(conf, comment_id, "spam")


def teach(conf, comment_id, verdict):
    """A moderator's decision on the command line, taught to the spam filter's learned score (comments.spam.triage.teach)."""
    shared = store.Store(settings.dbpath(conf))
    with shared.write_transaction() as con:
        triage.teach(con, comment_id, verdict, time.time())
    shared.connection().close()


# Joiners are how emoji and some scripts are written; no terminal acts on them.
_HARMLESS_FORMAT = {"\u200c", "\u200d"}
# The escapes a reader knows from most languages; any other as \xhh, \uhhhh or \Uhhhhhhhh.
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text, keep_newlines=False):
    """``text`` with every character a terminal would act on, or that hides or reorders text, shown as an escape.

    A commenter writes the author, the thread title and the text: raw, their control
    characters (C0, DEL, C1 such as the CSI 0x9b), bidi overrides and other invisible
    format characters could clear the moderator's screen, hide a line or forge one.
    They are shown as ``\\x1b``, ``\\r``, ``\\u202e``, … instead.
    """
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n" and keep_newlines:
            out.append(char)
        elif category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _HARMLESS_FORMAT):
            code = ord(char)
            out.append(_NAMED_ESCAPES.get(char) or (
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            ))
        else:
            out.append(char)
    return "".join(out)


def format_pending(items):
    """The French listing ``invoke comments.pending`` prints, every commenter's character shown as it is (see visible)."""
    if not items:
        return "Aucun commentaire en attente de modération."
    lines = [f"{len(items)} commentaire{'s' if len(items) > 1 else ''} en attente de modération\u00a0:", ""]
    for item in items:
        uri = visible(item.uri)
        lines.append(f"#{item.id} — {visible(item.title) or uri} ({uri})")
        lines.append(f"  {visible(item.author)} <{visible(item.email)}>, le {item.created:%d/%m/%Y à %H:%M}")
        # Only "\n" is left to split on: visible() escapes every other line break.
        text = visible(item.text.replace("\r\n", "\n"), keep_newlines=True)
        lines.extend("  | " + line for line in text.splitlines() or [""])
        lines.append("")
    return "\n".join(lines).rstrip()
