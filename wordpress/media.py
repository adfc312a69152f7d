"""Copies the uploads the imported content refers to from a copy of `wp-content/uploads` into content/, and says what became of each.

WordPress keeps several files of one image: `photo.jpg`, its resized copies
(`photo-300x200.jpg`, `photo-1024x683.jpg`) and, since 5.3, `photo-scaled.jpg` for a big
original; a post may point at any of them. The site makes its own variants at build time
(plugins/responsive_images), so the one file copied is the largest of those present, by
pixels (read with Pillow), under one lower-case, safe name in content/images/; any other
upload (a PDF, a sound) goes to content/documents/. Names stay the same from one import to
the next (kept in the manifest) and never take another file's: the second `photo.jpg` of
another month becomes `photo-2024-05.jpg`. Every old address of a copied file, each
variant found in the folder included, is given to the redirects (wordpress/redirects.py).
"""

from dataclasses import dataclass, field
import html
import itertools
import os
from pathlib import Path, PurePosixPath
import re
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from wordpress.manifest import KEPT_EDITED, KEPT_FOREIGN

UPLOADS = "/wp-content/uploads/"
IMAGES, DOCUMENTS = "images", "documents"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
# What WordPress adds to a file's name for its own copies: a size, -scaled (5.3+), -rotated.
_VARIANT = re.compile(r"(?:-\d+x\d+|-scaled|-rotated)+$", re.IGNORECASE)
# A video's identifier in its address (YouTube's v=, the last part of the path elsewhere).
_VIDEO_ID = re.compile(r"^[\w-]{6,}$")
# Bounds on reading the uploads folder: a site's uploads, never a whole disk given by mistake.
MOST_FILES = 200_000


@dataclass
class Copy:
    """One upload as the site now has it: `target` relative to content/ (images/photo.jpg)."""
    target: str
    outcome: str  # the manifest's word: écrit, inchangé, modifié depuis l’import…
    key: str  # the upload, sizes aside: 2024/05/photo.jpg
    source: str  # the file copied, relative to the uploads folder
    size: tuple | None  # its pixels, for an image
    variants: list  # every file of the group found in the folder, relative to it
    addresses: set = field(default_factory=set)  # its old paths (decoded), for the redirects

    @property
    def reference(self):
        return "{static}/" + self.target


class UploadsError(Exception):
    """The uploads folder given does not exist: nothing is imported, rather than every image taken out."""


class Uploads:
    """The uploads folder of one import, and what was copied from it."""

    def __init__(self, folder, content, manifest, force):
        self.folder = Path(folder) if folder else None
        if self.folder and not self.folder.is_dir():
            raise UploadsError(f"--uploads {folder}\u00a0: ce dossier n’existe pas\u202f; donnez la copie du dossier "
                               "wp-content/uploads de l’ancien site")
        self.content = Path(content)
        self.manifest = manifest
        self.force = force
        self.copies = {}  # group key -> Copy
        self.missing = {}  # key_text of a group -> why it was not copied
        self.taken = set(manifest.media.values())  # the names of content/ given to uploads, this run's or earlier
        self.groups = self._index() if self.folder else {}

    def _index(self):
        """{(folder, name without WordPress's suffix, suffix): [files]} of the whole uploads folder.

        Symbolic links are not followed, to a folder or a file: only the copy's own files are read.
        """
        groups, count = {}, 0
        for folder, directories, names in os.walk(self.folder):
            directories.sort()
            for name in sorted(names):
                path = Path(folder, name)
                if path.is_symlink() or not path.is_file():
                    continue
                count += 1
                if count > MOST_FILES:
                    most = f"{MOST_FILES:,}".replace(",", "\u202f")
                    raise UploadsError(f"--uploads {self.folder}\u00a0: plus de {most} fichiers, ce n’est pas le "
                                       "dossier wp-content/uploads d’un site\u202f; vérifiez le chemin donné")
                relative = PurePosixPath(path.relative_to(self.folder).as_posix())
                groups.setdefault(_group_key(relative), []).append(str(relative))
        return groups

    def copy(self, url):
        """The Copy of the upload at `url` (any of its variants), or a French reason why there is none."""
        relative = upload_path(url)
        if relative is None:
            return None
        if self.folder is None:
            return ("l’import n’a pas reçu le dossier des fichiers "
                    "(--uploads DOSSIER, une copie de wp-content/uploads)")
        key = _group_key(PurePosixPath(relative))
        found = self.copies.get(key)
        if found is None:
            files = self.groups.get(key)
            found = self._copy(key, files) if files else f"introuvable dans {self.folder.name}/" + (
                " (aucune de ses tailles)" if key[2] in IMAGE_SUFFIXES else "")
            if isinstance(found, str):
                self.missing[key_text(key)] = found
                return found
            self.copies[key] = found
        prefix = _uploads_prefix(url)
        found.addresses.update(prefix + name for name in [relative, *found.variants])
        return found

    def also(self, url):
        """Count `url` (an attachment's own address in the export) among its upload's old addresses, if copied."""
        relative = upload_path(url)
        found = self.copies.get(_group_key(PurePosixPath(relative))) if relative else None
        if found:
            found.addresses.add(_uploads_prefix(url) + relative)

    def _copy(self, key, files):
        image = key[2] in IMAGE_SUFFIXES
        if image and key[2] != ".svg":
            sized = []
            for name in files:
                try:
                    with Image.open(self.folder / name) as opened:
                        sized.append((opened.size[0] * opened.size[1], opened.size, name))
                except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
                    continue
            if not sized:
                return "illisible dans le dossier des fichiers (aucune de ses tailles n’est une image)"
            _, size, source = max(sized, key=lambda found: (found[0], found[2]))
        else:
            size, source = None, max(files, key=lambda name: (self.folder / name).stat().st_size)
        target = self._name(key, IMAGES if image else DOCUMENTS)
        outcome = self.manifest.write_bytes(target, (self.folder / source).read_bytes(), self.force)
        self.manifest.media[key_text(key)] = target
        self.taken.add(target)
        return Copy(target=target, outcome=outcome, key=key_text(key), source=source, size=size, variants=files)

    def _name(self, key, room):
        """The file's name in content/: the one it had at the last import, else a new one no other file has."""
        kept = self.manifest.media.get(key_text(key))
        if kept:
            return kept
        stem = safe_name(key[1])
        month = "-".join(part for part in PurePosixPath(key[0]).parts if part.isdigit())
        candidates = itertools.chain([f"{stem}{key[2]}"], [f"{stem}-{month}{key[2]}"] if month else [],
                                     (f"{stem}-{number}{key[2]}" for number in itertools.count(2)))
        for name in candidates:  # ends: the names taken are finitely many
            target = f"{room}/{name}"
            if target not in self.taken and (target in self.manifest.files or not (self.content / target).exists()):
                return target

    def thumbnail(self, url, featured):
        """The Copy of a video's thumbnail: an upload named after the video, else the post's featured image."""
        parts = urlsplit(url)
        video = parse_qs(parts.query).get("v", [""])[0] or parts.path.rstrip("/").rsplit("/", 1)[-1]
        if self.groups and _VIDEO_ID.match(video or ""):
            for key, files in sorted(self.groups.items()):
                if key[2] in IMAGE_SUFFIXES and video.lower() in key[1].lower():
                    found = self.copy(f"{UPLOADS}{files[0]}")
                    if isinstance(found, Copy):
                        return found
        found = self.copy(featured) if featured else None
        return found if isinstance(found, Copy) else None


