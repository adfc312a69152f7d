"""WordPress's common shortcodes turned into the HTML the Markdown conversion understands, or reported.

Shortcodes are WordPress's own markup, which only WordPress renders: left in, readers would
see `[caption …]` as text. The five that WordPress itself provides (caption, gallery,
embed, audio, video) are converted here, before the HTML is read; any other one (a
plugin's, `[contact-form-7 …]`) is taken out, the words it enclosed kept, and reported for
the collective to revise: what it showed came from a plugin the new site does not have.
"""

import html
import re

# [name attr="value" …] with its closing [/name] and what it encloses, or alone.
_ENCLOSED = r"\[{name}(?P<attrs>\s[^\]]*)?\](?P<inner>.*?)\[/{name}\]"
_ALONE = r"\[{name}(?P<attrs>\s[^\]]*)?\](?!\()"
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
# A shortcode of a plugin: a lowercase name, then attributes or its closing tag; not `[voir ci-dessous]`.
_OTHER = re.compile(r"\[(?P<name>[a-z][a-z0-9_-]*)(?:\s+\w+=[^\]]*\](?:(?P<inner>.*?)\[/(?P=name)\])?"
                    r"|\](?P<enclosed>.*?)\[/(?P=name)\])", re.DOTALL)
_MEDIA_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv")


def attributes(text):
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(text or "")}


def convert(text, gallery, notes):
    """`text` with the five WordPress shortcodes made HTML; `gallery(ids)` gives a gallery's image addresses."""
    text = _sub("caption", True, text, _caption)
    text = _sub("embed", True, text, lambda attrs, inner: f'<p class="wp-embed">{html.escape(inner.strip())}</p>')

    def gallery_html(attrs, inner):
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
        sources = gallery(ids)
        if not sources:
            notes.append("galerie sans image connue de l’export retirée")
        return "".join(f'<p><img src="{html.escape(src)}" alt=""></p>' for src in sources)

    text = _sub("gallery", False, text, gallery_html)
    for kind in ("audio", "video"):
        text = _sub(kind, True, text, lambda attrs, inner, kind=kind: _media(kind, attrs))
        text = _sub(kind, False, text, lambda attrs, inner, kind=kind: _media(kind, attrs))

    def other(found):
        notes.append(f"code court [{found.group('name')}] retiré, WordPress seul le comprenait\u202f; "
                     "à revoir (ce qu’il entourait est gardé)")
        return found.group("inner") or found.group("enclosed") or ""

    return _OTHER.sub(other, text)


def _sub(name, enclosed, text, make):
    pattern = re.compile((_ENCLOSED if enclosed else _ALONE).format(name=name), re.DOTALL)
    return pattern.sub(lambda m: make(attributes(m.group("attrs")), m.groupdict().get("inner") or ""), text)


def _caption(attrs, inner):
    """[caption]<img …> Le texte[/caption]: the image and its caption as a figure."""
    found = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", inner, re.DOTALL)
    if not found:
        return inner
    caption = found.group(2).strip() or attrs.get("caption", "")
    return f"<figure>{found.group(1)}<figcaption>{caption}</figcaption></figure>"


def _media(kind, attrs):
    """[audio src=…] or [video mp4=…]: a media element the HTML step copies or reports."""
    source = next((attrs[key] for key in _MEDIA_SOURCES if attrs.get(key)), "")
    return f'<{kind} src="{html.escape(source)}"></{kind}>'
