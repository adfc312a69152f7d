"""What moderators do with comments held as likely spam: list them (``invoke comments.spam``), delete them in bulk (``comments.spam-delete``), approve one the filter got wrong (``comments.spam-approve``).

A held comment is one of Isso's waiting comments (mode 2) with a row in ``zohe_held``; it
stays until a moderator decides. Approving one publishes it at once, as
``comments.approve`` does: the moderator has just read it in ``comments.spam``, and
sending it back to the queue would ask them to decide twice. Either decision teaches
the learned score (comments.moderation.approve and delete).
"""

import datetime
import html
import json
from dataclasses import dataclass

import comments_database

from comments import moderation, settings, store
from comments.moderation import Pending
from comments.spam import policy


@dataclass
class Held(Pending):
    """A waiting comment (comments.moderation.Pending) and why the filter held it."""

    score: float
    reasons: tuple


class NotHeld(LookupError):
    """Some of the numbers given are not held comments; ``args[0]`` lists them."""


SELECT = (
    "SELECT c.id, t.uri, t.title, c.author, c.email, c.created, h.score, h.reasons, c.text"
    " FROM zohe_held AS h JOIN comments AS c ON c.id = h.id JOIN threads AS t ON t.id = c.tid"
)


def from_row(row):
    """A Held from a row of SELECT."""
    return Held(
        id=row[0], uri=row[1], title=row[2] or "",
        # Isso stores names escaped for HTML; a terminal wants them as typed.
        author=html.unescape(row[3] or ""), email=html.unescape(row[4] or ""),
        created=datetime.datetime.fromtimestamp(row[5]), score=row[6],
        reasons=tuple(tuple(reason) for reason in json.loads(row[7])), text=row[8],
    )


def listing(conf, where="", parameters=()):
    """The held comments, oldest first; only read (like comments.moderation.pending)."""
    path = settings.require_database(settings.dbpath(conf))
    rows = comments_database.read(
        path, f"{SELECT} {where} ORDER BY c.created, c.id", parameters, mode="rw", timeout=store.BUSY_TIMEOUT_MS / 1000
    )
    return [from_row(row) for row in rows]


def held_ids(conf, ids):
    """``ids`` checked to be held comments; NotHeld naming those that are not."""
    held = {item.id for item in listing(conf)}
    missing = [number for number in ids if number not in held]
    if missing:
        raise NotHeld(missing)
    return ids


def delete(conf, ids=None):
    """Delete the held comments ``ids`` (all of them when None), each as comments.delete does; returns the numbers deleted.

    Only held comments: a number that is not one refuses the whole command before anything is deleted.
    """
    ids = [item.id for item in listing(conf)] if ids is None else held_ids(conf, list(ids))
    db = moderation.open_db(conf) if ids else None
    for number in ids:
        moderation.delete(conf, number, db)
    return ids


def approve(conf, ids):
    """Publish the held comments ``ids``: the filter was wrong, and the learned score is told."""
    ids = held_ids(conf, list(ids))
    db = moderation.open_db(conf) if ids else None
    for number in ids:
        moderation.approve(conf, number, db)
    return list(ids)


def format_listing(items):
    """The French listing ``invoke comments.spam`` prints; every commenter's character shown as it is (comments.moderation.visible)."""
    visible = moderation.visible
    if not items:
        return "Aucun commentaire retenu comme indésirable."
    plural = "s" if len(items) > 1 else ""
    lines = [f"{len(items)} commentaire{plural} retenu{plural} comme indésirable{plural}\u00a0:", ""]
    for item in items:
        uri = visible(item.uri)
        lines.append(f"#{item.id} — {visible(item.title) or uri} ({uri})")
        lines.append(f"  {visible(item.author)} <{visible(item.email)}>, le {item.created:%d/%m/%Y à %H:%M}")
        lines.append(f"  score {format_score(item.score)}\u00a0: {visible(policy.describe(item.reasons))}")
        text = visible(item.text.replace("\r\n", "\n"), keep_newlines=True)
        lines.extend("  | " + line for line in text.splitlines() or [""])
        lines.append("")
    lines += [
        "Tout supprimer\u00a0: invoke comments.spam-delete tous (ou leurs numéros\u00a0: invoke comments.spam-delete 12,13)",
        "Publier ceux que le filtre a retenus à tort\u00a0: invoke comments.spam-approve 12",
    ]
    return "\n".join(lines)


def format_score(score):
    """``2,5`` : a score as a French reader writes it."""
    return f"{score:g}".replace(".", ",")
