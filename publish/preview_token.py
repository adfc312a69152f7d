"""The preview's stand-in for nginx's include of the form token: each chronicle served by ``invoke serve`` gets a fresh token from the preview's comment server.

In production nginx replaces the include the baked form holds (comment_form.token_include,
see comments/form_token.py) with ``GET /isso/jeton``'s answer. The preview has no nginx:
its static server (livereload's, on Tornado) gets this handler instead, which does the
same for that one include and nothing else, asking the preview's comment server on
loopback. A page is then one reader's: never cached. If the comment server does not
answer, the include is left out, as nginx's ``ssi_silent_errors`` does.
"""

import urllib.request

from livereload.handlers import StaticFileHandler

import comment_form


def include_tokens(page, comments_url, timeout=2.0):
    """``page`` (bytes) with each token include replaced by the comment server's answer, or by nothing."""
    text = page.decode("utf-8")

    def token(match):
        try:
            with urllib.request.urlopen(comments_url + match.group(1), timeout=timeout) as answer:
                return answer.read().decode("utf-8")
        except OSError:
            return ""

    return comment_form.TOKEN_INCLUDE.sub(token, text).encode("utf-8")


def handler(comments_url):
    """A livereload static handler whose HTML pages carry a fresh token from the comment server at ``comments_url``."""

    class TokenIncludingHandler(StaticFileHandler):
        # Tornado asks a file's size before its content; the page is drawn once, for both.
        _drawn = {}

        def get_content_size(self):
            if not self.absolute_path.endswith(".html"):
                return super().get_content_size()
            with open(self.absolute_path, "rb") as f:
                page = include_tokens(f.read(), comments_url)
            self._drawn[self.absolute_path] = page
            return len(page)

        @classmethod
        def get_content(cls, abspath, start=None, end=None):
            page = cls._drawn.pop(abspath, None)
            if page is None:
                return super().get_content(abspath, start, end)
            return [page[start:end]]

        def set_extra_headers(self, path):
            if self.absolute_path.endswith(".html"):
                self.set_header("Cache-Control", "no-store")

    return TokenIncludingHandler
