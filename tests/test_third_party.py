"""Nothing of another host is fetched by a chronicle, a page or a feed: a video is a card that loads nothing before the click; links to the old site get their new form."""

import html
import re
import shutil
import xml.etree.ElementTree as ElementTree

import markdown
import pytest

from bench.weight import html_requests, origin
from support import ROOT
from publish.build import BuildError, build
from publish.serve import Preview
import video_hosts
from video_cards.video_cards import VideoCards
from zohe_checks.old_site_links import old_addresses
from zohe_checks.third_party import foreign_fetches

WATCH = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
CARD_CHRONICLE = f"""Title: Une vidéo de l’atelier
Date: 2024-05-02 10:00
Author: Jean & Nathalie
Category: Les Chroniques de Zôhé
Tags: essai
Summary: Un résumé de test, qui renvoie vers [un autre site](https://www.exemple.org/).
Slug: une-video-de-l-atelier

Avant la vidéo, [un lien vers un autre site](https://www.exemple.org/page) reste un lien.

[![L’atelier : la juste mesure]({{static}}/images/vignette.svg)]({WATCH})

Après la vidéo.
"""
IFRAME_CHRONICLE = """Title: Un lecteur intégré
Date: 2024-05-03 10:00
Author: Jean & Nathalie
Category: Les Chroniques de Zôhé
Tags: essai
Summary: Un résumé de test.

<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" allowfullscreen></iframe>
"""
FEEDS = [
    "feeds/chroniques.atom.xml",
    "feeds/chroniques.rss.xml",
    "feeds/categories/les-chroniques-de-zohe.atom.xml",
    "feeds/categories/les-chroniques-de-zohe.rss.xml",
]
PAGE = "chroniques/une-video-de-l-atelier/index.html"
# Any absolute or protocol-relative address, in text or in markup.
ADDRESS = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""")
# Addresses a build writes that are not another host's: the preview's feed domain, XML namespaces.
OWN = ("http://127.0.0.1:8000", "http://www.w3.org/", "http://purl.org/dc/")
# Origins the preview's pages fetch from: the site (its canonical address) and the comment server.
PREVIEW = (None, origin("http://127.0.0.1:8000"), origin("http://127.0.0.1:8080"))


@pytest.fixture(scope="module")
def card_site(tmp_path_factory):
    """The real content with a chronicle holding a video card, built for the preview."""
    content = tmp_path_factory.mktemp("cards") / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(content / "images" / "la-juste-mesure.svg", content / "images" / "vignette.svg")
    (content / "chroniques" / "video.md").write_text(CARD_CHRONICLE, encoding="utf-8")
    return content, build(output=content.parent / "output", overrides={"PATH": str(content)})


def feed_bodies(site, name):
    """The HTML of each entry of a built feed (Atom content and summary, RSS description)."""
    tree = ElementTree.parse(site / name)
    return [element.text or "" for element in tree.iter()
            if element.tag.rpartition("}")[2] in ("content", "summary", "description")]


def foreign_addresses(text):
    return {address for address in ADDRESS.findall(html.unescape(text)) if not address.startswith(OWN)}


def test_a_thumbnail_linked_to_a_video_becomes_a_card(card_site):
    _content, site = card_site
    page = (site / PAGE).read_text(encoding="utf-8")
    card = re.search(r'<p class="video-card">(.*?)</p>', page, re.DOTALL)
    assert card, page
    assert f'<a class="video-card__link" href="{WATCH}">' in card.group(1)
    assert re.search(r'<img alt="L’atelier : la juste mesure" src="[./]*images/vignette.svg">', card.group(1))
    assert 'class="video-card__title">L’atelier&#160;: la juste mesure</span>' in card.group(1)
    assert ">Regarder sur YouTube (le lien ouvre youtube.com)</span>" in card.group(1)


def test_the_card_names_no_other_host_but_its_link_in_the_page_and_the_four_feeds(card_site):
    _content, site = card_site
    page = (site / PAGE).read_text(encoding="utf-8")
    text = re.search(r'<div class="prose"[^>]*>(.*?)</div>', page, re.DOTALL).group(1)
    assert foreign_addresses(text) == {WATCH, "https://www.exemple.org/page"}
    # The page fetches nothing but from the site and the (preview's) comment server.
    assert [url for url in html_requests(page) if origin(url) not in PREVIEW] == []
    for name in FEEDS:
        entry = next(body for body in feed_bodies(site, name) if "video-card" in body)
        assert foreign_addresses(entry) == {WATCH, "https://www.exemple.org/page"}, name
        assert f'<a class="video-card__link" href="{WATCH}">' in entry, name


def test_no_feed_of_a_build_fetches_from_another_host_even_when_a_chronicle_would(card_site):
    """A chronicle with a player fails the build: the published feeds stay those without it."""
    content, site = card_site
    (content / "chroniques" / "lecteur.md").write_text(IFRAME_CHRONICLE, encoding="utf-8")
    try:
        with pytest.raises(BuildError):
            build(output=site, overrides={"PATH": str(content)})
    finally:
        (content / "chroniques" / "lecteur.md").unlink()
    feeds = sorted(path.relative_to(site).as_posix() for path in site.glob("feeds/**/*.xml"))
    assert feeds == sorted(FEEDS)
    for name in feeds:
        bodies = feed_bodies(site, name)
        assert bodies and not any("youtube.com/embed" in body for body in bodies), name
        assert [url for body in bodies for url in html_requests(body) if origin(url)] == [], name


def test_the_preview_does_not_show_an_edit_that_adds_a_player(tmp_path, capsys):
    """The edited chronicle is rendered alone only when its checks pass: this one never is."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    preview = Preview(output=tmp_path / "output", overrides={
        "PATH": str(content), "BAKED_COMMENTS": {"database": str(tmp_path / "no-comments.db")}})
    assert preview.full_build()
    page = tmp_path / "output" / "chroniques" / "la-juste-mesure" / "index.html"
    before = page.read_bytes()
    source = content / "chroniques" / "la-juste-mesure.md"
    source.write_text(source.read_text(encoding="utf-8") + IFRAME_CHRONICLE.split("\n\n", 1)[1], encoding="utf-8")

    assert not preview.render_edited([str(source)])
    assert not preview.full_build()
    assert page.read_bytes() == before
    assert "chroniques/la-juste-mesure.md, ligne" in capsys.readouterr().out


