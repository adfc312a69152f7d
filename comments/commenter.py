"""What a commenter may give as their name, e-mail address, website and text, by the limits of comment_rules: for every route that stores them and for what is already stored.

Isso takes any string as a name. A line break in it writes lines of its own into the
moderator's e-mail (a fake "Activate comment:" link under the real ones); other control
characters rewrite a moderator's terminal; bidi controls make a name read backwards or
hide what follows it; and a name may be 200,000 characters long. The same rule refuses
such a name from ``POST /new``, ``PUT /id/N`` and the moderator's edit (comments.hardening),
and neutralises names stored before it or by ``isso import`` (comments.store.prepare).
The no-script form (comments.form_post) checks every field with form_refusals.
"""

import html
import re

from isso.views.comments import isurl

import comment_rules as rules

EMAIL = re.compile(rules.EMAIL_PATTERN, re.UNICODE)

NAME_MAX_LENGTH = rules.AUTHOR.max_length
NAME_CONTROLS = rules.NAME_CONTROLS
NAME_BIDI = rules.NAME_BIDI
NAME_FORBIDDEN = re.compile(f"[{NAME_CONTROLS}{NAME_BIDI}]")
# The spaces a name is trimmed of (Python's whitespace, controls aside); comments.store
# trims stored names of the same ones.
NAME_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and not NAME_FORBIDDEN.match(c))

# What a commenter reads when a name or an address is refused: the rules' messages
# (comment_rules), and one for a client that sends a name that is no text.
MESSAGES = {
    **rules.MESSAGES,
    "author_invalid": "Requête invalide\u00a0: le nom doit être un texte.",
}


def valid_email(value):
    return len(value) <= rules.EMAIL.max_length and EMAIL.match(value) is not None


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


def form_refusals(values):
    """``{field: MESSAGES key}`` for every field of the form (comment_rules.FIELDS) that the rules refuse; empty when all pass.

    The no-script form (comments.form_post) shows each message next to its field, so it
    checks every field, where the JSON API stops at the first refusal. The limits are
    the ones Isso applies after (isso/views/comments.py, API.verify), so a post that
    passes here is not refused by Isso for its fields.
    """
    refusals = {}
    for f in rules.FIELDS:
        value = values.get(f.name) or ""
        measured = value.rstrip() if f is rules.TEXT else value.strip()
        if not measured:
            if f.required:
                refusals[f.name] = f"{f.name}_required"
            continue
        if f is rules.AUTHOR:
            refusal = name_refusal(value)
        elif len(measured) < f.min_length:
            refusal = f"{f.name}_too_short"
        elif len(value) > f.max_length:
            refusal = f"{f.name}_too_long"
        elif f is rules.EMAIL and not valid_email(measured):
            refusal = "email_invalid"
        elif f is rules.WEBSITE and not isurl(measured):
            refusal = "website_invalid"
        else:
            refusal = None
        if refusal:
            refusals[f.name] = refusal
    return refusals
