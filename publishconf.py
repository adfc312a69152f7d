"""Pelican settings for the published site: pelicanconf.py plus what production changes."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F401,F403
import comments_database  # noqa: E402
import legal_notice  # noqa: E402

SITEURL = os.environ.get("ZOHE_SITEURL", "https://zohe.fr").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

COMMENTS_URL = os.environ.get("ZOHE_COMMENTS_URL", SITEURL + "/isso").rstrip("/")
# The comment server's database (ZOHE_COMMENTS_DB, else its production place).
BAKED_COMMENTS = {"database": comments_database.path(default=comments_database.PRODUCTION)}

# The legal notice's facts, from deploy.env (legal_notice.FACTS names the variables): a
# publication lacking one is refused before it is built (deploy/settings.py). A page
# still carrying a placeholder fails the build (plugins/zohe_checks/placeholders.py).
LEGAL_NOTICE = legal_notice.from_environment(os.environ)
PREVIEW_NOTICES = False

# Drafts are never written; a chronicle dated in the future stays a draft until
# the first production build on or after its date. They keep their preview URL, so
# that a link to one fails the link check (it would lead to the home page if empty).
WITH_FUTURE_DATES = False
SHOW_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Production-only output: responsive image variants, hashed theme assets, the search
# index, then .gz and .br copies of every text file for nginx's gzip_static/brotli_static.
# The precompression plugin runs on granular signals' `compress`, after `optimize` (hashed
# names), and after the site_search generator, so that every rewritten file is compressed.
PLUGINS = PLUGINS + [  # noqa: F405
    "scheduled_chronicles",  # tells deploy.refresh when a future chronicle is due
    "responsive_images",  # runs pelican-image-process itself
    "hashed_assets",
    "site_search",
    "precompression",
]
IMAGE_PROCESS_DIR = "variantes"
# The search page (theme/templates/search.html), whose bundle only production builds, and
# robots.txt, whose Sitemap line needs the absolute address only production has.
SEARCH_URL = "recherche/"
TEMPLATE_PAGES = {  # noqa: F405
    **TEMPLATE_PAGES,  # noqa: F405
    "search.html": "recherche/index.html",
    "robots.txt": "robots.txt",
}

# A cache kept from one production build to the next (the deployment hook keeps one beside
# the releases): Markdown parsed by an earlier build, and files it compressed, are reused
# when their bytes have not changed; the reader cache has a folder per version of the code
# and of the values read from the environment above (publish/content_cache.py).
if os.environ.get("ZOHE_CACHE_PATH"):
    from publish import content_cache

    CACHE_PATH = content_cache.folder(os.environ["ZOHE_CACHE_PATH"], SITEURL, COMMENTS_URL)
    CACHE_CONTENT = True
    LOAD_CONTENT_CACHE = True
    CONTENT_CACHING_LAYER = "reader"
    # A new checkout gives every file a new mtime: compare contents instead.
    CHECK_MODIFIED_METHOD = "sha256"
    PRECOMPRESSION = {"folder": os.path.join(os.environ["ZOHE_CACHE_PATH"], "precompressed")}
    # The search bundle is made again only when the indexed text changed (not for a comment).
    SITE_SEARCH = {"cache": os.path.join(os.environ["ZOHE_CACHE_PATH"], "search")}
