"""The video hosts a chronicle may link to as a card: which addresses are theirs, and how a player's address becomes the video's own page.

The video_cards plugin makes a card of a link to one of them; the checks (zohe_checks)
turn a refused player (`<iframe>`) into the card an author should write instead. Both read
the list here, or the site's `VIDEO_HOSTS` setting when it gives one, in the same shape:

- `name`: the host as readers know it ("Regarder sur YouTube");
- `domains`: its domains, subdomains included (empty for PeerTube, whose instances are many);
- `path`: when given, a regular expression the address's path must match (PeerTube's video
  addresses, which are what tells one of its instances from any other site);
- `player`: a regular expression matching the path of its player, `id` the video;
- `watch`: the video's own page, from `id` and the player's `host`.
"""

import re
from urllib.parse import urlsplit

_PEERTUBE_ID = r"(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9A-HJ-NP-Za-km-z]{22})"

HOSTS = (
    {
        "name": "YouTube",
        "domains": ("youtube.com", "youtu.be", "youtube-nocookie.com"),
        "player": r"^/embed/(?P<id>[\w-]+)",
        "watch": "https://www.youtube.com/watch?v={id}",
    },
    {
        "name": "Vimeo",
        "domains": ("vimeo.com",),
        "player": r"^/video/(?P<id>\d+)",
        "watch": "https://vimeo.com/{id}",
    },
    {
        "name": "Dailymotion",
        "domains": ("dailymotion.com", "dai.ly"),
        "player": r"^/embed/video/(?P<id>\w+)",
        "watch": "https://www.dailymotion.com/video/{id}",
    },
    {
        "name": "PeerTube",
        "domains": (),
        "path": rf"^/(?:w|videos/watch|videos/embed)/{_PEERTUBE_ID}/?$",
        "player": rf"^/videos/embed/{_PEERTUBE_ID}",
        "watch": "https://{host}/w/{id}",
    },
)


def configured(settings):
    """The video hosts of a build: its `VIDEO_HOSTS` setting, else the list above."""
    return settings.get("VIDEO_HOSTS") or HOSTS


def host_of(url, hosts):
    """The entry of `hosts` an absolute http(s) address belongs to, or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    for host in hosts:
        if not (host.get("domains") or host.get("path")):
            continue
        if _on_domains(parts.hostname, host) and re.search(host.get("path") or "", parts.path):
            return host
    return None


def shown_domain(url):
    """The domain a reader recognises in an address: youtube.com for https://www.youtube.com/…."""
    name = (urlsplit(url.strip()).hostname or "").lower()
    return name.removeprefix("www.")


def watch_address(url, hosts):
    """The video's own page for the address of its player (an `<iframe>`'s), else None."""
    parts = urlsplit(url.strip())
    if not parts.scheme:  # A protocol-relative player: //www.youtube.com/embed/…
        parts = urlsplit("https:" + url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    for host in hosts:
        found = host.get("player") and _on_domains(parts.hostname, host) and re.search(host["player"], parts.path)
        if found:
            return host["watch"].format(id=found.group("id"), host=parts.hostname)
    return None


def _on_domains(hostname, host):
    """Whether `hostname` is one of the host's domains or under one (any, when it lists none)."""
    name = hostname.lower()
    domains = host.get("domains") or ()
    return not domains or any(name == domain or name.endswith("." + domain) for domain in domains)
