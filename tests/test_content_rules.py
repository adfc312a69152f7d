"""Content rules that shape what readers get, each through a real build of the real content plus a test chronicle."""

from datetime import datetime, timedelta
import subprocess
import sys
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
import pytest

from support import ROOT
from publish.build import BuildError, build

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


# ---------------------------------------------------------------- chronicles dated in the future


def test_the_build_task_says_when_each_scheduled_chronicle_goes_out(content, tmp_path):
    """As `invoke build` and `invoke check` run it (tasks._build_or_exit), in a process of its own."""
    from zohe_checks.schedule import when

    soon = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=3, hours=1)).replace(minute=0, second=0,
                                                                                       microsecond=0)
    chronicle(content, "bientot.md", HEADER.format(title="Bientôt", date=f"{soon:%Y-%m-%d %H:%M}", tags="essai",
                                                   slug="bientot") + "Le texte.\n")
    chronicle(content, "brouillon.md", HEADER.format(title="Brouillon", date=f"{soon:%Y-%m-%d %H:%M}", tags="essai",
                                                     slug="brouillon") + "Le texte.\n")
    draft = content / "chroniques" / "brouillon.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("Slug:", "Status: draft\nSlug:"), encoding="utf-8")
    script = (
        "import tasks\n"
        f"tasks._build_or_exit(prod=True, output={str(tmp_path / 'output')!r}, overrides={{'PATH': {str(content)!r}}})\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # One line, an information (the build passed): the chronicle its author keeps as a draft waits for no date.
    assert [line for line in lines if "paraîtra" in line] == [
        f"content/chroniques/bientot.md paraîtra dans 3 jours, le {when(soon)}"]
    assert "INFO" not in result.stdout + result.stderr


@pytest.mark.parametrize("date, expected", [
    (datetime(2026, 12, 10, 10, 0), "jeudi 10 décembre 2026 à 10\u00a0h"),
    (datetime(2027, 3, 1, 9, 30), "lundi 1er mars 2027 à 9\u00a0h\u00a030"),
])
def test_a_date_as_authors_read_it(date, expected):
    from zohe_checks.schedule import when

    assert when(date) == expected


@pytest.mark.parametrize("written, now, meant", [
    ("2099-03-01 10:00", "2028-06-01 00:00", 2029),  # a digit replaced
    ("2207-03-01 10:00", "2026-12-03 00:00", 2027),  # two digits swapped
    ("2028-01-01 10:00", "2026-12-03 00:00", 2027),  # 2026-01-01 is past
    ("2099-03-01 10:00", "2026-12-03 00:00", None),  # 2029 would be refused too
    ("2036-12-25 10:00", "2026-12-03 00:00", 2026),  # the earliest that passes
])
def test_the_year_an_author_likely_meant(written, now, meant):
    from zohe_checks.schedule import meant_year

    paris = ZoneInfo("Europe/Paris")
    assert meant_year(datetime.fromisoformat(written).replace(tzinfo=paris),
                      datetime.fromisoformat(now).replace(tzinfo=paris)) == meant


def test_a_date_far_ahead_gets_the_likely_year_in_its_line(content):
    """Through a real build: the hint is in the line, when one typo away puts the date within the year."""
    meant = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=30)
    typo = "3" + f"{meant:%Y}"[1:]  # 2027 -> 3027
    date = f"{typo}-{meant:%m-%d} 10:00"
    chronicle(content, "test.md", HEADER.format(title="Loin", date=date, tags="essai", slug="loin") + "Le texte.\n")
    with pytest.raises(BuildError) as failure:
        built(content)
    assert f"content/chroniques/test.md, ligne 2\u00a0: la date {date} ferait paraître la chronique " in str(failure.value)
    assert f"\u202f; {typo}\u00a0: vouliez-vous écrire {meant:%Y}\u202f?" in str(failure.value)


# ---------------------------------------------------------------- tags spelt several ways


def test_tags_differing_by_case_or_accent_are_one_tag_listed_once(content):
    for slug, tags in (("trois-graphies", "économie, Économie, economie, travail"),
                       ("sans-accent", "Economie"), ("avec-accent", "économie")):
        chronicle(content, f"{slug}.md", HEADER.format(title=slug, date="2024-05-02 10:00", tags=tags, slug=slug)
                  + "Le texte.\n")
    output = built(content)

    # The chronicle's own list: one link, under the spelling most chronicles use.
    own = page(output, "chroniques/trois-graphies")
    assert [a.get_text() for a in own.select(".tags a")] == ["économie", "travail"]
    # The tag's page: each chronicle once, and the count says three.
    tag = page(output, "mots-cles/economie")
    assert tag.h1.get_text() == "économie"
    listed = [a["href"] for a in tag.select(".card__title a")]
    assert sorted(listed) == sorted(set(listed)) and len(listed) == 3, listed
    assert "3 chroniques" in tag.select_one(".page-header__meta").get_text()
    # The list of tags: one entry, counting three.
    entries = [li for li in page(output, "mots-cles").select(".tag-cloud li") if "/economie/" in li.a["href"]]
    assert len(entries) == 1 and entries[0].select_one(".count").get_text().startswith("3")
    # The feeds: one category per tag.
    feed = (output / "feeds" / "chroniques.atom.xml").read_text(encoding="utf-8")
    entry = feed[feed.index("<title>trois-graphies</title>"):].split("</entry>")[0]
    assert entry.count('term="économie"') == 1 and "term=\"Économie\"" not in entry and 'term="economie"' not in entry
    # The sitemap: the tag's page once.
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("/mots-cles/economie/</loc>") == 1


@pytest.mark.parametrize("spellings, shown", [
    ({"economie": 2, "économie": 1}, "economie"),  # the site's habit first
    ({"economie": 1, "économie": 1}, "économie"),  # then the accents
    ({"économie": 1, "Économie": 1}, "Économie"),  # then the capitals
    ({"zohe": 1, "Zôhé": 1, "zôhé": 1}, "Zôhé"),
    ({"B": 1, "A": 1}, "A"),  # never the reading order
])
def test_the_name_a_merged_tag_shows(spellings, shown):
    from merged_tags.merged_tags import chosen

    assert chosen(spellings) == shown
