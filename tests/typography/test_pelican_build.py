"""Builds a tiny site with the real Pelican and the plugin, and reads the typography a reader gets."""

import logging
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings
import pytest

from publish.build import forget_plugins

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"

NNBSP = "\u202f"
NBSP = "\u00a0"

CHRONICLE = """\
Title: C'est "bien" ?
Date: 2024-03-14 10:00
Slug: cest-bien
Summary: Un résumé ! Vraiment...

Il a dit "oui" : c'est *bien* ! Rendez-vous à 10:30, voir http://x.fr/?a=b ou
<contact@zohe.fr>. Nous étions 10% de plus, à 5 km.

Tapez `ls -l ; echo "?"` puis **Entrée** !

    def f(x): return "a" ; x ?
"""

ENGLISH = """\
Title: It's "fine"!
Date: 2024-03-15 10:00
Slug: its-fine
Lang: en

Really? Yes: "quite".
"""

OFFER = """\
Title: L'offre « Envol »
Slug: envol
Menu: L'offre !
Price: 20 € par mois
Period: par mois ; sans engagement
Includes: Un lieu de travail!
    L'accompagnement : 2 h par semaine
Cta: On y va ?

Une offre pour démarrer !
"""

# Only what the test reads: the offer's metadata as a reader sees it, and the Jinja filter.
PAGE_TEMPLATE = """\
{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1>
<p class="price">{{ page.price }}</p><p class="period">{{ page.period }}</p>
<ul>{% for item in page.includes %}<li>{{ item }}</li>{% endfor %}</ul>
<a class="cta">{{ page.cta }}</a><p class="menu">{{ page.menu }}</p>{{ page.content }}
<p class="filter">{{ "Une question ?"|french_typography }}</p>{% endblock %}
"""


def build(tmp_path, output_name="output", **overrides):
    """Build the tiny site; returns the output folder. Fails on any warning Pelican logs."""
    content = tmp_path / "content"
    if not content.exists():
        (content / "chroniques").mkdir(parents=True)
        (content / "pages").mkdir()
        (content / "chroniques" / "cest-bien.md").write_text(CHRONICLE, encoding="utf-8")
        (content / "chroniques" / "its-fine.md").write_text(ENGLISH, encoding="utf-8")
        (content / "pages" / "envol.md").write_text(OFFER, encoding="utf-8")
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "page.html").write_text(PAGE_TEMPLATE, encoding="utf-8")
    output = tmp_path / output_name
    settings = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME": "simple",
        "THEME_TEMPLATES_OVERRIDES": [str(tmp_path / "templates")],
        "PLUGIN_PATHS": [str(PLUGINS)],
        "PLUGINS": ["french_typography"],
        "ARTICLE_PATHS": ["chroniques"],
        "PAGE_PATHS": ["pages"],
        "SITENAME": "Zôhé",
        "SITEURL": "https://zohe.example",
        "TIMEZONE": "Europe/Paris",
        "DEFAULT_LANG": "fr",
        "ARTICLE_URL": "{slug}.html",
        "ARTICLE_SAVE_AS": "{slug}.html",
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "CATEGORY_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    settings.update(overrides)
    forget_plugins()  # what earlier builds of this process connected (publish.build does the same)
    Pelican(read_settings(override=settings)).run()
    return output


@pytest.fixture
def no_warnings(caplog):
    """The build stays clean: the project treats any logged warning as a failed build."""
    caplog.set_level(logging.WARNING)
    yield
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []


@pytest.fixture
def site(tmp_path, no_warnings):
    return build(tmp_path)


def read(path):
    return path.read_text(encoding="utf-8")


