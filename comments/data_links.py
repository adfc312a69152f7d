"""The signed links that open a commenter's own data: issued for an e-mail address, good for commenter_data.LINK_LIFETIME, used once; and the short session that using one opens.

A link is ``<nonce>.<expires>.<mac>``: 16 random bytes, the Unix time it ends, and an
HMAC-SHA256 over both with a key derived from ``ZOHE_FORM_SECRET`` (comments.settings).
The address is never in it (nginx logs every address it serves): it waits in
``zohe_data_links`` under the nonce, and goes with the row once the link has ended.

Opening the link's page changes nothing (a mail scanner fetches links); its button
posts, which uses the link up and opens a session until the link's end: a random id in
an HttpOnly cookie, kept as its SHA-256, so that the listing, the download and the
erasures that follow need no second link. A link is "forged" (not ours, or altered),
"expired", "used" (or gone) or good, and each verdict is its own French page.
"""

import base64
import hashlib
import hmac
import secrets
import time

import commenter_data

# A session's random id: 32 bytes, 43 characters of URL-safe base64 in the cookie.
SESSION_BYTES = 32
SESSION_LENGTH = 43
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS zohe_data_links (nonce TEXT PRIMARY KEY, address TEXT NOT NULL,"
    " expires REAL NOT NULL, used REAL, session TEXT UNIQUE)",
    # Requests of links, for their limits (comments.data_pages): by client address, and by
    # the keyed hash of the e-mail address, never the address itself; kept a link's lifetime.
    "CREATE TABLE IF NOT EXISTS zohe_data_requests (key TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS zohe_data_requests_key ON zohe_data_requests (key, at)",
]
# Rows that live a link's lifetime, as the privacy policy says: a snapshot, kept for days
# (comments.backup), is written without them.
SHORT_LIVED = ("zohe_data_links", "zohe_data_requests")
FORGED, EXPIRED, USED = "forged", "expired", "used"


def derive(secret, purpose):
    """A key of its own for ``purpose``, from the server's one secret: a link's key never signs a form token."""
    return hmac.new(secret, f"zohe {purpose}".encode("ascii"), hashlib.sha256).digest()


def normal_address(address):
    """An e-mail address as it is compared: trimmed, lowercased (as the spam filter reads addresses)."""
    return address.strip().lower()


class DataLinks:
    """Issues, checks and uses the links; keeps the sessions they open. Every worker sees one state, in the database."""

    def __init__(self, secret, store, lifetime=commenter_data.LINK_LIFETIME, clock=time.time):
        self.key, self.log_key = derive(secret, "data links"), derive(secret, "data log")
        self.store, self.lifetime, self.clock = store, lifetime, clock

    def address_key(self, address):
        """What the log says of an address: a keyed hash, the same for each request of one address, unreadable without the key."""
        return hmac.new(self.log_key, normal_address(address).encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def _mac(self, nonce, expires):
        digest = hmac.new(self.key, f"{nonce}.{expires}".encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def issue(self, con, address):
        """A new link for ``address``, recorded on ``con`` (the caller's transaction); returns its row, for the mail."""
        now = self.clock()
        con.execute("DELETE FROM zohe_data_links WHERE expires <= ?", (now,))
        nonce, expires = secrets.token_hex(16), int(now + self.lifetime)
        return con.execute("INSERT INTO zohe_data_links (nonce, address, expires) VALUES (?, ?, ?)",
                           (nonce, normal_address(address), expires)).lastrowid

    def to_send(self, row):
        """``(address, token)`` of the link of ``row`` while it may still serve, else None."""
        found = self.store.connection().execute(
            "SELECT address, nonce, expires FROM zohe_data_links WHERE rowid = ? AND used IS NULL AND expires > ?",
            (row, self.clock())).fetchone()
        return (found[0], self.token(found[1], int(found[2]))) if found else None

    def token(self, nonce, expires):
        return f"{nonce}.{expires}.{self._mac(nonce, expires)}"

    def read(self, token):
        """``(nonce, expires)`` of a token of ours, else None (a forged or altered one)."""
        parts = token.split(".") if isinstance(token, str) and token.isascii() else []
        if len(parts) != 3 or len(parts[0]) != 32 or not parts[1].isdigit() or len(parts[1]) > 12:
            return None
        nonce, expires = parts[0], int(parts[1])
        return (nonce, expires) if hmac.compare_digest(parts[2], self._mac(nonce, expires)) else None

    def check(self, token):
        """The verdict on a link, without using it: "ok", FORGED, EXPIRED or USED."""
        read = self.read(token)
        if read is None:
            return FORGED
        if read[1] <= self.clock():
            return EXPIRED
        row = self.store.connection().execute(
            "SELECT used FROM zohe_data_links WHERE nonce = ? AND expires > ?", (read[0], self.clock())).fetchone()
        return "ok" if row is not None and row[0] is None else USED

    def use(self, token):
        """Use the link up: ``(verdict, session id, address)``, the last two None unless the verdict is "ok"."""
        verdict = self.check(token)
        if verdict != "ok":
            return verdict, None, None
        nonce = self.read(token)[0]
        session = secrets.token_urlsafe(SESSION_BYTES)
        with self.store.write_transaction() as con:
            row = con.execute("SELECT address FROM zohe_data_links WHERE nonce = ? AND used IS NULL AND expires > ?",
                              (nonce, self.clock())).fetchone()
            if row is None:  # another request used it in between
                return USED, None, None
            con.execute("UPDATE zohe_data_links SET used = ?, session = ? WHERE nonce = ?",
                        (self.clock(), _digest(session), nonce))
        return "ok", session, row[0]

    def session(self, session):
        """``(address, expires)`` of an open session, else None."""
        # A cookie is the reader's to write: only what `use` could have given is looked up.
        if not isinstance(session, str) or not session.isascii() or len(session) != SESSION_LENGTH:
            return None
        row = self.store.connection().execute(
            "SELECT address, expires FROM zohe_data_links WHERE session = ? AND expires > ?",
            (_digest(session), self.clock())).fetchone()
        return tuple(row) if row else None

    def forget_ended(self):
        """Delete what has served: each link past its end, its address with it, and each request older than a link's lifetime.

        Called on any request now and then (comments.data_pages), so that a quiet server keeps
        nothing longer than the privacy policy says; a write only when there is something to delete.
        """
        now = self.clock()
        found = self.store.connection().execute(
            "SELECT EXISTS (SELECT 1 FROM zohe_data_links WHERE expires <= ?)"
            " OR EXISTS (SELECT 1 FROM zohe_data_requests WHERE at <= ?)", (now, now - self.lifetime)).fetchone()[0]
        if found:
            with self.store.write_transaction() as con:
                con.execute("DELETE FROM zohe_data_links WHERE expires <= ?", (now,))
                con.execute("DELETE FROM zohe_data_requests WHERE at <= ?", (now - self.lifetime,))

    def forget(self, row):
        """Forget the link of ``row``, its address with it (its mail given up)."""
        self.store.connection().execute("DELETE FROM zohe_data_links WHERE rowid = ?", (row,))


def _digest(session):
    return hashlib.sha256(session.encode("ascii")).hexdigest()
