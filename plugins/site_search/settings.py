"""Defaults of the site search plugin, merged with the site's `SITE_SEARCH` setting."""

DEFAULTS = {
    # Where the bundle goes, relative to the output; the search page loads it from there.
    "bundle_dir": "pagefind",
    # Only the page's main region is read: navigation and footer words would otherwise
    # match every page. Within it the templates (article.html, page.html) mark the text with
    # data-pagefind-body, so that the category, title, byline, an offer's summary box and
    # the tags are not the start of an excerpt; Pagefind searches the title (the first h1)
    # by itself.
    "root_selector": "main",
    # The discussion (baked comments) is readers' text, not ours to rank. Outside the
    # marked text already; named here too for the digest of what Pagefind reads.
    "exclude_selectors": ("#discussion", ".discussion", "nav"),
    # Pages carry lang="fr"; forcing it keeps one index even if a page forgets it.
    "language": "fr",
    # A folder where bundles are kept between builds (publishconf.py sets one in the kept
    # cache); a build whose indexed text is that of a kept bundle reuses it. None: none kept.
    "cache": None,
    # Bundles kept in that folder; the oldest go first.
    "kept_bundles": 2,
    # Pagefind's own French (its Component UI's) has a few typographic slips and odd words;
    # these replace them. The search label is the field's visible label.
    "translations": {
        "search_label": "Chercher dans les chroniques et les pages",
        "placeholder": "Un mot, un nom, une idée",
        "clear_search": "Effacer",
        "search_suggestion": "Pas de résultat pour [SEARCH_TERM]. Essayez plutôt\u00a0:",
        "searching": "Recherche de [SEARCH_TERM]…",
        "alt_search": "Pas de résultat pour [SEARCH_TERM]. Résultats pour [DIFFERENT_TERM]\u00a0:",
        "loading": "Chargement…",
    },
}


def get_settings(pelican_settings):
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("SITE_SEARCH", {}))
    return settings
