"""The live preview: build, serve on 127.0.0.1, rebuild and reload the browser on change, with comments.

An author who saves a chronicle waits for two things, in this order:

1. The page of that chronicle alone, rendered again from the generators the last
   full build left behind (a few hundredths of a second, whatever the size of the
   site): the browser reloads and shows the edit.
2. The full strict build, which brings every listing, feed and neighbour up to
   date and checks every link; the browser reloads once more when it is done.

Only a change to chronicles or pages the last build already knew, that keep their
address and status, takes the first step; anything else (a new or deleted file,
the theme, a plugin, the settings) goes straight to the full build, and so does a
moderator's decision (approval or deletion, by the admin page, an e-mail's link or
the command line) that changes what the pages show of the comments. If reading or
rendering the edited file logs anything, the first step is skipped and the full build
names the problem. Builds run one at a time on a worker thread, so the server keeps
answering.
"""

import logging
import os
from pathlib import Path
import signal
import sys
import tempfile
import threading
import traceback

import approved_comments
from built_site import documents
import comments_database
import pelican_internals

from publish import content_cache
from publish.build import ROOT, BuildError, Collector, build
from pruning import keep_first

# The content cache spares each full build from parsing unchanged Markdown again.
PREVIEW_OVERRIDES = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
WATCHED = ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py")
# How often the watcher looks for changes (livereload's own poller waits 0.8 s).
POLL_MS = 100

logger = logging.getLogger(__name__)

class _OnlyThese:
    """A Pelican writer that renders only the files named, and no feed."""

    def __init__(self, writer, names):
        self._writer = writer
        self.names = set(names)
        self.written = []

    def write_file(self, name, *args, **kwargs):
        if name in self.names:
            self.written.append(name)
            return self._writer.write_file(name, *args, **kwargs)
        return None

    def write_feed(self, *args, **kwargs):
        return None


def _display(path):
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class Preview:
    """The builds of one preview: full strict builds, and between them edited documents first."""

    def __init__(self, output=ROOT / "output", overrides=None, on_update=None):
        self.output = Path(output)
        # The content cache beside the output (ROOT/cache for the project's own preview), so
        # that a preview of other content never shares one.
        self.overrides = {**PREVIEW_OVERRIDES, "CACHE_PATH": str(self.output.parent / "cache"),
                          **(overrides or {})}
        self.cache = self.overrides.pop("CACHE_PATH")
        self.on_update = on_update or (lambda: None)
        self.generators = []
        self._pending = set()
        self._full_pending = False
        self._stopping = False
        self._wake = threading.Condition()
        self._worker = None

    # -------------------------------------------------------------- the builds

    def full_build(self, shown_alone=()):
        """Build the whole preview; on failure keep serving the last good site and say why.

        `shown_alone`: the documents whose pages were just rendered on their own, which the
        preview shows as saved even if this build fails.
        """
        generators, notes = [], []
        # Computed at each build: an edit of pelicanconf.py or of a plugin gets a cache of its
        # own (publish/content_cache.py), never documents read with the former settings.
        cache = content_cache.folder(self.cache, sorted(self.overrides.items()))
        try:
            build(output=self.output, overrides={**self.overrides, "CACHE_PATH": cache}, generators=generators,
                  notes=notes)
        except BuildError as error:
            kept = "la version précédente"
            if shown_alone:
                kept += " (avec votre modification de " + ", ".join(_display(p) for p in shown_alone) + ")"
            print(f"\nLa construction a échoué, l’aperçu montre encore {kept}\u00a0:\n{error}\n", flush=True)
            return False
        self.generators = generators
        keep_first(content_cache.newest_first(self.cache), content_cache.KEEP)
        print("Site reconstruit.", flush=True)
        for note in notes:  # for authors: when each scheduled chronicle goes out
            print(note, flush=True)
        return True

    def render_edited(self, paths):
        """Render again the pages of the documents at `paths` alone; False when that can't be done.

        Each document is read again (typography and checks run as in a build) and put in
        the place of its former self in the last build's context, then only its own page
        is written. False, with nothing written, when one is unknown to the last build,
        changes address or status, or logs anything while being read or rendered.
        """
        if not self.generators or not paths:
            return False
        known = {}
        for generator in self.generators:
            for document in documents([generator]):
                known[os.path.abspath(document.source_path)] = (generator, document)
        if any(os.path.abspath(path) not in known or not os.path.isfile(path) for path in paths):
            return False

        recorder = Collector()
        root = logging.getLogger()
        root.addHandler(recorder)
        try:
            replacements = self._read_again(paths, known)
            if replacements is None or recorder.records:
                return False
            # Rendered beside the preview, moved in only if rendering logged nothing (a {filename}
            # link to a missing file, say); plain broken links wait for the full build's check.
            with tempfile.TemporaryDirectory(prefix=".edited-", dir=self.output.parent) as scratch:
                written = self._render(replacements, scratch)
                if recorder.records or not written:
                    return False
                for name in written:
                    target = self.output / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(os.path.join(scratch, name), target)
            return True
        except Exception:
            logger.debug("Edited documents not rendered alone", exc_info=True)
            return False
        finally:
            root.removeHandler(recorder)

    @staticmethod
    def _read_again(paths, known):
        """[(generator, old document, new document)], or None when one moved or is no longer valid."""
        replacements = []
        for path in paths:
            generator, old = known[os.path.abspath(path)]
            new = pelican_internals.read_again(generator, old)
            if (not isinstance(new, type(old)) or not new.is_valid()
                    or new.save_as != old.save_as or new.status != old.status):
                return None
            replacements.append((generator, old, new))
        return replacements

    @staticmethod
    def _render(replacements, folder):
        """Put each new document in its former self's place, render its page alone into `folder`."""
        from pelican import signals
        from pelican.writers import Writer

        writers = {}
        for generator, old, new in replacements:
            # What plugins attached after reading (baked comments, counts) stays with the document.
            for name, value in vars(old).items():
                if name not in vars(new) and name != pelican_internals.MEMO:
                    setattr(new, name, value)
            pelican_internals.replace_document(generator, old, new)
            writers.setdefault(id(generator), (generator, []))[1].append(new.save_as)
        written = []
        # Plugins that collect written pages (the sitemap, the link check) keep them until the
        # next full build's end: a page written here alone must not reach them.
        with signals.content_written.muted():
            for generator, names in writers.values():
                selected = _OnlyThese(Writer(str(folder), settings=generator.settings), names)
                pelican_internals.write_documents(generator, selected)
                written += selected.written
        return written

    # -------------------------------------------------------------- the worker

    def changed(self, paths=None):
        """The watcher saw `paths` change (None: something it can't name, such as a removal)."""
        with self._wake:
            # Every change ends in a full build; edited Markdown is shown on its own before it.
            self._pending.update(path for path in paths or () if path.endswith((".md", ".markdown")))
            self._full_pending = True
            self._wake.notify()

    def comments_moderated(self, database):
        """The comment database was written: build again if the pages show other comments than it now holds.

        A comment merely posted, waiting for moderation, changes nothing the pages show
        (approved_comments.fingerprint), and costs one read of the database, no build.
        """
        if approved_comments.differs(self.output, database):
            print("Des commentaires ont été modérés\u202f; reconstruction…", flush=True)
            self.changed()

    def start(self):
        self._worker = threading.Thread(target=self._work, name="preview-builds", daemon=True)
        self._worker.start()

    def stop(self, timeout=120):
        """Let the build under way finish (a build killed midway leaves a torn content cache), then stop."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._worker is not None:
            self._worker.join(timeout)

    def _work(self):
        while not self._stopping:
            try:
                self._work_once()
            except Exception:
                # The preview must go on watching: say what broke, and wait for the next save.
                traceback.print_exc()

    def _work_once(self):
        with self._wake:
            while not (self._pending or self._full_pending or self._stopping):
                self._wake.wait()
            if self._stopping:
                return
            edited, self._pending = sorted(self._pending), set()
        shown_alone = edited if edited and self.render_edited(edited) else []
        if shown_alone:
            print(f"{', '.join(_display(p) for p in shown_alone)} à jour\u202f; reconstruction du reste…", flush=True)
            self.on_update()
        with self._wake:
            if self._pending:
                return  # Another save came meanwhile: show it before the full build.
            self._full_pending = False
        if self.full_build(shown_alone):
            self.on_update()


def _watcher(preview, patterns, database=None):
    from livereload.watcher import Watcher
    from tornado import ioloop

    class PreviewWatcher(Watcher):
        """livereload's watcher, polled every POLL_MS; the preview decides when browsers reload."""

        def start(self, callback):
            ioloop.PeriodicCallback(callback, POLL_MS).start()
            return True

        def examine(self):
            super().examine()
            return None, None

    watcher = PreviewWatcher()
    for pattern in patterns:
        watcher.watch(str(pattern), preview.changed)
    if database is not None:
        # A write reaches the database file or, in WAL mode, its -wal first (and a checkpoint
        # removes that): two files stat'ed at each poll, read only when one of them changed.
        for path in (database, f"{database}-wal"):
            watcher.watch(str(path), lambda: preview.comments_moderated(database))
    return watcher


