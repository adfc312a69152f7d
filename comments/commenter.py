"""What a commenter may give as their name and e-mail address: one rule for each, for every route that stores them and for what is already stored.

Isso takes any string as a name. A line break in it writes lines of its own into the
moderator's e-mail (a fake "Activate comment:" link under the real ones); other control
characters rewrite a moderator's terminal; bidi controls make a name read backwards or
hide what follows it; and a name may be 200,000 characters long. The same rule refuses
such a name from ``POST /new``, ``PUT /id/N`` and the moderator's edit (comments.hardening),
and neutralises names stored before it or by ``isso import`` (comments.store.prepare).
"""

import html
import re

# A practical address check (RFC 5321 lengths, one @, a dotted domain), not RFC 5322:
# its job is to catch typos and junk with a message the commenter understands.
EMAIL = re.compile(
    r"^[^@\s<>()\[\]\\,;:\"]{1,64}@(?=.{1,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$",
    re.UNICODE,
)

NAME_MAX_LENGTH = 80
# Line breaks and other controls: C0, DEL, C1, and Unicode's line and paragraph separators.
NAME_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
# Bidi controls: embeddings and overrides, isolates, the marks (LRM, RLM, ALM).
NAME_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
NAME_FORBIDDEN = re.compile(f"[{NAME_CONTROLS}{NAME_BIDI}]")
# The spaces a name is trimmed of (Python's whitespace, controls aside); comments.store
# trims stored names of the same ones.
NAME_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and not NAME_FORBIDDEN.match(c))

# What a commenter reads when a name or an address is refused.
MESSAGES = {
    "email_required": "Votre adresse e-mail est nécessaire pour commenter (elle ne sera pas publiée).",
    "email_invalid": "Cette adresse e-mail n’est pas valide\u00a0: vérifiez-la (par exemple nom@exemple.fr).",
    "author_required": "Votre nom est nécessaire pour commenter.",
    "author_invalid": "Requête invalide\u00a0: le nom doit être un texte.",
    "author_characters": "Votre nom doit tenir sur une ligne, sans caractère de contrôle ni marque d’écriture "
    "invisible (retour à la ligne, tabulation, sens de lecture)\u00a0: corrigez-le, votre texte est conservé.",
    "author_too_long": f"Votre nom est trop long\u00a0: {NAME_MAX_LENGTH}\u00a0caractères au plus.",
}


def valid_email(value):
    return len(value) <= 254 and EMAIL.match(value) is not None


def name_refusal(author):
    """The MESSAGES key that refuses ``author`` as a name, or None (absent and empty names are require-author's business)."""
    if author is None:
        return None
    if not isinstance(author, str):
        return "author_invalid"
    if NAME_FORBIDDEN.search(author):
        return "author_characters"
    if len(author.strip(NAME_SPACES)) > NAME_MAX_LENGTH:
        return "author_too_long"
    return None


def new_comment_refusal(data, require_email, require_author):
    """The MESSAGES key that refuses the body of a ``POST /new``, or None."""
    email = data.get("email")
    if email is not None and not isinstance(email, str):
        return "email_invalid"
    email = (email or "").strip()
    if not email:
        if require_email:
            return "email_required"
    elif not valid_email(email):
        return "email_invalid"
    author = data.get("author")
    if require_author and not (isinstance(author, str) and author.strip()):
        return "author_required"
    return name_refusal(author)


def neutral_name(stored):
    """A stored name made to follow the rule, in Isso's stored form (HTML-escaped); unchanged if it does already.

    Controls become spaces and bidi controls go; then the name is trimmed and cut at
    NAME_MAX_LENGTH characters. Isso stores names escaped and ``isso import`` does not, so
    the rule is applied to the unescaped text.
    """
    if not isinstance(stored, str):
        return stored
    name = html.unescape(stored)
    if name_refusal(name) is None and name == name.strip(NAME_SPACES):
        return stored
    name = re.sub(f"[{NAME_BIDI}]", "", name)
    name = re.sub(f"[{NAME_CONTROLS}]+", " ", name)
    name = name.strip(NAME_SPACES)[:NAME_MAX_LENGTH].strip(NAME_SPACES)
    return html.escape(name, quote=False) or None
