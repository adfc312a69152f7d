"""The moderators' block list: words, domains and e-mail addresses that hold a comment, edited with ``invoke comments.block`` and ``comments.unblock``.

Kept in the database (table ``zohe_blocked``, comments.spam.schema) rather than a file
under the state directory: every worker reads it at the next comment with no reload, a
moderator needs no write access to the server's files, a mistyped entry is refused at
once in French instead of breaking the server later, and the backups keep it. The kinds
are named in French since moderators type them.
"""

import re

from comments.spam import tokens as features

KINDS = ("mot", "domaine", "adresse")
DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")
ADDRESS = re.compile(r"^[^@\s]{1,64}@" + DOMAIN.pattern[1:])


class InvalidEntry(ValueError):
    """An entry a moderator typed that cannot be blocked; its message is in French and says what to type."""


def normalise(kind, value):
    """``(kind, value)`` as stored and matched: lowercase, spaces trimmed; InvalidEntry if it cannot match anything."""
    if kind not in KINDS:
        raise InvalidEntry(
            f"«\u00a0{kind}\u00a0» n’est pas un genre d’entrée\u202f; écrivez mot, domaine ou adresse "
            "(par exemple\u00a0: invoke comments.block domaine exemple.com)"
        )
    value = value.strip().lower()
    if kind == "mot":
        if features.WORD.fullmatch(value) is None:
            raise InvalidEntry(
                f"«\u00a0{value}\u00a0» n’est pas un mot\u202f; un mot bloqué s’écrit en lettres seules, de 2 à 30"
            )
    elif kind == "domaine":
        value = features.domain_of(value) if "/" in value else value.removeprefix("www.")
        if DOMAIN.match(value) is None:
            raise InvalidEntry(f"«\u00a0{value}\u00a0» n’est pas un nom de domaine\u202f; écrivez-le comme exemple.com")
    elif ADDRESS.match(value) is None:
        raise InvalidEntry(f"«\u00a0{value}\u00a0» n’est pas une adresse électronique\u202f; écrivez-la comme nom@exemple.fr")
    return kind, value


def add(con, kind, value, now):
    """Block ``value``; returns False if it was already blocked."""
    kind, value = normalise(kind, value)
    return con.execute(
        "INSERT OR IGNORE INTO zohe_blocked (kind, value, added) VALUES (?, ?, ?)", (kind, value, now)
    ).rowcount == 1


def remove(con, kind, value):
    """Unblock ``value``; returns False if it was not blocked."""
    kind, value = normalise(kind, value)
    return con.execute("DELETE FROM zohe_blocked WHERE kind = ? AND value = ?", (kind, value)).rowcount == 1


def entries(con):
    """Every entry as ``(kind, value)``, by kind then value."""
    return list(con.execute("SELECT kind, value FROM zohe_blocked ORDER BY kind, value"))


def hits(entries, found):
    """The entries of ``entries`` that the Features ``found`` holds, as ``(kind, value)``."""
    hit = []
    for kind, value in entries:
        if (
            (kind == "mot" and value in found.words)
            or (kind == "domaine" and any(features.matches_domain(d, value) for d in found.domains))
            or (kind == "adresse" and value == found.email)
        ):
            hit.append((kind, value))
    return hit
