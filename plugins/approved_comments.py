"""Isso's comments as a build reads them: read-only, in one consistent read, with the digest of what the pages show.

The baked_comments plugin renders them into the pages and leaves their digest
beside them (FINGERPRINT_FILE); the publishing code compares that file with the
live database to know whether moderation calls for a rebuild.
"""

from dataclasses import dataclass
import hashlib
import json
import os

import comments_database

# Isso's `comments.mode`: 1 approved, 2 pending, 4 deleted (kept for its replies).
APPROVED = 1


def _query(database, sql, parameters=()):
    """Rows of `sql` on Isso's database opened read-only; none when there is no database yet."""
    if not database or not os.path.exists(database):
        return []
    return comments_database.read(database, sql, parameters)


# What a page shows of the comments: approved ones, and deleted ones (mode 4, their text
# already emptied by Isso) only to hold their approved replies' place, as Isso's script
# does. One statement, so one consistent read: the pages and their digest come from it.
_SHOWN = """
    SELECT threads.uri, comments.id, comments.parent, comments.mode, comments.created,
           comments.modified, comments.text, comments.author, comments.website
    FROM comments JOIN threads ON threads.id = comments.tid
    WHERE comments.mode IN (1, 4)
    ORDER BY comments.id
"""

FINGERPRINT_FILE = ".baked-comments"


@dataclass
class Snapshot:
    """The comments as one read of the database found them."""

    # {uri: [(id, parent, created, mode, text, author, website), ...]} oldest first;
    # a deleted comment's text is None.
    threads: dict
    # The digest of the rows, see fingerprint().
    fingerprint: str


def read_comments(database):
    """What the pages show of the comments, and its digest, from one read; no comments without a database."""
    rows = _query(database, _SHOWN)
    threads = {}
    for uri, comment_id, parent, mode, created, _modified, text, author, website in sorted(
        rows, key=lambda row: (row[4], row[1])
    ):
        threads.setdefault(uri, []).append(
            (comment_id, parent, created, mode, text if mode == APPROVED else None, author, website)
        )
    return Snapshot(threads=threads, fingerprint=_digest(rows))


def _digest(rows):
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def fingerprint(database):
    """A digest of everything the baked pages show of the comments.

    It changes when a moderator approves, edits or deletes, and not when a
    comment merely arrives for moderation, so a rebuild is due exactly when it
    differs from the one written beside the published pages.
    """
    return read_comments(database).fingerprint


def differs(folder, database):
    """Whether the pages built into `folder` show other comments than `database` holds now (or say nothing of them).

    Read from the digest the build left beside them (FINGERPRINT_FILE): the publishing
    code asks it of a release, the live preview of its output after each write to the
    database.
    """
    written = os.path.join(folder, FINGERPRINT_FILE)
    if not os.path.isfile(written):
        return True
    with open(written, encoding="utf-8") as handle:
        return handle.read().strip() != fingerprint(database)
