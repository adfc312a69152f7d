"""Pelican plugin that gives chronicles and pages French typography wherever a reader sees them.

It works on each content object as soon as Pelican has made it (`content_object_init`), before
any page, listing or feed is rendered, so the article page, the listings' summaries and the
feeds all read the same corrected text. It fixes the source attributes that Pelican renders
from (its body, metadata and summary, see pelican_internals), never the rendered output, so there is one pass
per document and no template can bypass it. With Pelican's content cache this composes either
way: the reader-level cache stores the reader's raw output, which is fixed again after loading;
the generator-level cache stores objects already fixed, and the signal is not sent for them. The
rules are idempotent, so a second pass would change nothing anyway.
"""

import hashlib
import logging
import os
import pickle

from pelican import signals
from pelican.contents import Static

import french_text
import pelican_internals

from .settings import get_settings

logger = logging.getLogger(__name__)

# The typographer of the settings object seen last: content objects of one build share one
# settings dict, and building the rules costs more than applying them to a short title.
_current = {"settings": None, "typographer": None, "plugin_settings": None}


_NO_SETTINGS = {}


class _Remembered:
    """A typographer that remembers its results: the same text gives the same text.

    Most of a rebuild's documents are unchanged, so their bodies, titles and
    summaries are looked up instead of corrected again. With Pelican's content
    cache on, the results are kept in CACHE_PATH between builds, under a
    fingerprint of the rules' code and settings so that a change to either
    starts afresh.
    """

    FILE = "french_typography.pickle"

    def __init__(self):
        self.fingerprint = None
        self.results = {}
        self.used = set()
        self.dirty = False

    def use(self, plugin_settings):
        with open(french_text.__file__, "rb") as handle:
            rules = handle.read()
        fingerprint = hashlib.sha256(rules + repr(sorted(plugin_settings.items())).encode()).hexdigest()
        if fingerprint != self.fingerprint:
            self.fingerprint, self.results, self.dirty = fingerprint, {}, False
        self.typographer = french_text.Typographer(plugin_settings)

    def apply(self, text):
        self.used.add(text)
        try:
            return self.results[text]
        except KeyError:
            result = self.results[text] = self.typographer.apply(text)
            self.dirty = True
            return result

    def load(self, folder):
        try:
            with open(os.path.join(folder, self.FILE), "rb") as handle:
                fingerprint, results = pickle.load(handle)
        except (OSError, pickle.PickleError, ValueError, EOFError, TypeError):
            return
        if fingerprint == self.fingerprint:
            self.results.update(results)

    def save(self, folder=None):
        """Keep what this build used, and nothing more, so memory and file never outgrow the site."""
        self.results = {text: self.results[text] for text in self.used if text in self.results}
        self.used = set()
        if folder is None or not self.dirty:
            return
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, self.FILE)
        partial = f"{path}.{os.getpid()}"
        with open(partial, "wb") as handle:
            pickle.dump((self.fingerprint, self.results), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        self.dirty = False


_remembered = _Remembered()


def _for_settings(pelican_settings):
    if _current["settings"] is not pelican_settings:
        plugin_settings = get_settings(pelican_settings)
        _remembered.use(plugin_settings)
        _current.update(
            settings=pelican_settings,
            plugin_settings=plugin_settings,
            typographer=_remembered,
        )
    return _current["typographer"], _current["plugin_settings"]


def forget_results():
    """Forget every remembered result, as a new process would (the benchmark times builds so)."""
    _remembered.__init__()
    _current.update(settings=None, typographer=None, plugin_settings=None)


def load_results(pelican):
    settings = pelican.settings
    _for_settings(settings)
    _remembered.used = set()
    if settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE"):
        _remembered.load(settings["CACHE_PATH"])


def save_results(pelican):
    folder = pelican.settings["CACHE_PATH"] if pelican.settings.get("CACHE_CONTENT") else None
    try:
        _remembered.save(folder)
    except OSError:
        logger.warning("%s\u00a0: la typographie n’a pas pu y garder ses résultats\u202f; vérifiez que ce "
                       "dossier existe et que la construction peut y écrire", folder)


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
    if pelican_internals.body(instance):
        pelican_internals.set_body(instance, typographer.apply(pelican_internals.body(instance)))
    metadata = instance.metadata
    for key in settings["metadata"]:
        if key not in metadata:
            continue
        value = _fix_value(typographer, metadata[key])
        metadata[key] = value
        setattr(instance, key, value)
    if "summary" in metadata:
        pelican_internals.set_summary(instance, metadata["summary"])
    # A plugin connected before this one may have rendered the uncorrected text already.
    pelican_internals.forget_rendered(instance)


def add_jinja_filter(generator):
    """Offer `|french_typography` to the theme for strings that are not content (site texts)."""
    if hasattr(generator, "env"):
        typographer, _ = _for_settings(generator.settings)
        generator.env.filters.setdefault("french_typography", typographer.apply)


def register():
    signals.initialized.connect(load_results)
    signals.content_object_init.connect(fix_content)
    signals.generator_init.connect(add_jinja_filter)
    signals.finalized.connect(save_results)
