"""The signed token the chronicle's form carries: issued with the page, it tells when the reader got the form, and is used once.

The chronicles are static files, served by nginx and cached by browsers; a token must
still be drawn for each reader at the moment the page is served. nginx does it with a
server-side include: the baked form holds ``<!--# include virtual="/isso/jeton?uri=…" -->``
(comment_form.token_include), and ``ssi on`` for the chronicles'
pages (deploy/nginx/zohe-site.conf) replaces it with the hidden field this server answers
on ``GET /jeton`` (comments.evidence). Other designs fall short: a token baked at build time
tells the time of the build, not of the reading; one fetched by a script leaves readers
without JavaScript out, which is the whole point of the form. The price is that nginx
cannot serve the chronicles' precompressed copies (the include must be read first): it
compresses them on the fly instead. The comment server's own pages (the reply page, a
refusal) write the token themselves, and so does the preview's server (publish.serve),
which has no nginx.

A token is ``<issued>.<nonce>.<mac>``: the Unix time it was issued, 16 random bytes, and
an HMAC-SHA256 with ``ZOHE_FORM_SECRET`` (comments.settings) over the thread's address,
the time and the nonce, so it is good for one chronicle only. Checked, it is one of the
values of comments.evidence: "ok", "missing", "invalid" (not ours, another thread's, from
the future), "fast" (posted sooner than a reader can read and write, MIN_SECONDS), "old"
(older than MAX_AGE: comments.form_post then gives the reader a fresh one, the text
kept) or "replayed" (its nonce was used: zohe_used_tokens, kept until the token is old).
"""

import base64
import hashlib
import hmac
import secrets
import time

# A human reads the chronicle, then writes: a post sooner than this is a script's.
MIN_SECONDS = 5.0
# A page left open longer than this gets a fresh token (and keeps its text).
MAX_AGE = 3 * 3600.0
# Clocks of two workers may differ a little; a token from further in the future is forged.
CLOCK_SKEW = 60.0
FIELD = "jeton"


def _mac(secret, uri, issued, nonce):
    message = f"{uri}\n{issued}\n{nonce}".encode("utf-8")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class FormTokens:
    """Issues and checks the form's tokens; the nonces used are shared by every worker through the database."""

    def __init__(self, secret, store, min_seconds=None):
        self.secret, self.store = secret, store
        self.min_seconds = MIN_SECONDS if min_seconds is None else min_seconds

    def issue(self, uri, issued=None):
        """A token for thread ``uri``, issued now (or at ``issued``, a Unix time)."""
        issued = int(time.time() if issued is None else issued)
        nonce = secrets.token_hex(16)
        return f"{issued}.{nonce}.{_mac(self.secret, uri, issued, nonce)}"

    def read(self, token, uri):
        """The time ``token`` was issued for ``uri``, or None if it is not a token of ours for that thread."""
        parts = token.split(".") if isinstance(token, str) and token.isascii() else []
        if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 12 or len(parts[1]) != 32:
            return None
        issued, nonce, mac = int(parts[0]), parts[1], parts[2]
        if not isinstance(uri, str) or not hmac.compare_digest(mac, _mac(self.secret, uri, issued, nonce)):
            return None
        return issued

    def check(self, token, uri, now=None):
        """The verdict on a posted token (see the module's docstring), and the time it was issued (None if unknown)."""
        now = time.time() if now is None else now
        if not token:
            return "missing", None
        issued = self.read(token, uri)
        if issued is None or issued > now + CLOCK_SKEW:
            return "invalid", None
        if now - issued > MAX_AGE:
            return "old", issued
        nonce = token.split(".")[1]
        with self.store.write_transaction() as con:
            con.execute("DELETE FROM zohe_used_tokens WHERE expires < ?", (now,))
            used = con.execute("INSERT OR IGNORE INTO zohe_used_tokens (nonce, expires) VALUES (?, ?)",
                               (nonce, issued + MAX_AGE + CLOCK_SKEW)).rowcount == 0
        if used:
            return "replayed", issued
        if now - issued < self.min_seconds:
            return "fast", issued
        return "ok", issued
