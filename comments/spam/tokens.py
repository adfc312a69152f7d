"""What the spam rules and the learned score read of a comment: its words, the domains it names, how many links it holds, its e-mail address, its language.

Isso stores the author, e-mail and website escaped for HTML; they are read back as typed.
A link is what a reader could follow: an ``http(s)://`` or ``www.`` address in the text
(a Markdown link is one too), and the commenter's website. Words are runs of letters,
lowercased, two to thirty long: numbers and longer runs carry no meaning a moderator
decides on, and a run of letters is all the learned score keeps (no text). The words of the
domains it names (``lucky-casino.example``: lucky, casino) are words of the comment too:
a spam site is often named for what it sells. A link written as HTML (``<a href=``) or
BBCode (``[url=``) is counted apart: the form takes Markdown, and only robots write those.
The language is told by the commonest small words of English and French.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]{2,30}")
MARKUP_LINK = re.compile(r"<a\s[^>]*href|\[(?:url|link)=", re.IGNORECASE)
# Common English words that are no French words (spam's English is terse: "buy", "online",
# "without", "now" as much as "the"), and the commonest French ones.
ENGLISH = frozenset(
    "the and you your for with this that is are my our it of to from by at be have has was will can all more "
    "most best buy now here very really thanks thank great nice good free online without order click get just "
    "about how what which who when where there their they we keep cheap cheapest fast money today only off "
    "per play check visit share writing".split()
)
FRENCH = frozenset("le la les de des du et un une pour sur est je vous nous que qui pas dans avec ce cette au".split())
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
    markup_links: int = 0
    english: bool = False

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
    text_words = WORD.findall(LINK.sub(" ", text).lower())
    words = Counter(WORD.findall(author.lower()) + text_words)
    words.update(word for domain in domains if domain for word in WORD.findall(domain.rsplit(".", 1)[0]))
    english = sum(word in ENGLISH for word in text_words)
    return Features(
        words=words, domains=frozenset(d for d in domains if d), links=len(links) + bool(website), email=email,
        markup_links=len(MARKUP_LINK.findall(text)),
        english=english >= 2 and english > sum(word in FRENCH for word in text_words),
    )


def matches_domain(domain, listed):
    """True when ``domain`` is ``listed`` or one of its subdomains (``shop.casino.example`` for ``casino.example``)."""
    return domain == listed or domain.endswith("." + listed)
