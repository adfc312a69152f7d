"""French typography for HTML fragments: no-break spaces, guillemets, apostrophes, ellipses and ordinals.

The one home of the rules: the build's french_typography plugin applies them to what authors
write, and readers' comments get them through `typeset` wherever they are shown (the baked
pages and feeds, plugins/baked_comments; the comment server's answers, comments.typography),
so a comment reads the same wherever a reader meets it. Pure text in, text out: the comment
server imports this module without Pelican.

The HTML is cut into tags and text with one regular expression; tags are opaque (attributes are
never touched) and the text of code-like elements is skipped whole. Consecutive text separated
only by inline tags (`<em>Oui</em> !`) forms one *run*, so a rule sees the words around a
punctuation sign even across tags; block tags end a run. Entities are decoded for matching
(`&nbsp;` is a space, `&quot;` a quote) but the source is copied verbatim wherever no rule
applies, so running the function twice changes nothing.
"""

import functools
import html
import re

NBSP = "\u00a0"
NNBSP = "\u202f"
# Stands for an opaque piece inside a run (a code span, an image, a masked URL): it is not a
# space, so "<code>ls</code> !" still gets its space, and no rule ever matches or edits it.
OPAQUE = "\ufffc"

# A tag, comment, CDATA or declaration. Quoted attribute values may contain ">"; a "<" that does
# not open a well-formed tag ("a < b" in a title) stays text.
_TOKEN = re.compile(
    r"""<!--.*?-->"""
    r"""|<!\[CDATA\[.*?\]\]>"""
    r"""|<[!?][^<>]*>"""
    r"""|<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:[^<>"']|"[^"]*"|'[^']*')*>""",
    re.S,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Inline elements a sentence flows through; any other element ends the run.
_INLINE = frozenset(
    "a abbr acronym b bdi bdo big cite data del dfn em font i ins mark q s small span strong "
    "sub sup time tt u wbr".split()
)
# Inline replaced elements: they stand in the sentence like a word.
_VOID_OPAQUE = frozenset(("img", "input", "embed"))
# Elements whose content is raw text: their end is found by name, not by parsing.
_RAW_TEXT = frozenset(("script", "style", "textarea"))

# URLs and e-mail addresses are masked before the rules run. A URL ends on a character that
# cannot be sentence punctuation, so "voir http://x.fr !" and "http://x.fr/?a=b" both read right.
_ADDRESS = re.compile(
    r"""(?:[A-Za-z][A-Za-z0-9+.-]*://|mailto:|tel:|www\.)[^\s<>"«»]*[^\s<>"«».,;:!?)\]'’…]"""
    r"""|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"""
)

# What a ";" ends when it ends an entity's name written out as text ("&amp;amp;" shows "&amp;").
_ENTITY_NAME_BEFORE = re.compile(r"&#?[A-Za-z0-9]{1,31}\Z")

_SPACES = frozenset(" \t\n\r\f\v\u00a0\u202f\u2009\u2007\u2002\u2003\u2005\u2006\u200a")
# After a double punctuation sign, only these may follow for it to be sentence punctuation;
# "12:30", "http://" and "?a=b" are left alone because a letter or digit follows.
_FOLLOW = r"""(?=$|[\s»)\]"'’…,.])"""
# A space is not added after these: "(?)", "[!]".
_NO_SPACE_AFTER = frozenset("([{/\\-–—«")
# Context that tells an opening straight quote from a closing one.
_OPENS_AFTER = frozenset("([{–—-/")
_CLOSES_BEFORE = frozenset(".,;:!?)]…»")

# An ordinal as French typography writes it: the number, then its letters in superscript
# (1er, 1re, 2e, 2d, 2de, XIXe; plural 1ers, 2es). The spellings authors type ("5ème",
# "2eme", "2è", "1ère", "2nd", "XIXème") are the same ordinals. Only a word that is wholly
# an ordinal is one: "M2e", "B2B", "1e3", "5e-3", "2emploi" or "#3e" are left alone, and of
# the Roman numerals a lone L, C, D or M is not taken ("Le", "Ce", "De", "Mer" are words).
_ROMAN = "IVXLCDM"
_ORDINAL = (
    r"(?<![\w.,…#&@+-])(?:1(?:er|re|ère|ere)s?|2nde?s?|(?:[2-9]|[1-9]\d+)(?:i?[eè]me|è|e)s?)"
    r"(?![\w’'@]|[-+]\d)"
    r"|(?<![\w’'])(?:Ier|Iers|Ière|Ières|(?!I[eè])(?=[IVX](?![IVXLCDM])|[IVXLCDM]{2})"
    r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?:i?[eè]me|è|e)s?)(?![\w’'])"
)
# An ordinal's letters as written, its plural's "s" aside, and as typeset; any other is "e".
_ORDINAL_LETTERS = {"er": "er", "re": "re", "ère": "re", "ere": "re", "nd": "d", "nde": "de"}


# The rules' settings as the site uses them; the plugin's FRENCH_TYPOGRAPHY may change them for
# authors' text, readers' comments always get these (the comment server reads no Pelican setting).
RULES = {
    # Elements whose text is never touched: their content is code, data or form input; or a
    # superscript (a footnote's number, an ordinal's letters), so that "5<sup>e</sup>" stays.
    "skip_tags": (
        "code", "kbd", "samp", "pre", "script", "style", "textarea", "svg", "math", "template",
        "sup",
    ),
    # Write the no-break spaces as `&#160;`/`&#8239;` rather than raw characters: Pelican's feed
    # writer passes titles through Markup.striptags(), whose whitespace collapsing turns raw
    # U+00A0/U+202F into plain spaces but keeps character references, unescaping them afterwards.
    "entities": True,
    # Units after a number, written after a no-break space. Symbols get the space even when the
    # author wrote none ("10%"); letter units only have an existing space replaced, since "4G",
    # "mp3" or "5e" are words, not quantities. A bare "°" (an angle, "360°") takes no space.
    "symbol_units": ("%", "‰", "€", "$", "£", "°C", "°F"),
    "letter_units": (
        "km/h", "km²", "m²", "m³", "mm", "cm", "km", "m", "mg", "kg", "g", "t", "ml", "cl",
        "l", "L", "h", "min", "ms", "s", "Ko", "Mo", "Go", "To", "kWh", "kW", "W", "Hz", "ha",
        "euros", "euro",
    ),
}


class Typographer:
    """Applies the French rules to HTML fragments; build one per settings and reuse it."""

    def __init__(self, settings):
        self.skip_tags = frozenset(tag.lower() for tag in settings["skip_tags"])
        if settings["entities"]:
            self.nbsp, self.nnbsp = "&#160;", "&#8239;"
        else:
            self.nbsp, self.nnbsp = NBSP, NNBSP
        symbols = sorted(settings["symbol_units"], key=len, reverse=True)
        letters = sorted(settings["letter_units"], key=len, reverse=True)
        alternatives = [
            r"[;:!?]+" + _FOLLOW,  # double punctuation, a group such as "?!" counted once
            r'"\s*',  # a straight double quote and the spaces after it
            "\u201c\\s*",  # English quotes in French text: “ opens, ” closes, no guessing
            "\u201d",
            r"«\s*(?=\S)",
            r"»",
            r"'",
            r"\.\.\.(?!\.)",
            _ORDINAL,
        ]
        unit_parts = []
        if symbols:
            unit_parts.append(
                r"\s*(?=(?:%s)(?![\w'’-]))" % "|".join(map(re.escape, symbols))
            )
        if letters:
            unit_parts.append(
                r"\s+(?=(?:%s)(?![\w'’-]))" % "|".join(map(re.escape, letters))
            )
        if unit_parts:
            # A number and the spaces before its unit; the unit itself is only looked at.
            alternatives.append(r"\d+(?:[.,]\d+)?(?:%s)" % "|".join(unit_parts))
        # No groups and a leading character-class lookahead: measured, this lets the regex
        # engine skip plain letters about four times faster than named alternatives do. The
        # rule that matched is told by the match's first character.
        self._rules = re.compile(
            r"""(?=[;:!?"«»“”'.0-9%s])(?:%s)""" % (_ROMAN, "|".join(alternatives))
        )

    # -- HTML walking -------------------------------------------------------------------------

    def apply(self, fragment):
        """The fragment with French typography; tags and skipped elements are copied verbatim."""
        if not fragment:
            return fragment
        out = []
        run = []  # pieces of the current run: (text, is_text)
        pos = 0
        length = len(fragment)
        search = _TOKEN.search
        while pos < length:
            match = search(fragment, pos)
            if match is None:
                run.append((fragment[pos:], True))
                break
            start = match.start()
            if start > pos:
                run.append((fragment[pos:start], True))
            name = match.group(2)
            end = match.end()
            if name is None:
                # Comments stay in the run; a declaration or processing instruction ends it.
                if fragment.startswith("<!--", start):
                    run.append((match.group(), False))
                else:
                    self._flush(run, out)
                    out.append(match.group())
                pos = end
                continue
            name = name.lower()
            closing = bool(match.group(1))
            if name in self.skip_tags and not closing:
                if not fragment.endswith("/>", start, end):
                    end = self._skip_end(fragment, name, end)
                run.append((fragment[start:end], OPAQUE))
            elif name in _INLINE:
                run.append((match.group(), False))
            elif name in _VOID_OPAQUE:
                run.append((match.group(), OPAQUE))
            else:
                self._flush(run, out)
                out.append(match.group())
            pos = end
        self._flush(run, out)
        return "".join(out)

    @staticmethod
    def _skip_end(fragment, name, pos):
        """Where the element `name` opened just before `pos` ends (its end tag included)."""
        if name in _RAW_TEXT:
            close = re.compile(r"</%s\s*>" % name, re.I).search(fragment, pos)
            return close.end() if close else len(fragment)
        # Same-name elements may nest (a <code> inside <code> is rare but legal HTML): count.
        depth = 1
        for match in _TOKEN.finditer(fragment, pos):
            tag = match.group(2)
            if tag is None or tag.lower() != name:
                continue
            if match.group(1):
                depth -= 1
                if depth == 0:
                    return match.end()
            elif not match.group().endswith("/>"):
                depth += 1
        # Unclosed: leave the rest alone rather than risk typesetting code.
        return len(fragment)

    # -- One run of text ----------------------------------------------------------------------

    def _flush(self, run, out):
        """Apply the rules to the run and write it to `out`; empties `run`."""
        if not run:
            return
        # pieces: (start, end, source, plain); a plain piece maps its source 1:1 onto the text.
        pieces = []
        chunks = []
        offset = 0
        for source, kind in run:
            if kind is True:
                if "&" not in source:
                    pieces.append((offset, offset + len(source), source, True))
                    chunks.append(source)
                    offset += len(source)
                    continue
                last = 0
                for entity in _ENTITY.finditer(source):
                    decoded = _unescape(entity.group())
                    if decoded == entity.group():
                        continue  # unknown name: it is just text
                    if entity.start() > last:
                        plain = source[last : entity.start()]
                        pieces.append((offset, offset + len(plain), plain, True))
                        chunks.append(plain)
                        offset += len(plain)
                    pieces.append((offset, offset + len(decoded), entity.group(), False))
                    chunks.append(decoded)
                    offset += len(decoded)
                    last = entity.end()
                if last < len(source):
                    plain = source[last:]
                    pieces.append((offset, offset + len(plain), plain, True))
                    chunks.append(plain)
                    offset += len(plain)
            elif kind is OPAQUE:
                pieces.append((offset, offset + 1, source, False))
                chunks.append(OPAQUE)
                offset += 1
            else:
                pieces.append((offset, offset, source, False))
        run.clear()
        text = "".join(chunks)
        edits = self._edits(text) if text else None
        if not edits:
            out.extend(piece[2] for piece in pieces)
        elif len(pieces) == 1 and pieces[0][3]:
            out.append(_apply_to_text(text, edits))  # the common case: a plain paragraph
        else:
            out.append(_apply_edits(pieces, edits))

    def _edits(self, text):
        """Sorted, non-overlapping (start, end, replacement, sticks_left) edits of `text`."""
        if "@" in text or "://" in text or "www." in text or "mailto:" in text or "tel:" in text:
            text = _ADDRESS.sub(_mask, text)
        edits = []
        append = edits.append
        last_end = 0  # edits never reach back before this
        # Where the last edit ending in a space ("«" and its space) ended: a sign right there
        # already has its space ('"!' gives "« !", not two spaces, and "" gives "« »").
        space_edge = -1
        quote_open = False
        nbsp, nnbsp = self.nbsp, self.nnbsp
        for match in self._rules.finditer(text):
            start, end = match.span()
            char = text[start]
            if char == "'":
                append((start, end, "’", False))
                last_end = end
            elif char in ";:!?":
                if char == ";" and _ENTITY_NAME_BEFORE.search(text, max(0, start - 33), start):
                    continue  # "&amp;" quoted as text (a reader showing HTML): not punctuation
                space_start = _space_before(text, start, last_end)
                if space_start == 0 or space_start == space_edge:
                    continue  # nothing before the sign in this run, or a space already
                before = text[space_start - 1]
                if before in _NO_SPACE_AFTER or before in _SPACES:
                    # "(?)"; or the spaces reach back to an earlier edit: leave them.
                    continue
                if char == ":":
                    if text[space_start:start] != NBSP:
                        append((space_start, start, nbsp, False))
                elif text[space_start:start] != NNBSP:
                    append((space_start, start, nnbsp, False))
                last_end = end
            elif char == ".":
                if start > 0 and text[start - 1] == ".":
                    continue  # "...." is not an ellipsis the author typed as three dots
                append((start, end, "…", False))
                last_end = end
            elif char in '"\u201c\u201d':
                before = text[start - 1] if start > 0 else ""
                if char == "\u201c":  # English quotes say which side they are on
                    opening = True
                elif char == "\u201d":
                    opening = False
                else:
                    after = text[start + 1] if start + 1 < len(text) else ""
                    left = before == "" or before in _SPACES or before in _OPENS_AFTER
                    right = after == "" or after in _SPACES or after in _CLOSES_BEFORE
                    if left and not right:
                        opening = True
                    elif right and not left:
                        opening = False
                    else:
                        opening = not quote_open
                if opening:
                    if end == len(text) and char == '"':
                        continue  # a stray mark at the end of a run, not a quotation
                    append((start, end, "«" + nnbsp, True))
                    quote_open = True
                    last_end = space_edge = end
                else:
                    if char == '"' and not quote_open and before.isdigit():
                        continue  # 27" is inches, not the end of a quotation
                    space_start = _space_before(text, start, last_end)
                    if space_start == space_edge:
                        append((start, start + 1, "»", False))
                    else:
                        append((space_start, start + 1, nnbsp + "»", False))
                    quote_open = False
                    # The spaces after a closing quote belong to the text that follows.
                    last_end = start + 1
            elif char == "«":
                if text[start + 1 : end] != NNBSP:
                    append((start + 1, end, nnbsp, True))
                last_end = space_edge = end
            elif char == "»":
                space_start = _space_before(text, start, last_end)
                if space_start > 0 and space_start != space_edge and text[space_start - 1] not in _SPACES:
                    if text[space_start:start] != NNBSP:
                        append((space_start, start, nnbsp, False))
                last_end = end
            elif char in _ROMAN or text[end - 1].isalpha():
                # An ordinal: its letters, written the one way, in superscript.
                number_end = start
                while text[number_end].isdigit() or text[number_end] in _ROMAN:
                    number_end += 1
                written = text[number_end:end]
                plural = "s" if written.endswith("s") else ""
                letters = _ORDINAL_LETTERS.get(written[: len(written) - len(plural)], "e") + plural
                append((number_end, end, "<sup>%s</sup>" % letters, False))
                last_end = end
            else:  # a number, then the spaces before its unit
                if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".,_…"):
                    continue  # "A4", "v2.5": part of a word or of a longer number
                space_start = start
                while space_start < end and text[space_start] not in _SPACES:
                    space_start += 1
                if text[space_start:end] != NBSP:
                    append((space_start, end, nbsp, False))
                last_end = end
        return edits


