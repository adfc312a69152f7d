"""A Python-Markdown extension: a table column's alignment as a class (`align-right`), not as an inline style.

Python-Markdown's tables extension aligns a column (`| ---: |`) with `style="text-align:
right;"` on each cell, or with HTML's obsolete `align` attribute when its
`use_align_attribute` option is on. The site's Content-Security-Policy (`style-src 'self'`,
deploy/nginx/zohe-site.conf) blocks every inline style, so the column came out left-aligned;
the feeds' readers would strip it too. pelicanconf.py turns the option on, and this moves
the attribute into a class that theme/static/css/zohe.css styles.
"""

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# What the tables extension writes -> the class the theme styles.
CLASSES = {"left": "align-left", "center": "align-center", "right": "align-right"}


class AlignmentClasses(Treeprocessor):
    def run(self, root):
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            alignment = cell.attrib.pop("align", None)
            if alignment in CLASSES:
                cell.set("class", " ".join(filter(None, [cell.get("class"), CLASSES[alignment]])))


class TableAlignmentExtension(Extension):
    def extendMarkdown(self, md):
        # Any priority will do: the tables are built by the block parser, before every treeprocessor.
        md.treeprocessors.register(AlignmentClasses(md), "table_alignment", 5)


def makeExtension(**kwargs):
    return TableAlignmentExtension(**kwargs)
