"""The proof of work a reader's browser solves while they write (ALTCHA's scheme, the ``altcha`` package), for readers whose scripts run.

``GET /altcha`` answers a challenge (ALTCHA's first version: find the number n below
``maxnumber`` such that SHA-256(salt + n) is the challenge; the salt carries its expiry,
the signature is an HMAC with a key derived from ``ZOHE_FORM_SECRET``). theme/static/js/proof.js
fetches one when the reader first focuses the form, solves it with crypto.subtle while
they write, and puts ALTCHA's payload (base64 JSON) into the form's hidden ``altcha``
field. A reader pays about a second of one core; a bot posting thousands of comments pays
thousands of seconds. The first version rather than ALTCHA's second: its key derivation
needs a far larger script, and SHA-256 is in every browser.

Checked, a payload is one of the values of comments.evidence: "ok", "missing", "invalid"
(forged, another algorithm, expired) or "replayed" (its signature was used:
zohe_used_proofs, kept until the challenge expires).
"""

import base64
import datetime
import hashlib
import hmac
import json
import time

import altcha

FIELD = "altcha"
PATH = "/altcha"
ALGORITHM = "SHA-256"
# About 50,000 hashes on average: a second or so in a browser, while the reader writes.
MAX_NUMBER = 100_000
# As long as the form's token (comments.form_token.MAX_AGE): a reader who writes for
# longer gets a fresh token, and proof.js a fresh challenge when the page is reloaded.
LIFETIME = 3 * 3600
# The payload is a few hundred bytes; anything much larger is not ALTCHA's.
MAX_PAYLOAD = 2048


def proof_key(secret):
    """The challenges' HMAC key, derived from the form's secret: one secret for the operator to keep."""
    return hmac.new(secret, b"zohe proof of work", hashlib.sha256).hexdigest()


class ProofOfWork:
    """Issues challenges and checks solutions; the signatures used are shared by every worker through the database."""

    def __init__(self, secret, store):
        self.key, self.store = proof_key(secret), store

    def challenge(self, now=None):
        """A new challenge as ALTCHA's widget and proof.js read it (algorithm, challenge, maxnumber, salt, signature)."""
        now = time.time() if now is None else now
        expires = datetime.datetime.fromtimestamp(now + LIFETIME, datetime.timezone.utc)
        issued = altcha.create_challenge_v1(
            algorithm=ALGORITHM, max_number=MAX_NUMBER, hmac_key=self.key, expires=expires)
        return issued.to_dict()

    def check(self, payload, now=None):
        """The verdict on a posted payload (see the module's docstring)."""
        now = time.time() if now is None else now
        if not payload:
            return "missing"
        if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD:
            return "invalid"
        try:
            data = json.loads(base64.b64decode(payload, validate=True))
        except (ValueError, TypeError, RecursionError):
            return "invalid"
        if not isinstance(data, dict) or data.get("algorithm") != ALGORITHM or not all(
                isinstance(data.get(key), str) for key in ("challenge", "salt", "signature")):
            return "invalid"
        if type(data.get("number")) is not int or not 0 <= data["number"] <= MAX_NUMBER:
            return "invalid"
        try:
            verified, _ = altcha.verify_solution_v1(data, self.key, check_expires=True)
        except (ValueError, TypeError, KeyError):
            verified = False
        if not verified:
            return "invalid"
        expires = altcha.extract_params_v1(data).get("expires", [str(int(now + LIFETIME))])[0]
        with self.store.write_transaction() as con:
            con.execute("DELETE FROM zohe_used_proofs WHERE expires < ?", (now,))
            used = con.execute("INSERT OR IGNORE INTO zohe_used_proofs (signature, expires) VALUES (?, ?)",
                               (data["signature"], float(expires))).rowcount == 0
        return "replayed" if used else "ok"
