"""Isso's admin page made usable by keyboard and assistive technologies: landmarks, labelled fields, real buttons.

What axe-core found on Isso 0.14's page (tests/deploy/test_accessibility.py sweeps it):
the grouping checkbox and the page number without a label, the log-out button outside
the banner, no main landmark around the lists, and, once a comment is being edited, its
text's field without a label (labelled ahead, for the field Isso's script will add).
The links to the previous and next pages, past 100 comments, were named « and » alone.
Isso's moderation buttons are also links without an address, which no keyboard reaches:
they become buttons, and the search help a button too (comments/admin.js opens it from
the keyboard). comments/admin.css underlines the links inside a comment's header, told
apart by their colour alone, and gives the buttons a colour dark enough for their size.
Applied by comments.admin before comments.admin_french, which then translates the words.
"""

import re

# Our own words on the page (Isso has none there).
PAGE_NUMBER = "Numéro de la page affichée"
PAGE_LINKS = {"«": "Page précédente", "»": "Page suivante"}
SEARCH_HELP = "Aide sur la recherche"
COMMENT_TEXT = "Texte du commentaire"

GROUP = re.compile(r'(<div class="group">\s*)([^<]*?)(\s*)<input type="checkbox"')
PAGE_FIELD = '<input type="text" size="1" name="page"'
PAGE_LINK = re.compile(r'(<a href="\?mode=\d+&page=\d+")>(\s*)([«»])(\s*</a>)')
SEARCH_LABEL = '<label class="search-label">'
SEARCH_FIELD = '<input type="url" class="search__input"'
TOOLTIP = '<div class="search-tooltip" data-zohe-call="toggleTooltip">'
# A comment's text, where Isso's script puts the field that edits it (isso-text-N-textarea).
TEXT = re.compile(r'<pre id="isso-text-(\d+)">')
# Isso's buttons, once comments.admin gave them data attributes: links without an address.
BUTTON = re.compile(r"<a (id=\"[^\"]*\" )?class=(['\"])([^'\"]*)\2(\s*)(data-zohe-call=[^>]*)>([^<]*)</a>")
# The page's parts: Isso's header, the filters and lists, the end of its wrapper.
HEADER = ('<div class="header">', "<header>")
LISTS = '<div class="outer">'
END = re.compile(r"(</div>\s*)(</div>\s*</body>)")


def accessible(page):
    """Isso's admin page (its handlers already rewritten by comments.admin) with landmarks, labels and buttons."""
    page = GROUP.sub(r'\1<label for="zohe-grouper">\2</label>\3<input id="zohe-grouper" type="checkbox"', page)
    page = page.replace(PAGE_FIELD, f'{PAGE_FIELD} aria-label="{PAGE_NUMBER}"')
    page = PAGE_LINK.sub(lambda m: f'{m[1]} aria-label="{PAGE_LINKS[m[3]]}">{m[2]}{m[3]}{m[4]}', page)
    page = page.replace(SEARCH_LABEL, '<label class="search-label" for="zohe-recherche">')
    page = page.replace(SEARCH_FIELD, '<input id="zohe-recherche" type="url" class="search__input"')
    page = page.replace(TOOLTIP, TOOLTIP[:-1] + f' role="button" tabindex="0" aria-label="{SEARCH_HELP}">')
    # Read by assistive technologies only: seen, the field is plainly the comment's text.
    page = TEXT.sub(rf'<label class="zohe-lecteurs" for="isso-text-\1-textarea">{COMMENT_TEXT}</label>\g<0>', page)
    page = BUTTON.sub(lambda m: f'<button type="button" {m[1] or ""}class="{m[3]}"{m[4]}{m[5]}>{m[6]}</button>', page)
    # The log-out button belongs to the banner: the outer block is it, Isso's inner header not.
    page = page.replace(HEADER[0], '<div class="header" role="banner">', 1)
    page = page.replace(HEADER[1], '<header role="none">', 1)
    page = page.replace(LISTS, "<main>" + LISTS, 1)
    return END.sub(r"\1</main>\2", page, count=1)