def _mask(match):
    return OPAQUE * (match.end() - match.start())


_unescape = functools.lru_cache(maxsize=512)(html.unescape)


def _space_before(text, index, floor):
    """Where the run of spaces ending at `index` starts, not going back past `floor`."""
    while index > floor and text[index - 1] in _SPACES:
        index -= 1
    return index


def _apply_to_text(text, edits):
    """`text` with `edits` applied, when the run is one plain piece of source."""
    out = []
    cursor = 0
    for start, end, replacement, _ in edits:
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _inserts_left_at(edit, position):
    """Whether `edit` inserts text at `position` that belongs with what comes before it."""
    return edit[3] and edit[0] == edit[1] == position


def _apply_edits(pieces, edits):
    """The run's source with `edits` (offsets in the decoded text) applied to its pieces.

    An edit's replacement is written in the piece where the edit starts; an insertion at a
    boundary goes into the later piece, so a space before "!" lands outside a closing `</em>`,
    unless the edit sticks to the left, as the space after "«" does (`«&#8239;<em>Oui`).
    Atomic pieces (entities, opaque elements) are either copied whole or replaced whole.
    """
    out = []
    index = 0
    count = len(edits)
    for start, end, source, plain in pieces:
        if start == end:
            out.append(source)
            continue
        cursor = start
        covered = False
        while index < count and (
            edits[index][0] < end or (plain and _inserts_left_at(edits[index], end))
        ):
            edit_start, edit_end, replacement, _ = edits[index]
            if plain and edit_start > cursor:
                out.append(source[cursor - start : edit_start - start])
            if edit_start >= start:
                out.append(replacement)
            if edit_end > start:
                covered = True
            if edit_end > end:
                cursor = end
                break  # the edit goes on into the next piece
            if edit_end > cursor:
                cursor = edit_end
            index += 1
        if plain:
            if cursor < end:
                out.append(source[cursor - start :])
        else:
            if not covered:
                out.append(source)
            while index < count and _inserts_left_at(edits[index], end):
                out.append(edits[index][2])
                index += 1
    # Insertions at the very end of the run.
    out.extend(edit[2] for edit in edits[index:])
    return "".join(out)


_comments = []


def typeset(fragment):
    """`fragment` with the rules as RULES sets them: a reader's comment, rendered to HTML.

    The baked pages, the comment feeds and the comment server's JSON answers all call this,
    so the comment a page bakes and the one the server answers are the same string.
    """
    if not _comments:
        _comments.append(Typographer(RULES))
    return _comments[0].apply(fragment)