# ---------------------------------------------------------------- what counts as fetching

FETCHING = [
    '<iframe src="https://www.youtube.com/embed/x"></iframe>',
    '<script async src="https://platform.twitter.com/widgets.js"></script>',
    '<img src="//cdn.exemple.net/a.png" alt="a">',
    '<img src="/a.png" srcset="/a.png 1x, https://cdn.exemple.net/a2.png 2x" alt="a">',
    '<picture><source srcset="https://cdn.exemple.net/a.webp"><img src="/a.png" alt="a"></picture>',
    '<video poster="https://cdn.exemple.net/p.jpg"></video>',
    '<audio src="https://cdn.exemple.net/s.mp3"></audio>',
    '<video><track src="https://cdn.exemple.net/t.vtt"></video>',
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=X">',
    '<object data="https://cdn.exemple.net/o.swf"></object>',
    '<embed src="https://cdn.exemple.net/e.swf">',
    '<form action="https://forms.exemple.net/f"><input name="q"></form>',
    '<div style="background:url(https://cdn.exemple.net/b.png)">x</div>',
    "<style>@import 'https://cdn.exemple.net/s.css';</style>",
    '<iframe srcdoc="&lt;img src=&quot;https://cdn.exemple.net/i.png&quot;&gt;"></iframe>',
    '<a href="/x" ping="https://tracker.exemple.net/p">x</a>',
    '<base href="https://cdn.exemple.net/">',
    '<img src=" HTTPS:\\\\cdn.exemple.net/a.png" alt="a">',
    '<img src="&#47;&#47;cdn.exemple.net/a.png" alt="a">',
]
NOT_FETCHING = [
    '<a href="https://www.exemple.org/">un lien</a>',
    '<p><code>&lt;iframe src="https://www.youtube.com/embed/x"&gt;</code></p>',
    '<!-- <img src="https://cdn.exemple.net/a.png"> -->',
    '<img src="{static}/images/a.png" alt="a">',
    '<img src="../images/a.png" alt="a">',
    '<img src="data:image/png;base64,AAAA" alt="a">',
    '<img src="https://zohe.example/images/a.png" alt="a">',
    '<img src="//zohe.example/images/a.png" alt="a">',
    "<p>Écrivez https://www.exemple.org/ dans la barre d’adresse.</p>",
]


