"""The pages the moderation e-mail's links open: the comment and a button to publish or delete it, then the result, in French and without script.

Isso answers ``GET /id/N/<activate|delete>/<key>`` with an inline script that asks
``confirm()`` and posts the link from JavaScript: under the comment server's
Content-Security-Policy (comments.csp) that page stays blank, and it never showed the
moderator what they were deciding on. Here the GET shows the comment (author, thread,
the whole text, escaped) with a plain form that posts to the same address; the POST lets
Isso act and answers what was done, with links to the thread and to the admin page.
Isso's admin page posts to the same addresses from its buttons and only reads the status.

comments.hardening.RequestGuard stands outside this layer: it has already refused a
link whose key is not for comment N or older than what N now is, and it holds the lock
under which nothing changes N between the page's reading and Isso's decision.
"""

import html
import re

from comments import moderation_links, pages, settings, store as stores, web
from comments.hardening import clean_author

QUESTIONS = {
    "activate": ("Publier ce commentaire\u202f?", "Publier"),
    "delete": ("Supprimer ce commentaire\u202f?", "Supprimer"),
}
STATES = {
    stores.PUBLISHED: "publié",
    stores.PENDING: "en attente de modération",
    stores.DELETED: "supprimé, gardé pour ses réponses",
}
# What the GET shows instead of a button when there is nothing left to decide.
NOTHING_TO_DO = {
    ("activate", stores.PUBLISHED): "Ce commentaire est déjà publié.",
    ("activate", stores.DELETED): "Ce commentaire est supprimé.",
    ("delete", stores.DELETED): "Ce commentaire est déjà supprimé.",
}
RESULTS = {
    ("activate", False): ("Commentaire publié", "Le commentaire est publié."),
    ("activate", True): ("Commentaire déjà publié", "Ce commentaire était déjà publié."),
    ("delete", False): ("Commentaire supprimé", "Le commentaire est supprimé."),
}
MISSING = (
    "Commentaire introuvable",
    "Ce commentaire n’existe plus\u00a0: il a sans doute déjà été supprimé. Rien n’a été fait.",
)


def paragraphs(text):
    """The comment's whole text as escaped HTML: paragraphs at blank lines, line breaks kept."""
    blocks = [block for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if block.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>" for block in blocks)


class ModerationPages:
    """Answers the e-mail links' GET with the comment and a form, and their POST with what Isso did."""

    def __init__(self, app, conf, isso_db):
        self.app = app
        # Isso's own database objects: the comment and its thread as Isso reads them.
        self.db = isso_db
        self.site = (settings.site_origins(conf) or [""])[0]

    def __call__(self, environ, start_response):
        path = web.route_path(environ)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        link = moderation_links.parse(path)
        # werkzeug routes HEAD to Isso's GET rule, where Isso takes any method but GET for the
        # decision: a HEAD of an e-mail link (a mail scanner checking it) published the comment.
        if method == "HEAD" and link:
            start_response("405 Method Not Allowed", [("Allow", "GET, POST"), ("Content-Length", "0")])
            return [b""]
        if not moderation_links.emailed(path) or method not in ("GET", "POST"):
            return self.app(environ, start_response)
        comment_id, action, _key = link
        comment = self.db.comments.get(comment_id)
        if comment is None:
            return pages.answer(start_response, "404 Not Found", *MISSING)
        thread = self.db.threads.get(comment["tid"])
        if method == "GET":
            return self.question(start_response, action, comment, thread)
        status, headers, body = web.call_buffered(self.app, environ)
        if not status.startswith("200"):
            start_response(status, headers)
            return [body]
        already = action == "activate" and comment["mode"] == stores.PUBLISHED
        title, text = RESULTS[action, already]
        anchor = f"#isso-{comment_id}" if action == "activate" else ""
        content = f"<p>{text}</p><p>{self.thread_link(thread, anchor, 'Voir la discussion')}</p>"
        return pages.answer(start_response, "200 OK", title, content=content)

    def question(self, start_response, action, comment, thread):
        question, button = QUESTIONS[action]
        author = clean_author(comment["author"]) or "Anonyme"
        state = STATES.get(comment["mode"], "")
        content = (
            f"<p>Commentaire n°\u00a0{comment['id']} de <strong>{author}</strong>, {state}, sur "
            f"{self.thread_link(thread, '', thread['uri'])}"
            + (f" («\u00a0{html.escape(thread['title'])}\u00a0»)" if thread["title"] else "")
            + f"\u00a0:</p><blockquote>{paragraphs(comment['text'])}</blockquote>"
        )
        nothing = NOTHING_TO_DO.get((action, comment["mode"]))
        if nothing:
            content += "<p>Rien à faire.</p>"
        else:
            content += f'<form method="post"><button type="submit">{button}</button></form>'
        return pages.answer(start_response, "200 OK", question if not nothing else nothing.rstrip("."), content=content)

    def thread_link(self, thread, anchor, label):
        return f'<a href="{html.escape(self.site + thread["uri"] + anchor)}">{html.escape(label)}</a>'

