"""Pelican settings for the published site: pelicanconf.py plus what production changes."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("ZOHE_SITEURL", "https://zohe.fr").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

COMMENTS_URL = os.environ.get("ZOHE_COMMENTS_URL", SITEURL + "/isso").rstrip("/")
BAKED_COMMENTS = {"database": os.environ.get("ZOHE_COMMENTS_DB", "/var/lib/zohe/comments.db")}

# Drafts are never written; a chronicle dated in the future stays a draft until
# the first production build on or after its date.
WITH_FUTURE_DATES = False
SHOW_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_URL = ""
