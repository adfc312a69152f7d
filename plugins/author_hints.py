"""Where an author's mistake is and what was probably meant: shared by the checks and the build's messages.

An author reads "ligne 12" and "photo.jpg existe" faster than any explanation;
the content checks (plugins/zohe_checks) and the French lines given for
Pelican's own messages (publish/messages.py) find both the same way, here.
"""

import os
import re


def line_of(path, fragment, start=None):
    """The number of the first line of `path` holding `fragment` (after a line matching
    the regular expression `start`, if given), or None; a file that cannot be read has none."""
    if not fragment:
        return None
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if fragment in line and (start is None or re.match(start, line, re.IGNORECASE)):
                    return number
    except OSError:
        return None
    return None


def where(display, line):
    """A file as an author reads it in a message: "content/x.md, ligne 12", or the path alone."""
    return f"{display}, ligne {line}" if line else display


def case_twin(path):
    """The name of the file beside `path` that differs from it only by case, when `path` is missing.

    Windows and macOS open `Photo.JPG` for `photo.jpg`; the server's disk does not.
    """
    folder, name = os.path.split(path)
    if not name or os.path.exists(path):
        return None
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return None
    return next((other for other in sorted(names) if other.lower() == name.lower()), None)


def case_hint(twin):
    return f"«\u00a0{twin}\u00a0» existe\u00a0: écrivez son nom avec les mêmes majuscules et minuscules"
