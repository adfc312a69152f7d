"""Marks each raster `<img>` of the content for pelican-image-process and sets its width and height.

pelican-image-process writes the resized variants and the `srcset`, but only
for images carrying an `image-process-<derivative>` class, and for `srcset`
images it leaves width and height unset. Authors write plain Markdown images,
so this plugin adds the class when the content is read, and the size of the
variant that `src` will point to (so the browser reserves the space before the
image arrives). Tags are edited in place with a regular expression rather than
re-serialised, so the French typography plugin's character references survive.

pelican-image-process is called from here rather than listed in PLUGINS:
Pelican never disconnects a plugin's receivers, and its own would then also run
(and warn, failing the strict build) in a preview built later in the same process.
"""

import html
import logging
import os
import re

from PIL import Image
from pelican import signals
from pelican.plugins.image_process import image_process

from author_hints import line_of, where
import pelican_internals

from .settings import get_settings, image_process_derivative

logger = logging.getLogger(__name__)

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINK_SYNTAX = re.compile(r"^(?:\{(?:static|attach|filename)\}|\|(?:static|attach|filename)\|)")


def _attribute(tag, name):
    match = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.IGNORECASE)
    if match is None:
        return None
    return html.unescape(next(group for group in match.groups() if group is not None))


def source_file(src, document_path, content_path):
    """The content file an image URL written by an author points at, or None."""
    if not _LINK_SYNTAX.match(src):
        return None
    path = _LINK_SYNTAX.sub("", src).split("?")[0].split("#")[0]
    if path.startswith("/"):
        return os.path.join(content_path, path.lstrip("/"))
    return os.path.normpath(os.path.join(os.path.dirname(document_path), path))


def variant_size(width, height, wanted):
    """Size of the variant `scale_in wanted None False` makes from a width×height image."""
    scale = min(wanted / width, 1.0)
    return int(width * scale), int(height * scale)


def _mark(tag, derivative, size):
    classes = _attribute(tag, "class")
    new_class = f"image-process-{derivative}"
    if classes is None:
        tag = tag[:4] + f' class="{new_class}"' + tag[4:]
    else:
        tag = re.sub(
            r"""(\sclass\s*=\s*)(["'])(.*?)\2""",
            lambda m: f'{m.group(1)}{m.group(2)}{m.group(3)} {new_class}{m.group(2)}',
            tag,
            count=1,
            flags=re.IGNORECASE,
        )
    if _attribute(tag, "width") is None and _attribute(tag, "height") is None:
        tag = tag[:4] + f' width="{size[0]}" height="{size[1]}"' + tag[4:]
    return tag


def mark_images(instance):
    """Add the derivative class and the displayed size to each raster image of a document."""
    settings = instance.settings
    if not pelican_internals.body(instance):
        return
    options = get_settings(settings)

    def replace(match):
        tag = match.group(0)
        src = _attribute(tag, "src") or ""
        classes = _attribute(tag, "class") or ""
        if "image-process-" in classes or not src.lower().split("?")[0].endswith(options["suffixes"]):
            return tag
        path = source_file(src, instance.source_path, settings["PATH"])
        if path is None or not os.path.isfile(path):
            return tag  # The content checks report a missing image, naming the file.
        try:
            with Image.open(path) as image:
                width, height = image.size
        except OSError:
            _unreadable(instance, src, path)
            return tag
        return _mark(tag, options["derivative"], variant_size(width, height, options["default_width"]))

    pelican_internals.set_body(instance, _IMG.sub(replace, pelican_internals.body(instance)))


def _unreadable(instance, src, path):
    """Say which image Pillow could not open, and why an author would have made it so."""
    settings = instance.settings
    shown = os.path.relpath(os.path.abspath(instance.source_path), os.path.dirname(os.path.abspath(settings["PATH"])))
    what = ("est vide (0\u00a0octet)" if os.path.getsize(path) == 0
            else "n’est pas une image lisible (fichier abîmé, ou d’un autre format que son extension)")
    logger.error(
        "%s\u00a0: l’image «\u00a0%s\u00a0» %s\u202f; remplacez-la par l’image elle-même, "
        "enregistrée en JPEG, PNG ou WebP",
        where(shown, line_of(instance.source_path, os.path.basename(path))), src, what,
    )


def add_derivative(pelican):
    """Declare the derivative to pelican-image-process from this plugin's one set of widths."""
    settings = pelican.settings
    options = get_settings(settings)
    settings.setdefault("IMAGE_PROCESS", {})
    settings["IMAGE_PROCESS"].setdefault(options["derivative"], image_process_derivative(options))


def _marked(path):
    # pelican-image-process parses and re-serialises every page with BeautifulSoup (over half
    # of a 1,000-chronicle production build); only pages with a marked image need it.
    with open(path, encoding="utf-8") as handle:
        return "image-process-" in handle.read()


def harvest_images(path, context):
    """pelican-image-process's work on a written page that has a marked image: variants and srcset."""
    if _marked(path):
        image_process.harvest_images(path, context)


def harvest_feed_images(path, context, feed):
    if _marked(path):
        image_process.harvest_feed_images(path, context, feed)


def register():
    signals.initialized.connect(add_derivative)
    signals.content_object_init.connect(mark_images)
    signals.content_written.connect(harvest_images)
    signals.feed_written.connect(harvest_feed_images)