def upload_path(url):
    """The path of an upload's address under wp-content/uploads/ (decoded), or None."""
    path = unquote(urlsplit(html.unescape((url or "").strip())).path)
    if UPLOADS not in path:
        return None
    relative = path.split(UPLOADS, 1)[1]
    parts = PurePosixPath(relative).parts
    if not parts or any(part in ("..", ".") for part in parts):
        return None
    return relative


def attachment_outcome(item, uploads, lines):
    """What became of an attachment of the export: (the report's outcome, whether imported, its notes).

    `lines`: the redirects' line of each copied upload (by key), taken here for the attachment it belongs to.
    """
    relative = upload_path(item.attachment_url)
    group = _group_key(PurePosixPath(relative)) if relative else None
    key, copy = (key_text(group), uploads.copies.get(group)) if group else (None, None)
    if copy:
        return describe(copy), True, [lines.pop(key)] if key in lines else []
    why = f"fichier non copié, {uploads.missing.get(key) or 'aucun texte importé ne l’utilise'}"
    if not item.attachment_url:
        return why, False, []
    return why, False, [f"ancienne adresse {item.attachment_url}\u00a0: non redirigée, le fichier n’est pas copié"]


def _uploads_prefix(url):
    """The old site's path of its uploads, as nginx's $uri has it: /wp-content/uploads/, or under a blog's path."""
    return unquote(urlsplit(html.unescape(url.strip())).path).split(UPLOADS, 1)[0] + UPLOADS


def _group_key(relative):
    """(folder, name, suffix) of an upload, WordPress's size suffixes taken from a raster image's name only."""
    folder = str(relative.parent) if str(relative.parent) != "." else ""
    suffix = relative.suffix.lower()
    stem = _VARIANT.sub("", relative.stem) if suffix in IMAGE_SUFFIXES and suffix != ".svg" else relative.stem
    return folder, stem, suffix


def key_text(key):
    folder, stem, suffix = key
    return f"{folder}/{stem}{suffix}" if folder else f"{stem}{suffix}"


def safe_name(stem):
    """Lower case, letters, digits and hyphens: the same address on every server and in every browser."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "fichier"


def describe(copy):
    """The report's words for a copy: the file written and, for an image, which of its sizes."""
    shown = f"content/{copy.target}"
    if copy.outcome in (KEPT_EDITED, KEPT_FOREIGN):
        return f"{shown} {copy.outcome}"
    what = f"{shown} ({copy.outcome})"
    if copy.size:
        sizes = len(copy.variants)
        which = "la seule taille gardée" if sizes == 1 else f"la plus grande des {sizes} tailles gardées"
        what += f", {which} par WordPress ({os.path.basename(copy.source)}, {copy.size[0]}\u00a0×\u00a0{copy.size[1]})"
    return what
