"""What the preview shows at the top of a page that production would refuse: one French line each.

Production fails the build (or the publication) on a placeholder left in a page or a fact
of the legal notice not given; the preview instead builds, and says it in the page itself
(partials/unfinished.html), so that an author sees it where it is. `PREVIEW_NOTICES` in
pelicanconf.py (off in publishconf.py) says which of the two a build is.
"""


def preview(settings):
    """True in a build that shows what production would refuse, rather than refusing it."""
    return bool(settings.get("PREVIEW_NOTICES"))


def mark(document, line):
    """Add `line` to what the preview says at the top of `document`'s page."""
    if not hasattr(document, "unfinished"):
        document.unfinished = []
    document.unfinished.append(line)
