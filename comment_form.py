"""The discussion form's markup, which works without JavaScript: baked into every chronicle by the build, shown again by the comment server with a reader's text and what to fix.

One renderer for both, so the page and the server's answers cannot drift apart; it
lives at the repository's root beside comment_rules.py for the same reason (the build
must not import the comment server's package). It imports nothing but the rules.

The contract, for the script that will enhance the form (documented in comments/README.md):

- ``<form id="discussion-formulaire" method="post" action="…/formulaire">``, its rules as
  JSON in ``data-regles`` (comment_rules.as_data), urlencoded, UTF-8;
- hidden ``uri`` (the thread: the chronicle's path), ``title`` (the chronicle's title) and,
  in a reply, ``parent`` (the comment's number);
- per field of comment_rules.FIELDS: ``#discussion-<name>`` named ``<name>`` (Isso's JSON
  keys ``text``, ``author``, ``email``, ``website``), its ``<label>``, and an error holder
  ``#discussion-<name>-erreur`` the field names in ``aria-describedby``; a refused field
  has ``aria-invalid="true"``;
- ``#discussion-erreurs`` (role="alert"), the summary of a refusal, only in the server's
  answer;
- the chronicle's notices ``#reponse-en-attente`` and ``#reponse-publiee``, shown by CSS
  (``:target``) when the server's 303 brings the reader back to them;
- the evidence a post carries for the spam defence (comments.evidence): the honeypot
  ``sujet``, a field no human fills (moved off screen by the CSS, hidden from assistive
  technologies, its label asks to leave it empty); the hidden ``jeton``, the signed token
  nginx includes with the page (comments.form_token; the comment server's pages write it
  themselves); the hidden ``altcha``, which theme/static/js/proof.js fills with a proof of
  work (comments.proof) from the challenge at ``data-preuve``.
"""

import html
import json
import re
from urllib.parse import quote, urlencode, urlsplit

import comment_rules as rules

# The comment server's routes for the form, under its public address (COMMENTS_URL).
POST_PATH = "/formulaire"
REPLY_PATH = "/repondre"
FORM_ID = "discussion-formulaire"
SUMMARY_ID = "discussion-erreurs"
# Where the server sends the reader back after a post: the chronicle, at one of these.
PENDING = "reponse-en-attente"
PUBLISHED = "reponse-publiee"
NOTICES = {
    PENDING: "Merci\u202f! Votre réponse est bien arrivée. Elle sera publiée ici dès que l’équipe l’aura relue.",
    PUBLISHED: "Merci\u202f! Votre réponse est publiée\u00a0: elle apparaîtra sur cette page d’ici quelques minutes.",
}
# The evidence's fields (comments.evidence reads them, under these names, from the form and from JSON).
HONEYPOT = "sujet"
HONEYPOT_LABEL = "Sujet (ne remplissez pas ce champ, il sert à écarter les robots)"
TOKEN = "jeton"
TOKEN_PATH = "/jeton"
PROOF = "altcha"
PROOF_PATH = "/altcha"
SUBMIT = "Envoyer"
OPTIONAL = " (facultatif)"
REFUSED = "Votre réponse n’est pas encore envoyée\u00a0: corrigez ce qui est indiqué, votre texte est conservé."


def field_id(name):
    return f"discussion-{name}"


def error_id(name):
    return f"discussion-{name}-erreur"


def reply_url(comments_url, uri, parent):
    """The page of the comment server that answers comment ``parent`` of thread ``uri`` without script."""
    return f"{comments_url}{REPLY_PATH}?{urlencode({'uri': uri, 'parent': parent})}"


def _attributes(pairs):
    return "".join(
        f" {name}" if value is True else f' {name}="{html.escape(str(value))}"'
        for name, value in pairs
        if value not in (None, False)
    )


