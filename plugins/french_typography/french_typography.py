"""Pelican plugin that gives chronicles and pages French typography wherever a reader sees them.

It works on each content object as soon as Pelican has made it (`content_object_init`), before
any page, listing or feed is rendered, so the article page, the listings' summaries and the
feeds all read the same corrected text. It fixes the source attributes that Pelican renders
from (`_content`, the metadata and `_summary`), never the rendered output, so there is one pass
per document and no template can bypass it. With Pelican's content cache this composes either
way: the reader-level cache stores the reader's raw output, which is fixed again after loading;
the generator-level cache stores objects already fixed, and the signal is not sent for them. The
rules are idempotent, so a second pass would change nothing anyway.
"""

from pelican import signals
from pelican.contents import Content, Static

from .settings import get_settings
from .typography import Typographer

# The typographer of the settings object seen last: content objects of one build share one
# settings dict, and building the rules costs more than applying them to a short title.
_current = {"settings": None, "typographer": None, "plugin_settings": None}


_NO_SETTINGS = {}


def _for_settings(pelican_settings):
    if _current["settings"] is not pelican_settings:
        plugin_settings = get_settings(pelican_settings)
        _current.update(
            settings=pelican_settings,
            plugin_settings=plugin_settings,
            typographer=Typographer(plugin_settings),
        )
    return _current["typographer"], _current["plugin_settings"]


def typeset(html, pelican_settings=None):
    """`html` with French typography; for other plugins and for the theme's Jinja filter."""
    typographer, _ = _for_settings(pelican_settings or _NO_SETTINGS)
    return typographer.apply(html)


def _fix_value(typographer, value):
    if isinstance(value, str):
        return typographer.apply(value)
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return type(value)(typographer.apply(item) for item in value)
    return value  # dates, authors, tags: not text a rule applies to


def fix_content(instance):
    """Apply the rules to a content object's body, title, summary and reader-facing metadata."""
    if isinstance(instance, Static) or not hasattr(instance, "settings"):
        return
    typographer, settings = _for_settings(instance.settings)
    # "fr-CA" is French too: compare the primary language subtag.
    lang = str(getattr(instance, "lang", "") or "").lower().replace("_", "-").split("-")[0]
    if lang not in settings["languages"]:
        return
    if instance._content:
        instance._content = typographer.apply(instance._content)
    metadata = instance.metadata
    for key in settings["metadata"]:
        if key not in metadata:
            continue
        value = _fix_value(typographer, metadata[key])
        metadata[key] = value
        setattr(instance, key, value)
    # Pelican reads the summary from `_summary` when it refreshes intersite links.
    if "summary" in metadata and hasattr(instance, "_summary"):
        instance._summary = metadata["summary"]
    _forget_memoized(instance)


def _forget_memoized(instance):
    # Content.get_content/get_summary memoize per (object, siteurl): if a plugin connected before
    # this one already read `instance.content`, the uncorrected text would be served from there.
    siteurl = instance.get_siteurl()
    for name in ("get_content", "get_summary"):
        vars(Content)[name].cache.pop((instance, siteurl), None)


def add_jinja_filter(generator):
    """Offer `|french_typography` to the theme for strings that are not content (site texts)."""
    if hasattr(generator, "env"):
        typographer, _ = _for_settings(generator.settings)
        generator.env.filters.setdefault("french_typography", typographer.apply)


def register():
    signals.content_object_init.connect(fix_content)
    signals.generator_init.connect(add_jinja_filter)
