"""Answers a link to a chronicle's address on the old WordPress site with the `{filename}` link to write instead.

The old site was published where the new one is (zohe.fr), its chronicles at /<slug>/
or /YYYY/MM/DD/<slug>/; the new one puts them at /chroniques/<slug>/. An author copying
a link from an old text keeps the old address: it leads nowhere, and in the preview (no
SITEURL) not even the link check sees it. A link absolute to one of those hosts, whose
address is in the old form, is no page of the new site, and names a chronicle's slug is
refused with the `{filename}` link of that chronicle, which Pelican keeps right wherever
the chronicle goes.
"""

import logging
import os
import re
from urllib.parse import urlsplit

from pelican.contents import Article

from built_site import documents
import pelican_internals

from .html_urls import absolute_host, read
from .settings import get_settings
from .where import SourceLines, place

logger = logging.getLogger(__name__)

# A WordPress chronicle's address: /<slug>/ or /YYYY/MM/DD/<slug>/.
_OLD_ADDRESS = re.compile(r"(?:\d{4}/\d{2}/\d{2}/)?(?P<slug>[^/]+)")


def old_site_hosts(settings):
    """The hosts the old site answered on, with the new site's own (the old one's, in production)."""
    hosts = set(get_settings(settings)["old_site_hosts"])
    own = urlsplit(settings.get("SITEURL") or "").hostname
    return hosts | {own} if own else hosts


def check_old_site_links(generators):
    """Each link to a chronicle's old address is told the `{filename}` link to write."""
    every = list(documents(generators))
    if not every:
        return
    settings = every[0].settings
    hosts = old_site_hosts(settings)
    chronicles = {document.slug: document for document in every if isinstance(document, Article)}
    pages = {document.url.strip("/") for document in every if document.url}
    for document in every:
        texts = [pelican_internals.body(document)]
        texts += [document.metadata.get(field) for field in settings.get("FORMATTED_FIELDS", ())]
        found = []
        for text in texts:
            if isinstance(text, str) and any(host in text for host in hosts):
                found += [(url, chronicles[slug]) for url, slug in old_addresses(read(text)[1], hosts, pages)
                          if slug in chronicles]
        lines = SourceLines(document.source_path) if found else None
        for url, chronicle in found:
            target = "{filename}/" + os.path.relpath(chronicle.source_path, settings["PATH"]).replace(os.sep, "/")
            fragment = urlsplit(url).fragment
            logger.error(
                "%s\u00a0: lien vers l’ancien site «\u00a0%s\u00a0»\u202f; écrivez [%s](%s)",
                place(document.source_path, settings, lines.line(url)),
                url, _link_text(lines.text, url), target + (f"#{fragment}" if fragment else ""),
            )


def old_addresses(links, hosts, pages):
    """(link, slug) of each link to one of `hosts` in the old address form and no page of the site."""
    for url in links:
        if absolute_host(url) not in hosts:
            continue
        path = urlsplit(url.strip()).path.strip("/")
        old = _OLD_ADDRESS.fullmatch(path)
        if old and path not in pages:
            yield url, old.group("slug")


def _link_text(source, url):
    """The text the author gave the link, as written in the source, else a placeholder."""
    found = re.search(r"\[([^\[\]]+)\]\(\s*<?" + re.escape(url), source)
    return " ".join(found.group(1).split()) if found else "texte du lien"