def serve(host="127.0.0.1", port=8000, comments_port=8080, content=None, output=None):
    """Serve the preview of `content` (the project's own by default) until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    from publish.preview_comments import start as start_comments
    from publish.preview_pages import handler as pages_handler

    output = Path(output or ROOT / "output")
    # The pages talk to the comment server on its port, which accepts comments from this origin.
    overrides = {"COMMENTS_URL": f"http://{host}:{comments_port}", "FEED_DOMAIN": f"http://{host}:{port}"}
    if content:
        overrides["PATH"] = str(content)
    patterns = [ROOT / pattern for pattern in WATCHED if not (content and pattern.startswith("content/"))]
    if content:
        patterns.append(Path(content) / "**" / "*")
    loop = ioloop.IOLoop.current()
    preview = Preview(
        output=output,
        overrides=overrides,
        on_update=lambda: loop.add_callback(LiveReloadHandler.reload_waiters, "*"),
    )
    preview.full_build()
    # The comment server's database, which the builds bake (ZOHE_COMMENTS_DB, else var/comments.db).
    server = Server(watcher=_watcher(preview, patterns, database=comments_database.path()))
    # As nginx serves them in production: chronicles with a fresh form token, the site's 404 page.
    server.SFH = pages_handler(overrides["COMMENTS_URL"])
    # One line a request, by the handler livereload gives Tornado's loggers (nothing else in
    # this process handles them: publish.preview_comments imports no Isso here).
    logging.getLogger("tornado.access").setLevel(logging.INFO)
    preview.start()
    # A terminated preview (not only an interrupted one) stops its comment server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    comments = []

    def start_comment_server():
        # Isso checks at start that it reaches the site: start it once the preview answers,
        # from a thread, since the server's own loop must be running to answer.
        comments.append(start_comments(port=comments_port, site=f"http://{host}:{port}", site_root=output))
        print(f"Aperçu sur http://{host}:{port}/, commentaires sur http://{host}:{comments_port}/", flush=True)

    loop.add_callback(lambda: threading.Thread(target=start_comment_server, daemon=True).start())
    try:
        server.serve(host=host, port=port, root=str(output), open_url_delay=None)
    finally:
        preview.stop()
        for process in comments:
            process.terminate()
            process.wait(timeout=10)
