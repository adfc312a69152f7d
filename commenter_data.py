"""What the build and the comment server share about the page where commenters get or erase their own data: its address and how long its link lasts.

The comment server serves the page (comments.data_pages); the theme links to it from the
discussion and from the privacy policy (partials/own_data.html), which states the
link's lifetime in the words below: one home for the duration, read by both.
"""

# Under the comment server's address (COMMENTS_URL, its public endpoint).
PATH = "/mes-donnees"
# How long the e-mailed link, and the page it opens, last (seconds), and those words for readers.
LINK_LIFETIME = 3600
LIFETIME_WORDS = "une heure"


def page_url(comments_url):
    """The page's address on the comment server at ``comments_url``."""
    return comments_url.rstrip("/") + PATH
