"""Strict content checks that make a build fail loudly, naming the author's file.

Pelican silently fills some metadata (author, summary), logs a broken
`{filename}` link without saying which file holds it, and lets the writer
discover URL collisions one output file at a time. These checks log an error
naming the source file instead; the project's build treats any logged warning
or error as a failed build.
"""

from collections import defaultdict
import difflib
import fnmatch
import functools
import logging
import os
import re
from urllib.parse import urlsplit

import blinker
from markdown.extensions import meta
from pelican import signals
from pelican.contents import Article
from pelican.readers import MarkdownReader

from author_hints import case_hint, case_twin, line_of, where as _where
from built_site import broken_links, documents, output_file
from scaffold import SCAFFOLD_SUMMARY, SCAFFOLD_TEXT

from . import front_matter, old_site_links, placeholders, schedule, third_party
from .settings import get_settings
from .where import display as _display

logger = logging.getLogger(__name__)

# Output file -> the source file it was rendered from, filled as files are written.
_sources = {}
# URL of each document the build does not write (a draft, or dated in the future) -> its source.
_unwritten = {}


def refuse_links(pelican):
    """A symbolic link anywhere in the content folder fails the build before anything is read.

    Pelican follows links, to files and to folders, and reads or copies what they lead to:
    a link to /etc/passwd gave forty metadata errors quoting its lines, and one among the
    images would publish the file itself. A link to a file inside content/ is refused too:
    an author never needs one (`{filename}` and `{static}` reach any document where it
    is), it would publish one document at two addresses, and Git for Windows checks links
    out as small text files, so the author's preview would not be the server's site. One
    rule without exceptions also says it in one line. Names Pelican ignores (IGNORE_FILES,
    matched as Pelican matches them) are left alone; nothing else is, hidden names included,
    since Pelican reads those. The project's build runs nothing more once this logged.
    """
    settings = pelican.settings
    patterns = settings.get("IGNORE_FILES") or ()
    ignored = re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns)) if patterns else None
    links, folders = [], [settings["PATH"]]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if ignored and ignored.match(os.path.normcase(entry.name)):
                    continue
                if entry.is_symlink():
                    links.append(entry.path)
                elif entry.is_dir():
                    folders.append(entry.path)
    for link in sorted(links):
        logger.error(
            "%s\u00a0: lien symbolique refusé (la construction n’en suit aucun)\u202f; "
            "mettez à sa place le fichier lui-même",
            _display(link, settings),
        )


def check_metadata(instance):
    """A chronicle must state its title, date, author and summary itself."""
    if not isinstance(instance, Article):
        return
    settings = instance.settings
    metadata = instance.metadata
    for key in get_settings(settings)["required_article_metadata"]:
        present = key in metadata or (key == "author" and "authors" in metadata)
        if not present or not str(metadata.get(key, metadata.get("authors", ""))).strip():
            if front_matter.found(instance.source_path):
                return  # what is missing is in a YAML header, already named by front_matter
            logger.error(
                "%s\u00a0: il manque la métadonnée «\u00a0%s\u00a0»\u202f; "
                "ajoutez en tête du fichier une ligne «\u00a0%s: …\u00a0»",
                _display(instance.source_path, settings),
                key.capitalize(), key.capitalize(),
            )


# A line a French typist may write in the header: "Key : value", which Python-Markdown's
# meta extension does not take for metadata.
_SPACED_KEY = re.compile(r" {0,3}([A-Za-z][A-Za-z0-9_-]*)[ \t\u00a0\u202f]+:")
# Dates as the site writes them: year, month, day, then the time if any. Pelican would read
# 03/04/2023 month first (4 March) and 2023-03 as the 1st: both are refused.
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?")
DATE_KEYS = ("date", "modified")


