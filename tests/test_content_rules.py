"""Content rules that shape what readers get, each through a real build of the real content plus a test chronicle."""

import shutil

from bs4 import BeautifulSoup
import pytest

from support import ROOT
from publish.build import build

HEADER = """Title: {title}
Date: {date}
Author: Jean & Nathalie
Category: Les Chroniques de Zôhé
Tags: {tags}
Summary: Un résumé de test.
Slug: {slug}

"""

NOTES_AND_TABLE = HEADER.format(title="Des notes et un tableau", date="2024-05-02 10:00", tags="essai",
                                slug="notes-et-tableau") + """Une affirmation[^source].

| Offre | Prix |
| :---- | ---: |
| Une | 10 € |
| Deux | 120 € |

[^source]: La source de l’affirmation.
"""


def chronicle(content, name, text):
    (content / "chroniques" / name).write_text(text, encoding="utf-8")


@pytest.fixture
def content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


def built(content):
    return build(output=content.parent / "output", overrides={"PATH": str(content)})


def page(output, path):
    return BeautifulSoup((output / path / "index.html").read_text(encoding="utf-8"), "html.parser")


# ---------------------------------------------------------------- footnotes and tables


def test_footnote_back_links_say_in_french_where_they_lead(content):
    chronicle(content, "notes.md", NOTES_AND_TABLE)
    soup = page(built(content), "chroniques/notes-et-tableau")
    back = soup.select_one(".footnote-backref")
    assert back["title"] == "Revenir à l’appel de la note 1 dans le texte"


def test_an_aligned_column_gets_a_class_and_no_inline_style(content):
    chronicle(content, "notes.md", NOTES_AND_TABLE)
    output = built(content)
    soup = page(output, "chroniques/notes-et-tableau")
    cells = soup.select("table tr")
    assert [cell.get("class") for cell in cells[1].find_all("td")] == [["align-left"], ["align-right"]]
    assert soup.select("table [style], table [align]") == []
    # The feeds carry the body too: no inline style there either.
    feed = (output / "feeds" / "chroniques.atom.xml").read_text(encoding="utf-8")
    assert "text-align" not in feed and 'class="align-right"' in feed.replace("&quot;", '"').replace("&lt;", "<")
    css = (ROOT / "theme" / "static" / "css" / "zohe.css").read_text(encoding="utf-8")
    assert "td.align-right { text-align: right; }" in css


# ---------------------------------------------------------------- a YAML header


def test_a_header_between_dashes_without_lists_is_still_read(content):
    # Python-Markdown reads `key: value` lines after a first `---`: only YAML's lists are refused.
    chronicle(content, "tirets.md", "---\n" + HEADER.format(
        title="Entre tirets", date="2024-05-02 10:00", tags="économie, travail", slug="entre-tirets",
    ).rstrip("\n") + "\n---\n\nLe texte.\n")
    soup = page(built(content), "chroniques/entre-tirets")
    assert [a.get_text() for a in soup.select(".tags a")] == ["économie", "travail"]
