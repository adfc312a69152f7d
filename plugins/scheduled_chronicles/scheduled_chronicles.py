"""Leaves beside the pages the date of the earliest chronicle a production build held back as future.

With WITH_FUTURE_DATES off, Pelican turns a chronicle dated in the future into
a draft, and only a later build publishes it. The deployment's refresh (deploy/freshness.py) reads
this file (chronicle_schedule.read_schedule) from a release to rebuild as soon
as that date has passed, rather than at some later moderation or push.

The file is a dotfile (nginx never serves one) holding one ISO 8601 date with
its offset, or nothing when no chronicle waits; a build without this plugin
writes no file at all.
"""

import os

from pelican import signals

from chronicle_schedule import SCHEDULE_FILE


def held_back(generator):
    """Chronicles this build did not publish only because of their date."""
    for article in [*generator.drafts, *generator.drafts_translations]:
        # A chronicle its author marked as draft waits for its author, not for a date.
        if str(article.metadata.get("status", "")).lower() == "draft":
            continue
        yield article


def next_due(generator):
    """The earliest date among held-back chronicles, or None."""
    dates = [article.date for article in held_back(generator)]
    return min(dates, default=None)


def write_schedule(generator, writer=None):
    if generator.settings.get("WITH_FUTURE_DATES", True):
        return
    due = next_due(generator)
    with open(os.path.join(generator.output_path, SCHEDULE_FILE), "w", encoding="utf-8") as handle:
        handle.write((due.isoformat() if due else "") + "\n")


def register():
    signals.article_writer_finalized.connect(write_schedule)
