"""What the spam rules and the learned score read of a comment: its words, the domains it names, how many links it holds, its e-mail address.

Isso stores the author, e-mail and website escaped for HTML; they are read back as typed.
A link is what a reader could follow: an ``http(s)://`` or ``www.`` address in the text
(a Markdown link is one too), and the commenter's website. Words are runs of letters,
lowercased, two to thirty long: numbers and longer runs carry no meaning a moderator
decides on, and a run of letters is all the learned score keeps (no text).
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]{2,30}")
# A comment of 65,535 characters has thousands of words: the score reads at most these
# many distinct ones (the most frequent first), which bounds its query and its table.
MAX_TOKENS = 500
# The learned score tells a domain from a word by this prefix.
DOMAIN_PREFIX = "domaine:"


@dataclass(frozen=True)
class Features:
    words: Counter = field(default_factory=Counter)
    domains: frozenset = frozenset()
    links: int = 0
    email: str = ""

    def tokens(self):
        """Words and domains as the learned score counts them: ``{token: count}``, at most MAX_TOKENS."""
        counted = Counter(self.words)
        counted.update({DOMAIN_PREFIX + domain: 1 for domain in self.domains})
        return dict(counted.most_common(MAX_TOKENS))


def domain_of(address):
    """The host of a link or website, lowercased, without ``www.``; "" when there is none."""
    address = address.strip()
    if address.lower().startswith("www."):
        address = "http://" + address
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host


def read(comment):
    """The Features of ``comment``, Isso's dict (``text``, ``author``, ``email``, ``website``)."""
    text = comment.get("text") or ""
    author = html.unescape(comment.get("author") or "")
    email = html.unescape(comment.get("email") or "").strip().lower()
    website = html.unescape(comment.get("website") or "")
    links = [match.group(0) for match in LINK.finditer(text)]
    domains = {domain_of(link) for link in links}
    if website:
        domains.add(domain_of(website))
    if "@" in email:
        domains.add(email.rsplit("@", 1)[1])
    words = Counter(WORD.findall(LINK.sub(" ", f"{author} {text}").lower()))
    return Features(
        words=words, domains=frozenset(d for d in domains if d), links=len(links) + bool(website), email=email
    )


def matches_domain(domain, listed):
    """True when ``domain`` is ``listed`` or one of its subdomains (``shop.casino.example`` for ``casino.example``)."""
    return domain == listed or domain.endswith("." + listed)