def header(source_path, keys):
    """The metadata lines of a Markdown file as Python-Markdown's meta extension reads them,
    [(line number, key, raw value)], and (line number, key) of the line that ends them if
    it is one of `keys` with a space before its colon, else None."""
    lines = []
    with open(source_path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if number == 1 and meta.BEGIN_RE.match(line):
                continue
            if not line.strip() or meta.END_RE.match(line):
                break
            metadata = meta.META_RE.match(line)
            if metadata:
                lines.append((number, metadata.group("key").lower().strip(), metadata.group("value").strip()))
            elif not (lines and meta.META_MORE_RE.match(line)):
                spaced = _SPACED_KEY.match(line)
                known = spaced and spaced.group(1).lower() in keys
                return lines, (number, spaced.group(1)) if known else None
    return lines, None


def check_source(source_path, content, metadata, settings):
    """A Markdown header must not end early on "Key :" nor hold a key the site does not read,
    dates must be year-month-day, and what is published must not keep the placeholders of
    `invoke new`. Run as the file is parsed (see `check_markdown_sources`)."""
    where = _display(source_path, settings)
    keys = get_settings(settings)["metadata_keys"]
    lines, spaced = header(source_path, keys)
    if spaced:
        number, key = spaced
        logger.error(
            "%s, ligne %d\u00a0: les métadonnées s’arrêtent à «\u00a0%s :\u00a0», et la suite serait publiée "
            "comme texte\u202f; écrivez «\u00a0%s:\u00a0» sans espace avant les deux-points",
            where, number, key, key,
        )
    published = metadata.get("status") != "draft"
    if published and SCAFFOLD_TEXT in (content or ""):
        logger.error("%s\u00a0: le texte est encore celui qu’a écrit ./dev new («\u00a0%s\u00a0»)\u202f; "
                     "écrivez le vôtre", where, SCAFFOLD_TEXT)
    for number, key, value in lines:
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            logger.error(
                "%s, ligne %d\u00a0: métadonnée «\u00a0%s\u00a0» inconnue\u202f; %s (le site lit %s)",
                where, number, key.capitalize(),
                f"vouliez-vous dire «\u00a0{close[0].capitalize()}\u00a0»\u202f?" if close else "retirez-la",
                ", ".join(key.capitalize() for key in keys),
            )
        if published and key == "summary" and value == SCAFFOLD_SUMMARY:
            logger.error("%s, ligne %d\u00a0: le résumé est encore celui qu’a écrit ./dev new\u202f; "
                         "écrivez le vôtre", where, number)
        if key in DATE_KEYS and not _ISO_DATE.fullmatch(value):
            logger.error(
                "%s, ligne %d\u00a0: %s «\u00a0%s\u00a0» n’est pas écrite année-mois-jour (toute autre forme "
                "est devinée, 03/04/2023 serait le 4\u00a0mars)\u202f; écrivez-la comme 2024-05-02 10:00",
                where, number, key.capitalize(), value,
            )


def check_markdown_sources(readers):
    """Make Pelican's Markdown reader run `check_source` on each file it parses.

    In the reader rather than on every document built: a file the reader cache gives
    back was checked when it was parsed (a logged problem keeps it out of that cache,
    and a failed build drops the cache), so a build does not open each source again.
    """
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is not None and issubclass(reader_class, MarkdownReader):
            readers.reader_classes[extension] = _checked(reader_class)


@functools.cache  # one subclass per reader class, however many builds
def _checked(reader_class):
    class Checked(reader_class):
        def read(self, source_path):
            # Before Pelican reads it: this names the mistake before anything that follows from it.
            # Then nothing more is checked, for one line about that file.
            yaml = front_matter.check(source_path, _display(source_path, self.settings))
            content, metadata = super().read(source_path)
            if not yaml:
                check_source(source_path, content, metadata, self.settings)
            return content, metadata

    # Pelican names a document's reader after its class ("MarkdownReader" -> "markdown").
    Checked.__name__ = Checked.__qualname__ = reader_class.__name__
    return Checked


def check_unique_urls(generators):
    """Two documents must never claim the same output file."""
    claims = defaultdict(set)
    for document in documents(generators):
        if document.save_as:
            claims[document.save_as].add(document.source_path)
    for save_as, sources in sorted(claims.items()):
        if len(sources) > 1:
            settings = next(iter(generators)).settings
            names = sorted(_display(path, settings) for path in sources)
            logger.error(
                "%s\u00a0: même adresse «\u00a0%s\u00a0» que %s\u202f; donnez à l’un d’eux un autre Slug",
                names[0], save_as, ", ".join(names[1:]),
            )


def remember_unwritten(generators):
    _unwritten.clear()
    for document in documents(generators):
        if not document.save_as and document.url:
            _unwritten[document.url] = document.source_path


def check_unread_files(generators):
    """A file among the chronicles or pages that no reader takes is an author's mistake.

    Pelican skips it without a word: a chronicle saved as `.txt`, or as `.MD`, would
    never be published. Hidden files and editors' backups (`~`) are left alone.
    """
    generator = next((g for g in generators if hasattr(g, "readers")), None)
    if generator is None:
        return
    settings = generator.settings
    extensions = {f".{extension}" for extension in generator.readers.extensions}
    for folder in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]:
        for parent, dirs, names in os.walk(os.path.join(settings["PATH"], folder)):
            dirs[:] = sorted(name for name in dirs if not name.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or name.endswith("~") or os.path.splitext(name)[1] in extensions:
                    continue
                logger.error(
                    "%s\u00a0: fichier non lu, seuls les fichiers Markdown le sont\u202f; renommez-le %s.md",
                    _display(os.path.join(parent, name), settings),
                    name.split(".", 1)[0],
                )


def remember_source(path, context):
    document = context.get("article") or context.get("page")
    if document is not None:
        _sources[os.path.abspath(path)] = document.source_path


def check_links(pelican):
    """Every internal link and asset of the written site must resolve."""
    settings = pelican.settings
    options = get_settings(settings)
    output = os.path.abspath(settings["OUTPUT_PATH"])
    for page, url in broken_links(
        output,
        siteurl=settings.get("SITEURL", ""),
        suffixes=options["checked_suffixes"],
        # The comment server answers its own URLs, even those under the site's.
        elsewhere=tuple(filter(None, [settings.get("COMMENTS_URL")])),
        before_resolving=lambda: blinker.signal("output_complete").send(pelican),
    ):
        source = _sources.get(page)
        shown = _display(source, settings) if source else os.path.relpath(page, output)

        def where(target):
            """The linking file, and the line where the name of what it links to is written."""
            return _where(shown, source and line_of(source, os.path.basename(target.rstrip("/"))))

        unread = _unread_source(url, source, settings)
        if unread:
            logger.error("%s\u00a0: lien vers %s, qui n’a pas pu être lu\u202f; corrigez d’abord ce fichier "
                         "(voir son propre message)", where(unread), _display(unread, settings))
            continue
        unwritten = _unwritten.get(_site_path(url, settings.get("SITEURL", "")))
        if unwritten:
            logger.error(
                "%s\u00a0: lien vers %s, que cette construction ne publie pas (un brouillon, ou daté dans le "
                "futur)\u202f; ajoutez le lien une fois ce document en ligne",
                where(unwritten),
                _display(unwritten, settings),
            )
            continue
        twin = _case_twin(url, page, source, settings)
        logger.error(
            "%s\u00a0: lien ou image introuvable «\u00a0%s\u00a0» (dans %s)\u202f; %s",
            where(urlsplit(url).path),
            url,
            os.path.relpath(page, output),
            case_hint(twin) if twin else "corrigez le lien, ou ajoutez le fichier",
        )
    _sources.clear()
    _unwritten.clear()


def _unread_source(url, source, settings):
    """For a `{filename}` link Pelican left as it was: the file it names, if that file exists.

    Pelican leaves the link alone when the document failed to be read, and says so
    with the reason: the author's mistake is in that file, not in the linking one.
    """
    if not url.startswith("{filename}") or not source:
        return None
    # Resolved as a URL of the content folder, as Pelican resolves it.
    target = output_file(url[len("{filename}"):], source, settings["PATH"], is_folder=lambda _path: False)
    return target if target and os.path.isfile(target) else None


def _case_twin(url, page, source, settings):
    """The name of the file the author probably meant, if it differs from the link only by case."""
    if url.startswith(("{filename}", "{static}")) and source:
        target = output_file(url.split("}", 1)[1], source, settings["PATH"], is_folder=lambda _path: False)
    else:
        target = output_file(url, page, os.path.abspath(settings["OUTPUT_PATH"]), settings.get("SITEURL", ""))
    return case_twin(target) if target else None


def _site_path(url, siteurl):
    """A URL of the site as Pelican writes a document's `url` (no leading slash, no fragment)."""
    if siteurl and url.startswith(siteurl):
        url = url[len(siteurl):]
    return urlsplit(url).path.lstrip("/")


def register():
    signals.initialized.connect(refuse_links)
    signals.content_object_init.connect(check_metadata)
    signals.content_object_init.connect(third_party.check_third_party)
    signals.content_object_init.connect(placeholders.check_placeholders)
    signals.readers_init.connect(check_markdown_sources)
    signals.all_generators_finalized.connect(check_unique_urls)
    signals.all_generators_finalized.connect(check_unread_files)
    signals.all_generators_finalized.connect(remember_unwritten)
    signals.all_generators_finalized.connect(schedule.check_schedule)
    signals.all_generators_finalized.connect(old_site_links.check_old_site_links)
    signals.content_written.connect(remember_source)
    signals.finalized.connect(check_links)
