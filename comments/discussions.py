"""Takes a new comment only for a discussion the published site offers, and names its thread as the site does.

Isso made a thread for any address on the site a post named: a chronicle whose
discussion is closed, or a page that does not exist, and the first post's ``title``
became the thread's name in every moderation mail and on the admin page. The build
lists the discussions whose page shows the form, with their titles (open_discussions);
with ``ZOHE_SITE_ROOT`` naming the published site (comments.settings), a ``POST /new``
for an address not listed is refused in French before anything is counted or stored,
and a listed one carries the listed title whatever the post said.

No list to read (the variable unset, as in the API's tests; a site not yet built with
it; a broken file) takes every address as before and says so in the log: a comment is
held for moderation anyway, and refusing them all would lose readers' words.
"""

import logging

from werkzeug.wrappers import Request

from comments import validation, web
from open_discussions import Published

logger = logging.getLogger(__name__)

CLOSED = "Cette discussion n’accepte pas de nouveau commentaire\u00a0: le vôtre n’a pas été enregistré."


class OpenDiscussions:
    """Refuses ``POST /new`` for an address the published site offers no form for; sets the thread's title."""

    def __init__(self, app, site_root):
        self.app = app
        self.published = Published(site_root) if site_root else None
        if self.published is None:
            logger.warning("ZOHE_SITE_ROOT is not set: comments are taken for every address on the site")

    def __call__(self, environ, start_response):
        if self.published is None or environ.get("REQUEST_METHOD") != "POST" or web.route_path(environ) != "/new":
            return self.app(environ, start_response)
        uri = Request(environ).args.get("uri")
        titles = self.published.titles()
        if uri is None or titles is None:
            return self.app(environ, start_response)
        if uri not in titles:
            return web.error(start_response, "403 Forbidden", CLOSED)
        # Parsed and checked to be an object by comments.validation, outside this layer.
        data = environ[validation.PARSED_BODY]
        if data.get("title") != titles[uri]:
            data["title"] = titles[uri]
            web.replace_body(environ, web.json_body(data))
        return self.app(environ, start_response)
