"""A commenter's own data in the database: every comment stored with their e-mail address, as a French JSON file, and its erasure.

Isso stores the address HTML-escaped, as the commenter typed it; it is compared here
unescaped, trimmed and lowercased (comments.data_links.normal_address). A comment is
listed whatever its state: published, waiting for a moderator, or held as likely spam
(comments.spam).

Erasure removes each comment and what our tables keep about it: the evidence of its
post (zohe_evidence), the words the spam filter kept until a decision
(zohe_spam_undecided), its held row (zohe_held, by trigger) and any mail about it not yet
sent. A comment that replies hang from cannot leave the thread without taking them
along, so it is kept as Isso keeps a comment deleted under replies (mode 4), but with
nothing of its author: no text, name, address, website, IP, notification or voters
(comments.store clears them on every deletion, Isso's own included). The pages show it
as « Réponse supprimée » with the replies under it, as for any deleted comment
(baked_comments, discussion.js); stubs left with no reply are removed, as Isso does. An erasure teaches the spam filter
nothing: it is not a moderator's verdict. The learned word counts hold no text, no
address and no link to any comment, so there is nothing of the commenter's to remove.
"""

import datetime
import html
import json

from comments.data_links import normal_address
from comments.store import DELETED, PENDING, PUBLISHED

STATES = {PUBLISHED: "publié", PENDING: "en attente de modération"}
HELD = "retenu comme indésirable, en attente de modération"
FILE_NAME = "mes-commentaires-zohe.json"

_SELECT = (
    "SELECT c.id, t.uri, t.title, c.parent, c.created, c.modified, c.mode, c.author, c.website, c.text,"
    " c.remote_addr, c.notification, c.likes, c.dislikes, h.id IS NOT NULL"
    " FROM comments AS c JOIN threads AS t ON t.id = c.tid LEFT JOIN zohe_held AS h ON h.id = c.id"
    " WHERE c.mode <> ? AND zohe_plain_address(c.email) = ? ORDER BY c.created, c.id"
)


def _plain_address(stored):
    return normal_address(html.unescape(stored)) if stored else None


def _connection(store):
    con = store.connection()
    con.create_function("zohe_plain_address", 1, _plain_address, deterministic=True)
    return con


def comments_of(store, address):
    """Every comment stored with ``address``, oldest first, each a dict with French keys (as the JSON file gives them)."""
    rows = _connection(store).execute(_SELECT, (DELETED, normal_address(address))).fetchall()
    return [_described(row) for row in rows]


def _described(row):
    (number, uri, title, parent, created, modified, mode, author, website, text,
     remote_addr, notification, likes, dislikes, held) = row
    return {
        "numéro": number,
        "page": uri,
        "titre de la page": title or "",
        "état": HELD if held else STATES.get(mode, ""),
        "écrit le": _when(created),
        "modifié le": _when(modified) if modified else None,
        "en réponse au commentaire": parent,
        "nom": html.unescape(author or ""),
        "site web": html.unescape(website or "") or None,
        "texte": text,
        "adresse IP tronquée": remote_addr,
        "prévenu des réponses": bool(notification),
        "mentions j’aime": likes or 0,
        "mentions je n’aime pas": dislikes or 0,
    }


def _when(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).astimezone().isoformat(timespec="seconds")


def export(address, comments, now):
    """The JSON file of ``comments`` (comments_of), as bytes: readable keys, readable characters."""
    document = {
        "adresse électronique": normal_address(address),
        "exporté le": _when(now),
        "site": "Zôhé",
        "nombre de commentaires": len(comments),
        "commentaires": comments,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def erase(store, address, numbers=None):
    """Erase the comments of ``address`` (only those of ``numbers`` when given); returns the numbers erased.

    One transaction: a comment is erased whole or not at all, and a number that is not
    one of the address's is never touched.
    """
    with store.write_transaction() as con:
        con.create_function("zohe_plain_address", 1, _plain_address, deterministic=True)
        own = [number for (number,) in con.execute(
            "SELECT id FROM comments WHERE mode <> ? AND zohe_plain_address(email) = ? ORDER BY id",
            (DELETED, normal_address(address)))]
        chosen = own if numbers is None else [number for number in own if number in set(numbers)]
        for number in chosen:
            replied = con.execute("SELECT 1 FROM comments WHERE parent = ? LIMIT 1", (number,)).fetchone()
            if replied:
                con.execute("UPDATE comments SET mode = ?, text = '', author = NULL, email = NULL, website = NULL,"
                            " remote_addr = '', notification = 0 WHERE id = ?", (DELETED, number))
            else:
                con.execute("DELETE FROM comments WHERE id = ?", (number,))
            con.execute("DELETE FROM zohe_evidence WHERE comment = ?", (number,))
            con.execute("DELETE FROM zohe_spam_undecided WHERE id = ?", (number,))
            con.execute("DELETE FROM zohe_outbox WHERE kind = 'comment' AND comment_id = ?", (number,))
        # Isso's own rule (its Comments._remove_stale): a deleted comment no reply refers to goes,
        # until none is left (a stub may only have had stubs under it).
        while chosen and con.execute("DELETE FROM comments WHERE mode = ? AND id NOT IN"
                                     " (SELECT parent FROM comments WHERE parent IS NOT NULL)", (DELETED,)).rowcount:
            pass
    return chosen
