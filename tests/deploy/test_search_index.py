"""Pagefind indexes every chronicle and page, however many there are, and no list page."""

import json

from publish import plugin_module

site_search = plugin_module("site_search")
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
    options = site_search.get_settings({})
    result = site_search.run_pagefind(tmp_path, globs, options)
    assert result.returncode == 0, result.stderr
    entry = json.loads((tmp_path / options["bundle_dir"] / "pagefind-entry.json").read_text())
    assert entry["languages"]["fr"]["page_count"] == 5001
