"""Recognises a header written as YAML front matter, which Pelican's Markdown reader does not read.

Other static site generators take metadata between two `---` lines, lists on lines of their
own (`tags:` then `  - économie`). Python-Markdown's meta extension, which Pelican uses,
skips a first `---` and reads `key: value` lines, but a list item is not one: the header ends
there, the tags are lost, and the rest of the header is published as text at the top of the
chronicle. Pelican's only message was a missing Summary, when the summary came after the
list; `found` lets that check stay silent for a file this one already named.
"""

import logging
import re

logger = logging.getLogger(__name__)

_FENCE = re.compile(r"^(-{3}|\.{3})\s*$")
_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_ITEM = re.compile(r"^\s*-\s+(?P<value>.*)$")
# `tags: [économie, travail]`, YAML's other way of writing a list: Pelican would keep the brackets.
_FLOW = re.compile(r"^\[(?P<values>.*)\]$")


def yaml_lists(source_path):
    """The YAML lists of a front matter opened by `---` on the first line: [(line number, key, values)].

    Empty when the file has no such header or when its header holds no list.
    """
    lists = []
    with open(source_path, encoding="utf-8-sig", errors="replace") as handle:
        if not _FENCE.match(handle.readline()):
            return lists
        key = key_line = None
        for number, line in enumerate(handle, 2):
            line = line.rstrip("\r\n")
            if _FENCE.match(line) or not line.strip():
                break
            item = _ITEM.match(line)
            if item and key is not None:
                if not lists or lists[-1][1] != key:
                    lists.append((key_line, key, []))
                lists[-1][2].append(_unquoted(item.group("value")))
                continue
            pair = _KEY.match(line)
            key = key_line = None
            if pair:
                flow = _FLOW.match(pair.group("value").strip())
                if flow:
                    values = [_unquoted(value) for value in flow.group("values").split(",") if value.strip()]
                    lists.append((number, pair.group("key"), values))
                else:
                    key, key_line = pair.group("key"), number
    return lists


def _unquoted(value):
    value = value.strip()
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'" else value


def found(source_path):
    try:
        return bool(yaml_lists(source_path))
    except OSError:  # a document made without a file of its own
        return False


def check(source_path, where):
    """Log one line naming the first YAML list, with the header lines to write instead; True if logged."""
    lists = yaml_lists(source_path)
    if not lists:
        return False
    number, key, _values = lists[0]
    instead = " et ".join(f"{name.capitalize()}: {', '.join(values)}" for _line, name, values in lists)
    logger.error(
        "%s, ligne %d\u00a0: en-tête écrit en YAML (entre deux lignes ---), dont la liste «\u00a0%s\u00a0» "
        "arrête la lecture des métadonnées (le reste serait publié comme texte)\u202f; "
        "écrivez %s, %s, et ôtez les lignes ---",
        where, number, key, instead, "chacune sur une ligne" if len(lists) > 1 else "sur une seule ligne",
    )
    return True
