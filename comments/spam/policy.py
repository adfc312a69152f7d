"""The spam policy as one table of data: what each sign of spam weighs, and the verdict, held or for the moderators, that a comment's signs add up to.

A comment is held as likely spam when its signs weigh HOLD_AT or more; otherwise it goes
to the moderators as every comment did before (pending, and mailed). A held comment is
never refused nor lost: Isso keeps it waiting like any other, and the commenter, bot or
reader, gets the same answer (202, awaiting moderation), so a bot learns nothing.

The evidence a request carries comes from the layers outside (``environ["zohe.evidence"]``:
``honeypot``, ``token``, ``proof``); a request without it (the raw JSON API, a test, a
script) counts as all "missing". A reader without script brings a timed token from the
form, one with script a proof of work: a post with neither valid is held.
"""

from dataclasses import dataclass
from pathlib import Path

from comments.spam import blocklist


@dataclass(frozen=True)
class Sign:
    weight: float
    # What moderators read in `invoke comments.spam` and the summary mail; "{}" is the detail.
    label: str


HOLD_AT = 1.0

# The one table: every sign, what it weighs, how moderators read it.
SIGNS = {
    # Evidence from the request (comments.form_post and the layers that build it).
    "honeypot": Sign(1.0, "champ piège rempli"),
    "token-invalid": Sign(1.0, "jeton du formulaire invalide"),
    "token-replayed": Sign(1.0, "jeton du formulaire déjà utilisé"),
    "token-fast": Sign(1.0, "envoyé trop vite après l’ouverture de la page"),
    "token-old": Sign(0.5, "page ouverte depuis trop longtemps"),
    "proof-invalid": Sign(1.0, "preuve de travail invalide"),
    "proof-replayed": Sign(1.0, "preuve de travail déjà utilisée"),
    "no-evidence": Sign(1.0, "ni jeton du formulaire ni preuve de travail valable"),
    # Content (comments.spam.tokens reads it).
    "links": Sign(1.0, "{} liens"),
    "known-word": Sign(0.5, "mot connu des indésirables «\u00a0{}\u00a0»"),
    # A known or blocked word beside a link: the word is what the link sells.
    "word-and-link": Sign(0.5, "mot d’indésirable à côté d’un lien"),
    "markup-link": Sign(1.0, "lien écrit en HTML ou en BBCode"),
    "english-link": Sign(1.0, "texte en anglais avec un lien"),
    "known-domain": Sign(1.0, "domaine connu des indésirables «\u00a0{}\u00a0»"),
    "blocked-mot": Sign(1.0, "mot bloqué «\u00a0{}\u00a0»"),
    "blocked-domaine": Sign(1.0, "domaine bloqué «\u00a0{}\u00a0»"),
    "blocked-adresse": Sign(1.0, "adresse bloquée «\u00a0{}\u00a0»"),
    # The score learned from moderators' decisions (comments.spam.bayes).
    "learned": Sign(1.0, "score appris {}"),
    "learned-likely": Sign(0.5, "score appris {}"),
    # Many comments on one chronicle in a short time: the excess waits apart.
    "thread-burst": Sign(1.0, "{} commentaires sur ce fil en peu de temps"),
}

# Which value of each piece of evidence is which sign; any value not here ("ok",
# "empty", "absent", "missing") weighs nothing by itself.
EVIDENCE_SIGNS = {
    ("honeypot", "filled"): "honeypot",
    ("token", "invalid"): "token-invalid",
    ("token", "replayed"): "token-replayed",
    ("token", "fast"): "token-fast",
    ("token", "old"): "token-old",
    ("proof", "invalid"): "proof-invalid",
    ("proof", "replayed"): "proof-replayed",
}
MISSING_EVIDENCE = {"honeypot": "absent", "token": "missing", "proof": "missing"}

# Learned spam probabilities from which the score is a sign.
LEARNED_HOLD, LEARNED_LIKELY = 0.9, 0.7

KNOWN_SPAM = Path(__file__).with_name("known_spam.txt")


@dataclass(frozen=True)
class Limits:
    """The numbers of ``[spam]`` in Isso's configuration (comments.spam.triage reads them)."""

    max_links: int = 2
    # False only for tests of the JSON API: a post with neither token nor proof is then no
    # sign by itself (a filled honeypot, a replayed or invalid token or proof still is).
    require_evidence: bool = True
    thread_burst: int = 10
    thread_burst_window: int = 600


@dataclass(frozen=True)
class Verdict:
    held: bool
    score: float
    # ``[(sign, detail)]`` in the order of SIGNS.
    reasons: tuple


def load_known(path=KNOWN_SPAM):
    """The shipped list as ``(kind, value)`` entries, kinds as the block list's ("mot", "domaine")."""
    known = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            kind, value = line.split(None, 1)
            known.append(blocklist.normalise(kind, value))
    return tuple(known)


KNOWN = load_known()


def evidence_signs(evidence, required=True):
    """The signs of the request's evidence (None: no evidence layer ran, all missing); a bad piece always counts, a missing one only when ``required``."""
    evidence = {**MISSING_EVIDENCE, **(evidence or {})}
    signs = [(EVIDENCE_SIGNS[item], "") for item in evidence.items() if item in EVIDENCE_SIGNS]
    if required and evidence["token"] != "ok" and evidence["proof"] != "ok":
        signs.append(("no-evidence", ""))
    return signs


def judge(evidence, found, blocked=(), probability=None, thread_posts=0, limits=Limits(), known=KNOWN):
    """The Verdict on a comment: ``evidence`` from the request, ``found`` its Features, ``blocked`` the block list's entries, ``probability`` the learned score (None: no opinion yet), ``thread_posts`` the comments on its thread in the burst window, itself included."""
    signs = evidence_signs(evidence, limits.require_evidence)
    if found.links > limits.max_links:
        signs.append(("links", str(found.links)))
    known_hits, blocked_hits = blocklist.hits(known, found), blocklist.hits(blocked, found)
    signs += [(f"known-{'word' if kind == 'mot' else 'domain'}", value) for kind, value in known_hits]
    signs += [(f"blocked-{kind}", value) for kind, value in blocked_hits]
    if found.links and any(kind == "mot" for kind, _ in known_hits + blocked_hits):
        signs.append(("word-and-link", ""))
    if found.markup_links:
        signs.append(("markup-link", ""))
    if found.english and found.links:
        signs.append(("english-link", ""))
    if probability is not None and probability >= LEARNED_LIKELY:
        signs.append(("learned" if probability >= LEARNED_HOLD else "learned-likely", f"{probability:.2f}"))
    if thread_posts > limits.thread_burst:
        signs.append(("thread-burst", str(thread_posts)))
    order = list(SIGNS)
    signs.sort(key=lambda sign: order.index(sign[0]))
    score = sum(SIGNS[name].weight for name, _ in signs)
    return Verdict(held=score >= HOLD_AT, score=score, reasons=tuple(signs))


def describe(reasons):
    """The reasons as moderators read them, in French: ``3 liens, mot bloqué « casino »``."""
    return ", ".join(SIGNS[name].label.format(detail) if name in SIGNS else name for name, detail in reasons)
