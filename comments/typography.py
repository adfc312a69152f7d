"""The site's French typography on the comments of the comment server's JSON answers.

The build bakes each approved comment into its chronicle as Isso's rendered HTML set with
french_text.typeset (plugins/baked_comments); the thread the reader's browser later reads
from this server must be the same HTML, or the text would change under the reader's eyes
when a script refreshes the thread. So every rendered ``text`` of a comment in a JSON
answer (thread reads, ``GET /id/N``, the answers to ``POST /new``, an edit or a preview)
goes through the same function. Answers with ``plain=1`` carry what the commenter typed,
for editing: left as typed, or an edit would save our spaces as theirs.
"""

from urllib.parse import parse_qs

from french_text import typeset

from comments import web


def rendered(environ):
    """Whether Isso renders this answer's comments: ``plain`` absent or ``0``, as Isso reads it."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    return query.get("plain", ["0"])[0] == "0"


def typeset_comments(data):
    """Typeset the ``text`` of every comment of a JSON answer (lists, nested replies), in place."""
    if isinstance(data, list):
        for item in data:
            typeset_comments(item)
    elif isinstance(data, dict):
        if isinstance(data.get("text"), str):
            data["text"] = typeset(data["text"])
        if "replies" in data:
            typeset_comments(data["replies"])
    return data


class CommentTypography:
    """Rewrites the ``text`` of the comments of Isso's JSON answers with the site's typography."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not rendered(environ):
            return self.app(environ, start_response)
        return web.rewrite_json(self.app, environ, start_response, typeset_comments, success_only=True)
