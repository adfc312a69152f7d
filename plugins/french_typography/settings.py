"""Defaults of the French typography plugin, merged with the site's `FRENCH_TYPOGRAPHY` setting."""

import metadata_keys

DEFAULTS = {
    # Content whose `lang` is not listed keeps its own typography (an English quote stays English).
    "languages": ("fr",),
    # Metadata shown to readers, as HTML or plain text; strings and lists of strings are both
    # fixed. The one list of keys, with those typeset, is metadata_keys.py (the offer pages'
    # price or call to action read like the body text; `menu` is a page's name in the navigation).
    "metadata": metadata_keys.TYPESET,
    # Elements whose text is never touched: their content is code, data or form input.
    "skip_tags": (
        "code",
        "kbd",
        "samp",
        "pre",
        "script",
        "style",
        "textarea",
        "svg",
        "math",
        "template",
    ),
    # Write the no-break spaces as `&#160;`/`&#8239;` rather than raw characters: Pelican's feed
    # writer passes titles through Markup.striptags(), whose whitespace collapsing turns raw
    # U+00A0/U+202F into plain spaces but keeps character references, unescaping them afterwards.
    "entities": True,
    # Units after a number, written after a no-break space. Symbols get the space even when the
    # author wrote none ("10%"); letter units only have an existing space replaced, since "4G",
    # "mp3" or "5ème" are words, not quantities. A bare "°" (an angle, "360°") takes no space.
    "symbol_units": ("%", "‰", "€", "$", "£", "°C", "°F"),
    "letter_units": (
        "km/h",
        "km²",
        "m²",
        "m³",
        "mm",
        "cm",
        "km",
        "m",
        "mg",
        "kg",
        "g",
        "t",
        "ml",
        "cl",
        "l",
        "L",
        "h",
        "min",
        "ms",
        "s",
        "Ko",
        "Mo",
        "Go",
        "To",
        "kWh",
        "kW",
        "W",
        "Hz",
        "ha",
        "euros",
        "euro",
    ),
}


def get_settings(pelican_settings):
    """The plugin's settings: the defaults updated with the site's `FRENCH_TYPOGRAPHY` dict."""
    settings = dict(DEFAULTS)
    settings.update(pelican_settings.get("FRENCH_TYPOGRAPHY", {}))
    return settings
