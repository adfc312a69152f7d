"""Defaults of the site search plugin, merged with the site's `SITE_SEARCH` setting."""

DEFAULTS = {
    # Where the bundle goes, relative to the output; the search page loads it from there.
    "bundle_dir": "pagefind",
    # Only the text of the page's main region is indexed: navigation and footer words
    # would otherwise match every page.
    "root_selector": "main",
    # The discussion (baked comments) is readers' text, not ours to rank; the byline and
    # tag list repeat on every chronicle.
    "exclude_selectors": ("#discussion", ".discussion", "nav"),
    # The element of the search page (theme/templates/search.html) the UI goes into.
    "element": "#recherche",
    # Pages carry lang="fr"; forcing it keeps one index even if a page forgets it.
    "language": "fr",
    # A folder where bundles are kept between builds (publishconf.py sets one in the kept
    # cache); a build whose indexed text is that of a kept bundle reuses it. None: none kept.
    "cache": None,
    # Bundles kept in that folder; the oldest go first.
    "kept_bundles": 2,
    # Pagefind's own French has a few typographic slips and odd words; these replace them.
    "translations": {
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
