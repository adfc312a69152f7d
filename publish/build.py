"""The one way the site is built: strictly, into a fresh folder put in place only when clean.

`invoke build`, `invoke check`, `invoke serve`, the deployment hook and the
tests all call `build()`. Any warning or error Pelican or a plugin logs makes
the build fail with every message (each naming its file), and the previous
output stays where it was: a reader never gets a half-published site.
"""

import logging
import os
from pathlib import Path
import shutil
import sys
import tempfile
import threading

import jinja2

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILES = {False: ROOT / "pelicanconf.py", True: ROOT / "publishconf.py"}


class BuildError(Exception):
    """The build logged problems; `problems` holds one message each."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class Collector(logging.Handler):
    """Keeps every record at WARNING or above logged by the thread that made it, and its notes for authors.

    Only that thread's: the live preview builds on a worker thread while its web
    server logs a warning for each 404 it answers. `problems` says them in French,
    one line each (publish/messages.py).

    Pelican's loggers drop a warning already logged once in the process, so a
    collector forgets what was logged before it (pelican_internals says why).
    """

    def __init__(self):
        import author_notes
        import pelican_internals

        super().__init__(logging.INFO)
        self.records = []
        self.notes = []
        self.notes_logger = author_notes.logger.name
        self.thread = threading.get_ident()
        # Where the build's files are (publish.messages.Paths), set once the settings are read.
        self.paths = None
        pelican_internals.forget_logged_warnings()

    def filter(self, record):
        wanted = record.levelno >= logging.WARNING or record.name == self.notes_logger
        return wanted and record.thread == self.thread and super().filter(record)

    def emit(self, record):
        if record.levelno < logging.WARNING:
            self.notes.append(record.getMessage())
            return
        # Pelican logs "Could not process FILE" from inside its except block
        # without the exception unless DEBUG is on: keep the reason for the author.
        if not hasattr(record, "raised"):
            record.raised = sys.exc_info()[1]
        self.records.append(record)

    def raised(self, error):
        """Keep an exception that stopped the build as one more problem."""
        self.records.append(logging.makeLogRecord(
            {"name": "pelican", "levelno": logging.ERROR, "levelname": "ERROR", "msg": str(error), "raised": error}
        ))

    @property
    def problems(self):
        from publish import messages

        paths = self.paths or messages.Paths(base=str(ROOT), content=str(ROOT / "content"))
        found = [messages.problem(record, paths) for record in self.records]
        # Pelican names files by their absolute path: shown from the content's parent, as the checks do.
        return [line.replace(paths.base + os.sep, "") for line in messages.lines(found)]


def forget_plugins():
    """Disconnect every receiver from Pelican's process-wide signals.

    Pelican connects plugins when a build starts and never disconnects them,
    so in one process (tests, the preview) a production-only plugin such as
    precompression would go on running in every later build. Every Pelican run
    starts with this, so the plugins need no check of their own that they are on.
    """
    from blinker import ANY, default_namespace

    for signal in list(default_namespace.values()):
        for receiver in list(signal.receivers_for(ANY)):
            signal.disconnect(receiver)


def load_settings(prod=False, overrides=None):
    from pelican.settings import read_settings

    return read_settings(str(SETTINGS_FILES[prod]), override=overrides or {})


def build(prod=False, output=None, overrides=None, generators=None, notes=None):
    """Build the site into `output` (the settings' OUTPUT_PATH by default).

    Raises BuildError, leaving `output` untouched, if anything was logged at
    warning level or above or if Pelican raised. A list given as `generators`
    receives Pelican's generators once they have built their context (the live
    preview keeps them to render one edited document again on its own); a list given as
    `notes` receives, when the build succeeds, the lines for authors that do not fail it
    (plugins/author_notes.py). Under the publishing hook, each file it starts and ends
    reading is noted (publish/progress.py): a build stopped at its time limit is told
    which file held it.
    """
    import blinker
    from pelican import Pelican, signals

    import pelican_internals

    from publish import content_cache, messages, progress

    overrides = dict(overrides or {})
    target = Path(output or overrides.get("OUTPUT_PATH") or ROOT / "output").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    overrides["OUTPUT_PATH"] = str(staging)

    collector = Collector()
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    try:
        settings = load_settings(prod, overrides)
        content = os.path.abspath(settings["PATH"])
        collector.paths = messages.Paths(base=os.path.dirname(content), content=content, output=str(staging))
        settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": template_cache(settings)}
        forget_plugins()
        pelican_internals.forget_sitemap_pages()
        progress.report_reading()
        if generators is not None:
            signals.all_generators_finalized.connect(generators.extend, weak=False)
        pelican = Pelican(settings)
        # A problem found as Pelican starts stops the build before it reads anything: a
        # symbolic link in the content folder (zohe_checks) must not be followed at all.
        if not collector.records:
            with pelican_internals.memoized_urls(), pelican_internals.quiet_console():
                pelican_internals.run_on_two_cores(pelican, settings["PARALLEL_BUILD"])
    except Exception as error:  # Pelican raises bare exceptions for many content errors.
        collector.raised(error)
    finally:
        # What a plugin still writes in the background (the search index) ends, and logs its
        # problems, before the build is judged; after an error, before the staging is deleted.
        blinker.signal("output_complete").send(None)
        root_logger.removeHandler(collector)
        # The documents the preview keeps for its next edit render theirs again.
        pelican_internals.forget_rendered()

    if collector.records:
        shutil.rmtree(staging, ignore_errors=True)
        forget_read_content(prod, overrides)
        raise BuildError(collector.problems)

    _swap_into_place(staging, target)
    if notes is not None:
        notes.extend(collector.notes)
    if settings.get("CACHE_CONTENT"):
        content_cache.mark_used(settings["CACHE_PATH"])
    return target


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates held for one build, shared by its generators (each has its own environment)."""

    def __init__(self):
        self._buckets = {}

    def load_bytecode(self, bucket):
        code = self._buckets.get(bucket.key)
        if code is not None and code[0] == bucket.checksum:
            bucket.code = code[1]

    def dump_bytecode(self, bucket):
        self._buckets[bucket.key] = (bucket.checksum, bucket.code)


def template_cache(settings):
    """Jinja's bytecode cache for a build: kept in the content cache's folder when there is one.

    Jinja checks each compiled template against its source's checksum, so an edited
    template is compiled again; without a kept folder, the templates are compiled
    once for the build rather than once for each generator.
    """
    if settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE"):
        folder = os.path.join(settings["CACHE_PATH"], "templates")
        os.makedirs(folder, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(folder)
    return _MemoryBytecodeCache()


def forget_read_content(prod=False, overrides=None):
    """Drop Pelican's reader cache, so that the next build reads every document again.

    After a failed build: Pelican caches what a reader returned even when reading
    logged a warning, and a later build would load it silently and pass. (A change
    of settings or plugins needs nothing here: it gets a cache folder of its own,
    publish/content_cache.py.)
    """
    try:
        settings = load_settings(prod, overrides)
    except Exception:
        return
    if settings.get("CACHE_CONTENT"):
        for cache in Path(settings["CACHE_PATH"]).glob("*Generator*"):
            cache.unlink(missing_ok=True)



def _swap_into_place(staging, target):
    """Replace `target` by `staging` with two renames, so no half-written tree is seen."""
    staging.chmod(0o755)
    if target.is_symlink():
        target.unlink()
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, retired / target.name)
        os.replace(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, target)
