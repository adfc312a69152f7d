"""Pelican settings for writing and previewing the Zôhé site on one's own machine."""

from pathlib import Path
import sys

HERE = Path(__file__).resolve().parent
# The site's own modules beside this file (publishconf.py does the same).
if str(HERE) not in sys.path:
    sys.path.append(str(HERE))
import french_words  # noqa: E402

AUTHOR = "Zôhé"
SITENAME = "Zôhé"
SITESUBTITLE = "Collectif d’entrepreneur·e·s indépendant·e·s"
SITEURL = ""
RELATIVE_URLS = True
# Feeds need absolute links even in the preview.
FEED_DOMAIN = "http://127.0.0.1:8000"

PATH = str(HERE / "content")
OUTPUT_PATH = str(HERE / "output")
CACHE_PATH = str(HERE / "cache")
ARTICLE_PATHS = ["chroniques"]
PAGE_PATHS = ["pages"]
# documents/: PDFs and other files linked from the text (the WordPress import copies them there).
STATIC_PATHS = ["images", "extra", "documents"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/favicon.ico": {"path": "favicon.ico"},
}

TIMEZONE = french_words.TIMEZONE
DEFAULT_LANG = "fr"
DEFAULT_CATEGORY = "Les Chroniques de Zôhé"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

THEME = str(HERE / "theme")
PLUGIN_PATHS = [str(HERE / "plugins")]
PLUGINS = [
    "french_typography",
    "baked_comments",
    "zohe_checks",
    "legal_facts",  # the legal notice's facts (LEGAL_NOTICE below) into its page
    "merged_tags",  # `économie`, `Économie` and `economie` are one tag, under one name
    "video_cards",  # a thumbnail linked to a video becomes a card that loads nothing from its host
    "pelican.plugins.sitemap",
    "sitemap_dates",  # its listing pages dated by the latest chronicle or page, not the build
    "sitemap_indexable",  # only the pages search engines may index, as each page's robots meta says
    "site_feeds",  # feeds in French (language, titles), RSS guids that are not links, {feed} links
    "pelican.plugins.neighbors",  # a chronicle's older and newer neighbours, for its page
    "accessibility_statement",  # the statement's figures, from the project's own axe-core sweep
]

# Pretty, French, stable URLs: a chronicle's address never changes once published.
ARTICLE_URL = "chroniques/{slug}/"
ARTICLE_SAVE_AS = "chroniques/{slug}/index.html"
DRAFT_URL = "brouillons/{slug}/"
DRAFT_SAVE_AS = "brouillons/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_PAGE_URL = "brouillons/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "brouillons/pages/{slug}/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = "categories/{slug}/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
TAG_URL = "mots-cles/{slug}/"
TAG_SAVE_AS = "mots-cles/{slug}/index.html"
TAGS_URL = "mots-cles/"
TAGS_SAVE_AS = "mots-cles/index.html"
AUTHOR_URL = "auteurs/{slug}/"
AUTHOR_SAVE_AS = "auteurs/{slug}/index.html"
AUTHORS_URL = "auteurs/"
AUTHORS_SAVE_AS = "auteurs/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "archives/{date:%Y}/{date:%m}/index.html"
PERIOD_ARCHIVES_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]
TEMPLATE_PAGES = {"404.html": "404.html"}

DEFAULT_PAGINATION = 5
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds carry full chronicles, for all of them and per category; nothing per author or tag.
FEED_ALL_ATOM = "feeds/chroniques.atom.xml"
FEED_ALL_RSS = "feeds/chroniques.rss.xml"
CATEGORY_FEED_ATOM = "feeds/categories/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/categories/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {
            # Python-Markdown's tooltip is English ("Jump back to footnote 1 in the text"). The
            # typography plugin leaves attributes alone, so it is written typeset here.
            "footnotes": {"BACKLINK_TITLE": "Revenir à l’appel de la note %d dans le texte"},
            # A column's alignment as an attribute, which table_alignment turns into a class:
            # the default inline style is blocked by the site's Content-Security-Policy.
            "tables": {"use_align_attribute": True},
        },
        "table_alignment": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# French typography is the `french_typography` plugin's job (the rules and their defaults live in
# french_text.py; a FRENCH_TYPOGRAPHY dict here overrides them for authors' text).
# Typogrify stays off: its smartypants and initial_quotes filters write English quotes (“oui”)
# over French text, and caps and amp add spans the theme does not style. Widont, the one filter
# harmless in French, mostly glues a final "?" or "!" that the plugin already binds, yet alone it
# cost more (3.5 % of a 1,000-chronicle build's CPU time) than the whole French plugin (under 2 %).
# If it is ever turned back on, these filters must stay omitted.
TYPOGRIFY = False
TYPOGRIFY_OMIT_FILTERS = ["smartypants", "initial_quotes", "caps", "amp"]

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.6},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}


def asset(path):
    """A theme file's name under THEME_STATIC_DIR; production's hashed_assets plugin hashes it."""
    return path


# The French words of dates and counts (`date_fr`, `moment_fr`, `replies`, `discussion_count`)
# have their one home in french_words.py.
JINJA_FILTERS = {**french_words.FILTERS, "asset": asset}
# Pelican makes a new template environment for every build: no need to stat each template
# again at every include (23,000 times a build at 1,000 chronicles).
# (Pelican adds its defaults, trim_blocks and lstrip_blocks, to what is set here.)
JINJA_ENVIRONMENT = {"auto_reload": False}

# The comment server (Isso) the pages talk to; `invoke serve` starts it here.
COMMENTS_URL = "http://127.0.0.1:8080"
# Approved comments are read from Isso's database at build time (missing: none yet): the
# preview's comment server's, where comments_database finds it (ZOHE_COMMENTS_DB, else
# var/comments.db). A BAKED_COMMENTS dict here would override plugins/baked_comments/settings.py.

# The legal notice's facts the law asks for (legal_notice.FACTS): the preview has none and
# says so in the page; production reads them from deploy.env (publishconf.py).
LEGAL_NOTICE = {}
# What production refuses (a placeholder left in a page, a fact of the legal notice not
# given), the preview builds and says at the top of the page (plugins/unfinished.py).
PREVIEW_NOTICES = True

# Previews show drafts and chronicles dated in the future; production does not.
WITH_FUTURE_DATES = True
SHOW_DRAFTS = True

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# When a cache is kept (the preview, production's ZOHE_CACHE_PATH), it is written plainly:
# gzip at level 9 made saving the parsed Markdown of 1,000 chronicles cost 0.6 s a build.
GZIP_CACHE = False
# Pages rendered by two processes, the build's and a forked child
# (pelican_internals.run_on_two_cores): the same bytes as one process,
# tests/test_build_speed.py; `invoke bench` measures both. False: one process.
PARALLEL_BUILD = True
DELETE_OUTPUT_DIRECTORY = False
