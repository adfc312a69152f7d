"""Pagefind indexes every chronicle and page, however many there are, and no list page."""

import json

# support imports publish, which puts plugins/ on sys.path.
from support import ROOT, build_prod

import pagefind_bundle
from site_search import site_search
from site_search.settings import get_settings
PAGE = '<!doctype html><html lang="fr"><head><title>{n}</title></head><body><main><h1>Chronique {n}</h1><p>mesure{n}</p></main></body></html>'


class Document:
    def __init__(self, save_as):
        self.save_as = save_as


def test_thousands_of_chronicles_are_indexed_and_no_list_page(tmp_path):
    # Listed one by one, 5,000 chronicles made a glob Pagefind could not parse.
    for n in range(5000):
        path = tmp_path / "chroniques" / f"une-chronique-au-titre-assez-long-{n:05d}" / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(PAGE.format(n=n), encoding="utf-8")
    for listing in ("index.html", "page/2/index.html", "categories/index.html", "a-propos/index.html"):
        (tmp_path / listing).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / listing).write_text(PAGE.format(n=listing), encoding="utf-8")
    context = {"articles": [Document("chroniques/x/index.html")], "pages": [Document("a-propos/index.html")]}
    globs = site_search._indexed_files(context, {"ARTICLE_SAVE_AS": "chroniques/{slug}/index.html"})
    assert globs == ["a-propos/index.html", "chroniques/*/index.html"]
    options = get_settings({})
    result = pagefind_bundle.run_pagefind(tmp_path, globs, options)
    assert result.returncode == 0, result.stderr
    entry = json.loads((tmp_path / options["bundle_dir"] / "pagefind-entry.json").read_text())
    assert entry["languages"]["fr"]["page_count"] == 5001


def _bundle(output):
    folder = output / get_settings({})["bundle_dir"]
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in (".br", ".gz")
    }


def test_a_rebuild_that_only_publishes_a_comment_reuses_the_search_bundle(tmp_path, monkeypatch):
    """The discussion is not indexed: publishing a comment needs no new index, editing a text does."""
    import shutil

    from isso import config
    from isso.db import SQLite3


    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    database = tmp_path / "comments.db"
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(database))
    monkeypatch.setenv("ZOHE_CACHE_PATH", str(tmp_path / "kept"))
    runs = []

    class CountedIndexing(pagefind_bundle.Indexing):
        def __init__(self, *args):
            runs.append(args)
            super().__init__(*args)

    monkeypatch.setattr(pagefind_bundle, "Indexing", CountedIndexing)

    first = build_prod(tmp_path / "first", PATH=str(content))
    assert len(runs) == 1

    conf = config.load(config.default_file(), str(ROOT / "comments" / "isso.cfg"))
    conf.set("general", "dbpath", str(database))
    db = SQLite3(str(database), conf)
    uri = "/chroniques/la-juste-mesure/"
    db.threads.new(uri, "La juste mesure")
    db.comments.add(uri, {"text": "Un avis publié.", "author": "Pauline", "email": None, "website": None,
                          "parent": None, "mode": 1, "remote_addr": "127.0.0.0"})
    with_comment = build_prod(tmp_path / "comment", PATH=str(content))
    assert "Un avis publié." in (with_comment / "chroniques/la-juste-mesure/index.html").read_text(encoding="utf-8")
    assert len(runs) == 1, "Pagefind ran although no indexed text changed"
    assert _bundle(with_comment) == _bundle(first)
    # The bundle reused is the one Pagefind makes of this very output.
    monkeypatch.delenv("ZOHE_CACHE_PATH")
    assert _bundle(build_prod(tmp_path / "fresh", PATH=str(content))) == _bundle(with_comment)
    monkeypatch.setenv("ZOHE_CACHE_PATH", str(tmp_path / "kept"))

    # A kept file damaged: indexed again, and right.
    damaged = next((tmp_path / "kept" / "search").glob("*/bundle/pagefind-entry.json"))
    damaged.unlink()  # not through the hard links of the outputs
    damaged.write_text("{}", encoding="utf-8")
    runs.clear()
    again = build_prod(tmp_path / "again", PATH=str(content))
    assert len(runs) == 1 and _bundle(again) == _bundle(first)

    # A text edited: Pagefind runs, given the kept bundle's files named after their contents;
    # it makes only the changed ones, and those the new index no longer uses are removed.
    seeds = []
    seed = pagefind_bundle.BundleCache.seed
    def recorded_seed(self, bundle):
        seeded = seed(self, bundle)
        seeds.extend(seeded)
        return seeded

    monkeypatch.setattr(pagefind_bundle.BundleCache, "seed", recorded_seed)
    chronicle = content / "chroniques" / "la-juste-mesure.md"
    chronicle.write_text(chronicle.read_text(encoding="utf-8") + "\nUn mot nouveau : ornithorynque.\n", encoding="utf-8")
    runs.clear()
    edited = build_prod(tmp_path / "edited", PATH=str(content))
    assert len(runs) == 1
    assert any(name.startswith("fragment/") for name in seeds)
    assert _bundle(edited) != _bundle(first)
    assert set(_bundle(first)) - set(_bundle(edited)), "no file of the old index was removed"
    monkeypatch.delenv("ZOHE_CACHE_PATH")
    assert _bundle(build_prod(tmp_path / "fresh-edited", PATH=str(content))) == _bundle(edited)


