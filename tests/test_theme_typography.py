"""Every built page follows French typography, the theme's own words as the content."""

import re

from bs4 import BeautifulSoup, Comment, Doctype
import pytest

# Text a reader does not read as French prose: code, data, form input.
SKIPPED = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "template"}
# Commenters' words are shown as they wrote them, exactly as Isso's script shows them.
COMMENTERS = {"isso-text", "isso-author"}
WRONG = [
    (re.compile(r"[ \u202f]:"), "a no-break space (U+00A0) before ':'"),
    (re.compile(r"[ \u00a0][;!?]"), "a narrow no-break space (U+202F) before ';', '!' or '?'"),
    (re.compile(r"«[ \u00a0]|[ \u00a0]»"), "a narrow no-break space (U+202F) inside « »"),
    (re.compile(r"[\u201c\u201d\"]"), "« » for quotations, not English or straight quotes"),
]


def _prose(path):
    """Every text node of a page that is prose; attributes are not text nodes."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for text in soup.find_all(string=True):
        if isinstance(text, (Comment, Doctype)):
            continue
        if any(p.name in SKIPPED or COMMENTERS & set(p.get("class") or ()) for p in text.parents):
            continue
        yield str(text)


@pytest.mark.parametrize("build", ["dev_site", "prod_site"])
def test_built_pages_use_french_spacing(build, request):
    site = request.getfixturevalue(build)
    problems = []
    for path in sorted(site.rglob("*.html")):
        for text in _prose(path):
            for pattern, rule in WRONG:
                for match in pattern.finditer(text):
                    context = text[max(0, match.start() - 30):match.end() + 10]
                    problems.append(f"{path.relative_to(site)}: {rule}: {context!r}")
    assert not problems, "\n".join(problems)
