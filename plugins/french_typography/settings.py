"""Defaults of the French typography plugin, merged with the site's `FRENCH_TYPOGRAPHY` setting."""

import french_text
import metadata_keys

DEFAULTS = {
    # Content whose `lang` is not listed keeps its own typography (an English quote stays English).
    "languages": ("fr",),
    # Metadata shown to readers, as HTML or plain text; strings and lists of strings are both
    # fixed. The one list of keys, with those typeset, is metadata_keys.py (the offer pages'
    # price or call to action read like the body text; `menu` is a page's name in the navigation).
    "metadata": metadata_keys.TYPESET,
    # The rules' own settings (code left alone, units, entities): french_text.RULES.
    **french_text.RULES,
}


def get_settings(pelican_settings):
    """The plugin's settings: the defaults updated with the site's `FRENCH_TYPOGRAPHY` dict."""
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("FRENCH_TYPOGRAPHY", {}))
    return settings