def test_the_digest_leaves_out_only_the_discussion():
    page = (b'<main><h1>Titre</h1><p>Texte.</p><section class="discussion" id="discussion"><h2>Rejoindre</h2>'
            b'<section id="isso-thread"><div>%s</div></section></section></main>')
    cut = pagefind_bundle._without_elements
    assert cut(page % b"Un avis.", ["discussion"]) == cut(page % b"Un autre avis, plus long.", ["discussion"])
    assert b"Texte." in cut(page % b"", ["discussion"])
    assert cut(page.replace(b"Texte.", b"Autre."), ["discussion"]) != cut(page, ["discussion"])
    assert cut(page, ["absent"]) == page
    def whole(count):
        return (b'<html lang="fr"><head><script>{"commentCount": %s}</script></head><body>' % count
                + page % b"Un avis." + b"</body></html>")

    root = pagefind_bundle._root_element
    assert root(whole(b"1"), "main") == root(whole(b"2"), "main")
    assert root(whole(b"1"), "main").startswith(b'<html lang="fr"><main><h1>Titre')
    assert root(whole(b"1"), "#contenu") == whole(b"1")


def test_pagefind_failing_in_the_background_fails_the_build_and_publishes_nothing(tmp_path, monkeypatch):
    import pytest

    from publish.build import BuildError

    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    monkeypatch.setattr(pagefind_bundle, "pagefind_executable", lambda: "/bin/false")
    with pytest.raises(BuildError) as failure:
        build_prod(tmp_path / "output")
    assert any("Pagefind s’est arrêté avec le code 1" in problem for problem in failure.value.problems)
    assert not (tmp_path / "output").exists()
    assert not list(tmp_path.glob(".output.*")), "the staging folder was left behind"


def test_the_meta_index_is_read_as_cbor():
    # ["1.5.2", [["fr_abc", 263]], 1.5, {"k": h'00'}]: text, arrays, a two-byte integer, a float, a map, bytes.
    data = bytes.fromhex("84" "65") + b"1.5.2" + bytes.fromhex("81" "82" "66") + b"fr_abc" + bytes.fromhex(
        "190107" "f93e00" "a1" "61") + b"k" + bytes.fromhex("4100")
    assert pagefind_bundle._cbor_strings(data) == {"1.5.2", "fr_abc", "k"}
    import pytest

    with pytest.raises(ValueError):
        pagefind_bundle._cbor_strings(data[:-1])  # a byte string cut short
    with pytest.raises(ValueError):
        pagefind_bundle._cbor_strings(bytes.fromhex("9f"))  # an array of indefinite length, never closed


def test_an_index_pagefind_could_not_be_sorted_from_is_made_afresh(tmp_path, monkeypatch):
    """Should a later Pagefind write its meta index otherwise, the reused files are dropped, not guessed at."""
    import shutil


    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    monkeypatch.setenv("ZOHE_CACHE_PATH", str(tmp_path / "kept"))
    build_prod(tmp_path / "first", PATH=str(content))
    chronicle = content / "chroniques" / "la-juste-mesure.md"
    chronicle.write_text(chronicle.read_text(encoding="utf-8") + "\nUn mot nouveau : ornithorynque.\n", encoding="utf-8")

    def unreadable(data):
        raise ValueError("a meta index of another format")

    monkeypatch.setattr(pagefind_bundle, "_cbor_strings", unreadable)
    edited = build_prod(tmp_path / "edited", PATH=str(content))
    monkeypatch.delenv("ZOHE_CACHE_PATH")
    assert _bundle(build_prod(tmp_path / "fresh", PATH=str(content))) == _bundle(edited)
