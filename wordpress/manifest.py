"""What the import wrote, with each file's digest: a second run changes nothing and an author's edit is never overwritten.

Kept as `content/.wordpress-import.json`: in content/ so that it travels with the files it
describes, hidden so that Pelican (IGNORE_FILES `**/.*`) and the checks of unread files
leave it alone. A file is rewritten only when its bytes are still those the import wrote
last time (the export changed, the author did not); anything else is kept, and reported,
unless `--force`. Each item's file is kept too, by WordPress id: an item keeps its address,
its comments' thread and its redirects from one run to the next, whatever its slug becomes
(wordpress.importer.addresses). The images and documents copied from the uploads are files like the others;
`media` keeps each upload's name in content/, so that it never changes from one run to the next.
"""

from dataclasses import dataclass, field
import hashlib
import json

NAME = ".wordpress-import.json"

# What happened to one file, as the report says it.
WRITTEN, UPDATED, UNCHANGED, KEPT_EDITED, KEPT_FOREIGN = (
    "écrit", "mis à jour", "inchangé",
    "modifié depuis l’import, laissé tel quel\u202f; --force pour le remplacer",
    "existait déjà sans venir de l’import, laissé tel quel\u202f; --force pour le remplacer",
)


class ManifestError(Exception):
    """The manifest cannot be read: nothing is written, since no file could be told the author's from the import's."""


def digest(data):
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    content: object  # the content folder, a Path
    files: dict  # path relative to content/ -> digest of what the import wrote
    # an upload (its path under wp-content/uploads, sizes aside) -> its file in content/ (wordpress/media.py)
    media: dict = field(default_factory=dict)
    # a WordPress item's id -> its file: it keeps that file, and so its address, from one run to the next
    items: dict = field(default_factory=dict)

    @classmethod
    def load(cls, content):
        path = content / NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"files": {}}
            files, media, items = data["files"], data.get("media", {}), data.get("items", {})
            if not all(isinstance(kept, dict) for kept in (files, media, items)):
                raise TypeError(type(files).__name__)
        except (ValueError, KeyError, TypeError):
            raise ManifestError(f"content/{NAME}\u00a0: illisible, l’import ne sait plus quels fichiers il a écrits"
                                "\u202f; rétablissez-le avec git (git checkout -- content/" + NAME + "), "
                                "ou supprimez-le, et l’import gardera tels quels les fichiers déjà là") from None
        return cls(content=content, files=files, media=media, items=items)

    def write(self, relative, text, force, item_id=None):
        """Write `text` to content/`relative` unless an author's version is there; what happened.

        The file is recorded as item `item_id`'s when it is the import's (written, or kept as edited)."""
        outcome = self.write_bytes(relative, text.encode("utf-8"), force)
        if item_id is not None and relative in self.files:
            self.items[item_id] = relative
        return outcome

    def write_bytes(self, relative, data, force):
        """`write` for any file, an image or a PDF copied from the uploads."""
        target = self.content / relative
        current = target.read_bytes() if target.exists() else None
        if current == data:
            outcome = UNCHANGED
        elif current is None or force or digest(current) == self.files.get(relative):
            outcome = WRITTEN if current is None else UPDATED
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        else:
            return KEPT_EDITED if relative in self.files else KEPT_FOREIGN
        self.files[relative] = digest(data)
        return outcome

    def save(self):
        """Rewrite the manifest only when it changed: a second run leaves content/ as it was, byte for byte."""
        path = self.content / NAME
        kept = {"files": dict(sorted(self.files.items()))}
        if self.media:
            kept["media"] = dict(sorted(self.media.items()))
        if self.items:
            kept["items"] = dict(sorted(self.items.items()))
        text = json.dumps(kept, ensure_ascii=False, indent=1) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
