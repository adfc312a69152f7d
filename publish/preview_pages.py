"""The preview's static handler: the pages as production's nginx serves them, form token and 404 page included.

nginx answers an unknown address with the site's own ``404.html`` and status 404
(``error_page`` in deploy/nginx/zohe-site.conf). Tornado, under livereload, answered
with its own English "404: Not Found": an author could not see the page a reader
gets, nor follow its links back into the site. The form token's include is
publish/preview_token.py's.
"""

import os

from publish import preview_token

NOT_FOUND_PAGE = "404.html"


def handler(comments_url):
    """livereload's static handler, with fresh form tokens from ``comments_url`` and the site's 404 page."""

    class SitePagesHandler(preview_token.handler(comments_url)):
        def write_error(self, status_code, **kwargs):
            page = os.path.join(self.root, NOT_FOUND_PAGE)
            if status_code != 404 or not os.path.isfile(page):
                return super().write_error(status_code, **kwargs)
            # Read at each answer: the next build may have changed it.
            with open(page, "rb") as f:
                body = f.read()
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            return self.finish(body)

    return SitePagesHandler