@pytest.mark.parametrize("fragment", FETCHING)
def test_what_fetches_from_another_host_is_found(fragment):
    assert foreign_fetches(fragment, "zohe.example"), fragment


@pytest.mark.parametrize("fragment", NOT_FETCHING)
def test_links_code_comments_and_the_sites_own_files_fetch_nothing_from_another_host(fragment):
    assert foreign_fetches(fragment, "zohe.example") == [], fragment


# ---------------------------------------------------------------- cards and video hosts

def cards(text):
    return markdown.markdown(text, extensions=[VideoCards(hosts=list(video_hosts.HOSTS))])


@pytest.mark.parametrize("url, name, domain", [
    ("https://www.youtube.com/watch?v=abc", "YouTube", "youtube.com"),
    ("https://youtu.be/abc", "YouTube", "youtu.be"),
    ("https://vimeo.com/123456", "Vimeo", "vimeo.com"),
    ("https://www.dailymotion.com/video/x8abc", "Dailymotion", "dailymotion.com"),
    ("https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "PeerTube", "framatube.org"),
])
def test_a_thumbnail_linked_to_each_video_host_makes_a_card_naming_it(url, name, domain):
    made = cards(f"[![Le titre]({{static}}/images/v.jpg)]({url})")
    assert f"Regarder sur {name} (le lien ouvre {domain})" in made, made


@pytest.mark.parametrize("text", [
    "[![Le titre]({static}/images/v.jpg)](https://fr.wikipedia.org/w/index.php?title=Balance)",
    "[![Le titre](https://i.ytimg.com/vi/abc/hqdefault.jpg)](https://www.youtube.com/watch?v=abc)",
    "Voyez [![Le titre]({static}/images/v.jpg)](https://www.youtube.com/watch?v=abc) ici.",
    "[Le titre seul](https://www.youtube.com/watch?v=abc)",
])
def test_anything_else_stays_as_written(text):
    assert "video-card" not in cards(text)


@pytest.mark.parametrize("player, watch", [
    ("https://www.youtube-nocookie.com/embed/abc_-1?start=3", "https://www.youtube.com/watch?v=abc_-1"),
    ("//www.youtube.com/embed/abc", "https://www.youtube.com/watch?v=abc"),
    ("https://player.vimeo.com/video/123456?h=1", "https://vimeo.com/123456"),
    ("https://www.dailymotion.com/embed/video/x8abc", "https://www.dailymotion.com/video/x8abc"),
    ("https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
     "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"),
])
def test_a_players_address_gives_the_videos_own_page_for_the_card(player, watch):
    assert video_hosts.watch_address(player, video_hosts.HOSTS) == watch


# ---------------------------------------------------------------- links to the old site

OLD_HOSTS = {"zohe.fr", "www.zohe.fr", "zohe.example"}
PAGES = {"notre-promesse", "chroniques/la-juste-mesure"}


@pytest.mark.parametrize("url, slug", [
    ("https://zohe.fr/la-juste-mesure/", "la-juste-mesure"),
    ("http://www.zohe.fr/2023/03/14/la-juste-mesure/#comments", "la-juste-mesure"),
    ("https://zohe.example/la-juste-mesure", "la-juste-mesure"),  # the new site's host, the old form
])
def test_an_old_address_gives_its_slug(url, slug):
    assert list(old_addresses([url], OLD_HOSTS, PAGES)) == [(url, slug)]


@pytest.mark.parametrize("url", [
    "https://zohe.fr/notre-promesse/",  # a page of the new site, at the same address
    "https://zohe.example/chroniques/la-juste-mesure/",  # the new address
    "https://zohe.fr/",
    "https://www.exemple.org/la-juste-mesure/",  # another site
    "/la-juste-mesure/",
])
def test_other_addresses_are_left_alone(url):
    assert list(old_addresses([url], OLD_HOSTS, PAGES)) == []