def _field(f, value, refusal):
    required = ' <span class="required" aria-hidden="true">*</span>' if f.required else html.escape(OPTIONAL)
    attributes = _attributes([
        ("id", field_id(f.name)), ("name", f.name), ("type", f.type),
        ("required", f.required), ("minlength", f.min_length or None), ("maxlength", f.max_length),
        ("autocomplete", f.autocomplete), ("placeholder", f.placeholder),
        ("aria-describedby", error_id(f.name)), ("aria-invalid", "true" if refusal else None),
    ])
    value = html.escape(value or "")
    control = f"<textarea{attributes} rows=\"6\">{value}</textarea>" if f.type is None else f'<input{attributes} value="{value}">'
    return (
        f'<div class="discussion__field discussion__field--{f.name}">'
        f'<label for="{field_id(f.name)}">{html.escape(f.label)}{required}</label>{control}'
        f'<p class="discussion__error" id="{error_id(f.name)}">{html.escape(refusal or "")}</p></div>'
    )


def _summary(refusals, message):
    items = "".join(
        f'<li><a href="#{field_id(f.name)}">{html.escape(f.label)}\u00a0: {html.escape(refusals[f.name])}</a></li>'
        for f in rules.FIELDS
        if f.name in refusals
    )
    lead = html.escape(message or REFUSED)
    return (f'<div class="discussion__errors" id="{SUMMARY_ID}" role="alert" tabindex="-1"><p>{lead}</p>'
            + (f"<ul>{items}</ul>" if items else "") + "</div>")


def token_input(token):
    """The hidden field that carries a form token (what ``GET /jeton`` answers, and the server's pages write)."""
    return f'<input type="hidden" name="{TOKEN}" value="{html.escape(token)}">'


def token_include(comments_url, uri):
    """The server-side include nginx replaces with a token for thread ``uri`` as it serves the page (comments.form_token)."""
    path = urlsplit(comments_url).path.rstrip("/") + TOKEN_PATH + "?uri=" + quote(uri, safe="/")
    return f'<!--# include virtual="{html.escape(path)}" -->'


# What token_include writes, as the preview's server (publish.preview_token) finds it; group 1 is the path.
TOKEN_INCLUDE = re.compile(r'<!--# include virtual="([^"<>]*' + re.escape(TOKEN_PATH) + r'\?uri=[^"<>]*)" -->')


def _honeypot():
    return (
        f'<div class="discussion__piege" aria-hidden="true"><label for="{field_id(HONEYPOT)}">{html.escape(HONEYPOT_LABEL)}'
        f'</label><input id="{field_id(HONEYPOT)}" name="{HONEYPOT}" type="text" value="" tabindex="-1" autocomplete="off"></div>'
    )


def render(comments_url, uri, title, parent=None, values=None, refusals=None, message=None, token=None):
    """The form as HTML: empty on the chronicle, or with the reader's ``values``, ``refusals`` ({field: message}) and a general ``message`` from the server.

    ``token`` is the form token the server's pages write; without it (the baked page)
    the form holds the include nginx replaces with one.
    """
    values, refusals = values or {}, refusals or {}
    hidden = [("uri", uri), ("title", title)] + ([("parent", parent)] if parent is not None else [])
    data = json.dumps(rules.as_data(), ensure_ascii=False, separators=(",", ":"))
    return (
        f'<form class="discussion__form" id="{FORM_ID}" method="post" action="{html.escape(comments_url + POST_PATH)}"'
        f' accept-charset="utf-8" data-regles="{html.escape(data)}" data-preuve="{html.escape(comments_url + PROOF_PATH)}">'
        + "".join(f'<input type="hidden" name="{name}" value="{html.escape(str(value))}">' for name, value in hidden)
        + (token_input(token) if token else token_include(comments_url, uri))
        + f'<input type="hidden" name="{PROOF}" value="">'
        + (_summary(refusals, message) if refusals or message else "")
        + "".join(_field(f, values.get(f.name), refusals.get(f.name)) for f in rules.FIELDS)
        + _honeypot()
        + f'<p class="discussion__actions"><button class="button" type="submit">{SUBMIT}</button></p></form>'
    )


def notices():
    """The chronicle's notices, hidden until the server's redirect targets one (CSS :target)."""
    return "".join(
        f'<p class="discussion__status" id="{anchor}" role="status" tabindex="-1">{html.escape(text)}</p>'
        for anchor, text in NOTICES.items()
    )
