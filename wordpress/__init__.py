"""Bringing the collective's old WordPress site over: `invoke import.wordpress EXPORT.xml`.

One module per step, in the order the import runs them:
`export` reads WordPress's export file (WXR) into plain records, every item kept;
`html_to_markdown` turns an item's HTML into the Markdown authors write (shortcodes in
`shortcodes`); `documents` makes a chronicle or a page of an item, or says why not;
`manifest` remembers what the import wrote, and each item's file, so that a second run
changes nothing, never moves an item, and never overwrites an author's edit; `report`
says, in French, what became of each item;
`comments` brings each post's comments into Isso's database under its chronicle's address;
`media` copies the uploads the content uses (the largest size WordPress kept) into content/;
`redirects` writes every old address, each upload's sizes included, as nginx's map;
`importer` runs them in that order; `tasks` is the invoke collection `import`.
"""

import publish  # noqa: E402,F401  (puts plugins/ on sys.path: video_hosts, zohe_checks' schedule)
