"""How a check names the place of an author's mistake: the file as the author knows it, and its line."""

import html
import os


def display(source_path, settings):
    """A source path as an author knows it: relative to the content folder's parent."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(source_path), base)


def place(source_path, settings, line=None):
    """"chroniques/x.md, ligne 12", or "chroniques/x.md" when no line applies (issue 14's convention)."""
    where = display(source_path, settings)
    return f"{where}, ligne {line}" if line else where


class SourceLines:
    """Finds, in an author's source file, the line of what a check saw in the rendered HTML.

    The rendered body has lost the source's lines, but what a check quotes (an address)
    is in the source as the author wrote it, raw or with `&` written `&amp;`. Successive
    searches for one text find its successive occurrences, so that the same address
    written twice is named at each of its lines.
    """

    def __init__(self, source_path):
        try:
            with open(source_path, encoding="utf-8-sig") as handle:
                self.text = handle.read()
        except (OSError, UnicodeDecodeError):
            self.text = ""
        self._after = {}

    def line(self, *needles):
        """The line (from 1) of the next occurrence of the first of `needles` found, else None."""
        for needle in needles:
            for form in dict.fromkeys((needle, html.escape(needle, quote=False))):
                if not form:
                    continue
                start = self._after.get(form, 0)
                found = self.text.find(form, start)
                if found < 0 and start:
                    found = self.text.find(form)
                if found >= 0:
                    self._after[form] = found + len(form)
                    return self.text.count("\n", 0, found) + 1
        return None
