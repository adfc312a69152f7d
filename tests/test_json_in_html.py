"""JSON written into a page stays JSON, and the page stays a page, for a parser that follows the HTML standard.

html5lib, not Python's html.parser: only a parser with the standard's script states
(escaped, double escaped) sees what a browser does with "<!--<script>" in a script element.
Each golden case of quoted_html_comments.tsv is an approved comment baked alone under a
chronicle of its own, so a failure names the case.
"""

import json
from pathlib import Path
import shutil
import time

import html5lib
import pytest

from support import PROD_SITEURL, ROOT, build_prod

CASES_FILE = Path(__file__).with_name("quoted_html_comments.tsv")
CHRONICLE = """Title: Cas {name}
Date: 2024-05-02 10:00
Author: Zôhé
Category: Les Chroniques de Zôhé
Summary: Une chronique dont la discussion cite du HTML.
Slug: {slug}

Le texte de la chronique.
"""


def load_cases():
    cases = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, text = line.split("\t")
            cases.append((name, text))
    return cases


CASES = load_cases()


def _slug(name):
    return "cas-" + name.replace("_", "-")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """{case name: the parsed page of its chronicle}, from one production build."""
    from isso import config
    from isso.db import SQLite3

    base = tmp_path_factory.mktemp("quoted")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(base / "comments.db"))
    db = SQLite3(str(base / "comments.db"), conf)
    for name, text in CASES:
        (content / "chroniques" / f"{_slug(name)}.md").write_text(
            CHRONICLE.format(name=name, slug=_slug(name)), encoding="utf-8"
        )
        uri = f"/chroniques/{_slug(name)}/"
        db.threads.new(uri, f"Cas {name}")
        db.comments.add(uri, {
            "text": text, "author": "Lectrice", "email": "l@exemple.fr", "website": None,
            "parent": None, "mode": 1, "remote_addr": "127.0.0.0", "created": time.time() - 60,
        })
    output = build_prod(base / "output", PATH=str(content), BAKED_COMMENTS={"database": base / "comments.db"})
    return {
        name: html5lib.parse(
            (output / "chroniques" / _slug(name) / "index.html").read_text(encoding="utf-8"),
            namespaceHTMLElements=False,
        )
        for name, _text in CASES
    }


@pytest.mark.parametrize("name, text", CASES, ids=[name for name, _text in CASES])
def test_a_comment_quoting_html_leaves_the_page_whole_and_its_text_intact(pages, name, text):
    document = pages[name]
    # The rest of the page is markup, not script: the discussion with its baked comment and
    # its form, the discussion script, the site's footer.
    assert document.find(".//section[@id='discussion']") is not None
    assert document.find(".//div[@class='isso-comment']") is not None
    assert document.find(".//form[@id='discussion-formulaire']") is not None
    assert any("/js/discussion" in script.get("src", "") for script in document.iter("script"))
    assert document.find("body/footer[@class='site-footer']") is not None
    # Only the JSON-LD script has a body, and it is exactly the JSON the build wrote.
    bodies = [script for script in document.iter("script") if (script.text or "").strip()]
    assert [script.get("type") for script in bodies] == ["application/ld+json"]
    data = json.loads(bodies[0].text)
    assert data["url"] == f"{PROD_SITEURL}/chroniques/{_slug(name)}/"
    # The text as typed, save the no-break spaces of the site's typography ("Oui : " gives
    # "Oui\u00a0: "), which leaves quoted HTML, its entities included, alone.
    said = [comment["text"].replace("\u00a0", " ").replace("\u202f", " ") for comment in data["comment"]]
    assert said == [text]
    assert data["commentCount"] == 1
