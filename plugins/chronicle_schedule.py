"""The file a production build leaves beside the pages naming when the next chronicle held back as future is due.

The scheduled_chronicles plugin writes it; the publishing code reads it from a
release to rebuild as soon as that date has passed. Its name and format live here.
"""

from datetime import datetime
import os

SCHEDULE_FILE = ".next-chronicle"


def read_schedule(folder):
    """The next due date a build wrote into `folder`: a datetime, None for none, or ... for no file."""
    path = os.path.join(folder, SCHEDULE_FILE)
    if not os.path.isfile(path):
        return ...
    text = open(path, encoding="utf-8").read().strip()
    return datetime.fromisoformat(text) if text else None
