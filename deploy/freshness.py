"""Whether the live pages are out of date: comments moderated since their build, or a held-back chronicle now due.

Both facts are read one way, from what the build itself left in the release beside the
pages (dotfiles nginx never serves): the digest of the comments it baked (the
baked_comments plugin) and the date of the earliest chronicle it held back as future
(scheduled_chronicles). Nothing is copied into the release's marker: the build, run by
the pushed commit's code, is the only writer, and the refresh its only reader.
"""

from datetime import datetime

import approved_comments
from chronicle_schedule import read_schedule
from french_words import PARIS


def next_chronicle(release):
    """When the earliest chronicle `release` held back is due: a datetime, None for none, ... if its build did not say."""
    return read_schedule(release.path)


def comments_changed(release, database):
    """Whether what the pages of `release` show of the comments differs from `database` now."""
    return approved_comments.differs(release.path, database)


def reasons(release, database, now):
    """Why `release` should be built again at timestamp `now`, in French; empty when it is up to date."""
    found = []
    if comments_changed(release, database):
        found.append("des commentaires ont été modérés")
    due = next_chronicle(release)
    if due is ...:
        # Built by a commit that does not say when its next chronicle is due: as before
        # the scheduled_chronicles plugin, assume one may be due each new day.
        if datetime.fromtimestamp(release.built_at, PARIS).date() < datetime.fromtimestamp(now, PARIS).date():
            found.append("une nouvelle journée a commencé")
    elif due is not None and now >= due.timestamp():
        found.append("une chronique programmée arrive à sa date")
    return found