def test_article_body(site):
    html = read(site / "cest-bien.html")
    assert (
        "Il a dit «&#8239;oui&#8239;»&#160;: c’est <em>bien</em>&#8239;! "
        "Rendez-vous à 10:30, voir http://x.fr/?a=b ou"
    ) in html
    assert "Nous étions 10&#160;% de plus, à 5&#160;km." in html
    # The code span stays as typed; the sign after the bold word gets its space.
    assert "<code>ls -l ; echo \"?\"</code> puis <strong>Entrée</strong>&#8239;!" in html
    # The highlighted code block stays as typed, quotes and spaces included.
    assert '<span class="s2">&quot;a&quot;</span><span class="w"> </span><span class="c1">; x ?' in html
    # Markdown hides the e-mail address behind character references: copied byte for byte.
    address = "".join(f"&#{ord(c)};" for c in "contact@zohe.fr")
    assert f'<a href="{"".join(f"&#{ord(c)};" for c in "mailto:")}{address}">{address}</a>. Nous' in html


def test_article_title_everywhere_on_its_page(site):
    html = read(site / "cest-bien.html")
    # In the heading, the references are written as is ...
    assert ">C’est «&#8239;bien&#8239;»&#8239;?</a></h2>" in html
    # ... and the theme's `|striptags` keeps them as real no-break spaces in <title>.
    assert f"<title>Zôhé - C’est «{NNBSP}bien{NNBSP}»{NNBSP}?</title>" in html


def test_summary_in_listing(site):
    index = read(site / "index.html")
    assert "Un résumé&#8239;! Vraiment…" in index


def test_atom_feed(site):
    feed = read(site / "feeds" / "all.atom.xml")
    # Feed titles are plain text: Pelican's striptags turns the references into characters.
    assert f"<title>C’est «{NNBSP}bien{NNBSP}»{NNBSP}?</title>" in feed
    # Content and summary are HTML, escaped once more as XML text.
    assert "Il a dit «&amp;#8239;oui&amp;#8239;»&amp;#160;: c’est" in feed
    assert "Un résumé&amp;#8239;! Vraiment…" in feed


def test_offer_metadata_shown_to_readers(site):
    html = read(site / "pages" / "envol.html")
    assert "<h1>L’offre «&#8239;Envol&#8239;»</h1>" in html
    assert '<p class="price">20&#160;€ par mois</p>' in html
    assert '<p class="period">par mois&#8239;; sans engagement</p>' in html
    assert "<li>Un lieu de travail&#8239;!</li><li>L’accompagnement&#160;: 2&#160;h par semaine</li>" in html
    assert '<a class="cta">On y va&#8239;?</a>' in html
    assert '<p class="menu">L’offre&#8239;!</p>' in html
    assert "Une offre pour démarrer&#8239;!" in html
    # Texts of the theme itself can ask for the same rules.
    assert '<p class="filter">Une question&#8239;?</p>' in html


def test_other_languages_are_left_alone(site):
    html = read(site / "its-fine-en.html")
    assert "Really? Yes: \"quite\"." in html
    assert "It's \"fine\"!</a></h2>" in html


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_content_cache_neither_doubles_nor_loses_the_rules(tmp_path, no_warnings, layer):
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": layer}
    first = build(tmp_path, "first", **cached)
    assert any((tmp_path / "cache").iterdir())
    second = build(tmp_path, "second", **cached)
    for name in ("cest-bien.html", "index.html", "feeds/all.atom.xml", "pages/envol.html"):
        assert read(second / name) == read(first / name), name
    assert "c’est <em>bien</em>&#8239;!" in read(second / "cest-bien.html")


def test_kept_results_serve_the_next_build_and_give_way_to_new_rules(tmp_path, no_warnings):
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    first = build(tmp_path, "first", **cached)
    kept = tmp_path / "cache" / "french_typography.pickle"
    assert kept.is_file()
    second = build(tmp_path, "second", **cached)
    assert read(second / "cest-bien.html") == read(first / "cest-bien.html")
    # New rules (raw characters instead of references): nothing kept from the old ones is served.
    raw = build(tmp_path, "raw", FRENCH_TYPOGRAPHY={"entities": False}, **cached)
    html = read(raw / "cest-bien.html")
    assert f"Il a dit «{NNBSP}oui{NNBSP}»{NBSP}: c’est <em>bien</em>{NNBSP}!" in html
    assert "&#8239;" not in html.split("<body", 1)[1]
