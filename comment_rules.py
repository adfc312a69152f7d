"""The rules a reader's comment follows, field by field: limits, formats and the French messages that refuse it, one list for the baked form, the comment server and the discussion script.

It lives at the repository's root, like comments_database.py: the build writes these
limits into the form's attributes (comment_form.py) and must not import the comment
server's package; the server refuses with them (comments.commenter for the JSON API and
the form, comments.errors for Isso's own reasons); and the form carries them as JSON in
its ``data-regles`` attribute for the script that enhances it. Change a limit or a
message here and the three follow. It imports nothing.

Isso's own limits are copied here because Isso checks them itself (isso/views/comments.py,
API.verify: text 3 to 65,535 characters once trailing spaces go, e-mail and website 254
at most); the tests hold Isso to them.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One field of the form, as the page writes it and the server checks it."""

    name: str  # Isso's JSON key, and the form field's name
    label: str
    required: bool
    max_length: int
    min_length: int = 0
    # The <input> type; None for the text, a <textarea>.
    type: str | None = None
    autocomplete: str | None = None
    placeholder: str | None = None
    # The keys of MESSAGES that may refuse this field, in the order the server checks them.
    messages: tuple = field(default=())


# A practical address check (RFC 5321 lengths, one @, a dotted domain), not RFC 5322:
# its job is to catch typos and junk with a message the commenter understands. Python's
# syntax (Unicode \w, look-ahead); the browser has only type="email", which lets
# "camille@exemple" through: the server's message then says what to fix.
EMAIL_PATTERN = r"^[^@\s<>()\[\]\\,;:\"]{1,64}@(?=.{1,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
# What a name may not hold. Line breaks and other controls: C0, DEL, C1, and Unicode's
# line and paragraph separators; bidi controls: embeddings and overrides, isolates, the
# marks (LRM, RLM, ALM). Character-class contents.
NAME_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
NAME_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"

TEXT = Field(
    "text", "Votre réponse", required=True, min_length=3, max_length=65535,
    messages=("text_required", "text_too_short", "text_too_long"),
)
AUTHOR = Field(
    "author", "Nom", required=True, max_length=80, type="text", autocomplete="name",
    placeholder="Camille Martin", messages=("author_required", "author_characters", "author_too_long"),
)
EMAIL = Field(
    "email", "E-mail", required=True, max_length=254, type="email", autocomplete="email",
    placeholder="camille@exemple.fr", messages=("email_required", "email_too_long", "email_invalid"),
)
WEBSITE = Field(
    "website", "Site web", required=False, max_length=254, type="url", autocomplete="url",
    placeholder="https://exemple.fr", messages=("website_too_long", "website_invalid"),
)
# In the order the form shows them (Isso's own order: the text first).
FIELDS = (TEXT, AUTHOR, EMAIL, WEBSITE)

# What a commenter reads when a field is refused: next to the field in the form's
# answer, in the JSON API's {"message": …}, and in the script.
MESSAGES = {
    "text_required": "Le commentaire est vide.",
    "text_too_short": f"Le commentaire est trop court\u00a0: {TEXT.min_length}\u00a0caractères au moins.",
    "text_too_long": "Le commentaire est trop long\u00a0: 65\u202f535\u00a0caractères au plus.",
    "author_required": "Votre nom est nécessaire pour commenter.",
    "author_characters": "Votre nom doit tenir sur une ligne, sans caractère de contrôle ni marque d’écriture "
    "invisible (retour à la ligne, tabulation, sens de lecture)\u00a0: corrigez-le, votre texte est conservé.",
    "author_too_long": f"Votre nom est trop long\u00a0: {AUTHOR.max_length}\u00a0caractères au plus.",
    "email_required": "Votre adresse e-mail est nécessaire pour commenter (elle ne sera pas publiée).",
    "email_invalid": "Cette adresse e-mail n’est pas valide\u00a0: vérifiez-la (par exemple nom@exemple.fr).",
    "email_too_long": f"L’adresse e-mail est trop longue\u00a0: {EMAIL.max_length}\u00a0caractères au plus.",
    "website_too_long": f"L’adresse du site web est trop longue\u00a0: {WEBSITE.max_length}\u00a0caractères au plus.",
    "website_invalid": "L’adresse du site web n’est pas valide (par exemple https://exemple.fr).",
}


def as_data():
    """The rules as plain data (the form's ``data-regles``): per field its limits, then every message."""
    return {
        "fields": {
            f.name: {
                "label": f.label,
                "required": f.required,
                "minlength": f.min_length,
                "maxlength": f.max_length,
                "type": f.type or "textarea",
                "messages": {key: MESSAGES[key] for key in f.messages},
            }
            for f in FIELDS
        },
    }
