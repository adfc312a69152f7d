"""The import's report, in French: one entry for every item of the export, imported (to which file) or left out (why).

Nothing is left out without a line: each comment has its own (wordpress/comments.py), each
old address too (wordpress/redirects.py), each upload a text uses (wordpress/media.py).
"""

from dataclasses import dataclass, field

from wordpress.documents import KINDS

NBSP = "\u00a0"


@dataclass
class Entry:
    item: object
    outcome: str  # "écrit dans content/chroniques/x.md", or the reason it was left out
    imported: bool
    notes: list = field(default_factory=list)


@dataclass
class Report:
    export_name: str
    entries: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # about the whole import
    redirects: dict = field(default_factory=dict)  # item id → its old addresses' lines (wordpress/redirects.py)

    def add(self, item, outcome, imported, notes=(), comments=()):
        """`comments`: one line per comment of the item (wordpress.comments says what became of each)."""
        notes = [*notes, *comments, *self.redirects.get(item.id, [])]
        self.entries.append(Entry(item, outcome, imported, notes))

    def dropped(self, counts, types):
        """Say the control characters the export held (wordpress/export.py dropped them): how many, in which items
        (`types`: each item id's WordPress type)."""
        if not counts:
            return
        total = sum(counts.values())
        where = ", ".join(f"{KINDS.get(types.get(key), 'élément')} {key} ({count})" if key else
                          f"hors des articles ({count})" for key, count in sorted(counts.items()))
        self.notes.append(f"{_count(total, 'caractère')} de contrôle invisible{'s' if total > 1 else ''} "
                          f"retiré{'s' if total > 1 else ''} (WordPress les exporte tels quels, XML les interdit)"
                          f"{NBSP}: {where}")

    @property
    def imported(self):
        return [entry for entry in self.entries if entry.imported]

    def text(self):
        left = len(self.entries) - len(self.imported)
        lines = [f"Import de {self.export_name}{NBSP}: {_count(len(self.entries), 'élément')}, "
                 f"{len(self.imported)} importé{'s' if len(self.imported) > 1 else ''}, "
                 f"{left} laissé{'s' if left > 1 else ''} de côté", *self.notes, ""]
        for entry in self.entries:
            item = entry.item
            kind = KINDS.get(item.type, item.type or "élément")
            title = f" «{NBSP}{item.title}{NBSP}»" if item.title else ""
            lines.append(f"- {kind} {item.id}{title}{NBSP}: {entry.outcome}")
            lines += [f"    · {note}" for note in entry.notes]
        return "\n".join(lines) + "\n"


def _count(number, word):
    return f"{number} {word}{'s' if number > 1 else ''}"
