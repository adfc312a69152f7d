"""The comment server's own Content-Security-Policy, on every answer: nothing for the API, exactly what its pages need for its pages.

nginx sends the site's policy on the site and none on /isso/ (deploy/nginx/zohe-site.conf):
the site's ``script-src 'self'`` would leave nothing run by Isso's pages, and would allow
far more than an answer of the API needs. The admin page runs Isso's ``admin.js`` and
ours (comments.admin rewrites its inline handlers), loads its stylesheets and logo, and
posts the moderation and edit requests; the e-mail links' pages (comments.moderation_pages)
and the no-script form's (comments.form_post) only post their form. Everything else (JSON,
the embed script, refusals, the form token's field and the proof's challenge of
comments.evidence) may do nothing at all, and no answer may be framed.
"""

import comment_form
import commenter_data
from comments import admin, moderation_links, web

FORM_PATHS = (comment_form.POST_PATH, comment_form.REPLY_PATH)
BASE = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
POLICIES = {
    "api": f"{BASE}; form-action 'none'",
    "moderation": f"{BASE}; form-action 'self'",
    # The no-script form's pages (comments.form_post): their form posts to this server,
    # whose answer redirects to the chronicle: the same origin in production, the site's
    # origins (added by ContentSecurityPolicy) where the server has its own (the preview).
    "form": f"{BASE}; form-action 'self'",
    # A commenter's own data pages (comments.data_pages): their forms post to themselves.
    "data": f"{BASE}; form-action 'self'",
    "admin": f"{BASE}; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'",
}


def policy(path):
    if path in (admin.ADMIN_PATH, admin.LOGIN_PATH):
        return POLICIES["admin"]
    if moderation_links.emailed(path):
        return POLICIES["moderation"]
    if path in FORM_PATHS:
        return POLICIES["form"]
    if path == commenter_data.PATH or path.startswith(commenter_data.PATH + "/"):
        return POLICIES["data"]
    return POLICIES["api"]


class ContentSecurityPolicy:
    def __init__(self, app, site_origins=()):
        self.app = app
        # A form's redirect must match form-action too.
        self.form_policy = " ".join([POLICIES["form"], *site_origins])

    def __call__(self, environ, start_response):
        path = web.route_path(environ)
        chosen = self.form_policy if path in FORM_PATHS else policy(path)

        def with_policy(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != "content-security-policy"]
            return start_response(status, headers + [("Content-Security-Policy", chosen)], exc_info)

        return self.app(environ, with_policy)
