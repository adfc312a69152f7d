"""Which discussions the published site offers a form for: the build writes the list beside the pages, the comment server reads it.

A thread is only an address to Isso: it took a comment for any path on the site, a
chronicle whose discussion is closed (``Comments: closed`` or ``off``, e.g. one brought
over from WordPress with its comments closed) or a page that does not exist, and the first
commenter's ``title`` named the thread in every moderation mail. The build knows which
pages show a form and under what title, so it leaves that list beside the pages
(FILE, a dotfile nginx never serves) and the comment server (comments.discussions) takes
a new comment only for a listed address, naming its thread by the listed title.
"""

import json
import logging
import os

logger = logging.getLogger(__name__)

FILE = ".open-discussions.json"
# Bumped if the shape changes, so that a server never misreads a release of another shape.
VERSION = 1


def write(folder, titles):
    """Leave ``{thread address: title}`` of every discussion open for new comments in ``folder``."""
    payload = {"version": VERSION, "open": dict(sorted(titles.items()))}
    temporary = os.path.join(folder, FILE + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=0)
        handle.write("\n")
    os.replace(temporary, os.path.join(folder, FILE))


class Published:
    """The list of the site published in ``site_root`` (production: the ``current`` symlink), reread when it changes.

    ``titles()`` is None when there is no readable list of our shape (a site not yet built
    with it, a broken file): the caller then decides; the log says why, once each time it changes.
    """

    def __init__(self, site_root):
        self.path = os.path.join(site_root, FILE)
        self.seen, self.value, self.problem = None, None, None

    def titles(self):
        try:
            status = os.stat(self.path)
        except OSError as e:
            self.seen, self.value = None, None
            self._tell(f"{self.path}: {e.strerror}")
            return None
        # The release swap replaces the file, so its inode changes even within one second.
        key = (status.st_ino, status.st_mtime_ns, status.st_size)
        if key != self.seen:
            self.seen, (self.value, problem) = key, self._read()
            self._tell(problem)
        return self.value

    def _tell(self, problem):
        if problem != self.problem:
            if problem:
                logger.error("no list of open discussions (%s): comments are taken for every address", problem)
            else:
                logger.info("list of open discussions read: %s", self.path)
            self.problem = problem

    def _read(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                payload = json.load(handle)
        except (OSError, ValueError) as e:
            return None, f"{self.path}: {e}"
        titles = payload.get("open") if isinstance(payload, dict) and payload.get("version") == VERSION else None
        if not isinstance(titles, dict) or not all(isinstance(v, str) for v in titles.values()):
            return None, f"{self.path}: not a list of open discussions of version {VERSION}"
        return titles, None
