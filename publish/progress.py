"""Which source file a build is reading, written down for a supervisor that may have to kill it.

The publishing hook stops a build past its time limit (deploy/build_run.py): a build
stuck in one file (Python-Markdown is quadratic on some inputs) could not say which once
killed. When the variable named by VARIABLE gives a file, every reading of a source appends
a line as it starts and another as it ends; whatever a process started and never ended is
what the build was reading. Both sides
of that journal live here, so its format has one home.
"""

import json
import os
from pathlib import Path

VARIABLE = "ZOHE_BUILD_PROGRESS"


def report_reading():
    """Have every reader the build makes from now on write to the journal, if one is asked for."""
    from pelican import signals

    if os.environ.get(VARIABLE):
        signals.readers_init.connect(_announce_readers)


def _announce_readers(readers):
    journal = os.environ.get(VARIABLE)
    if not journal:
        return
    # Named as the build's errors name them: relative to the content folder's parent.
    base = os.path.dirname(os.path.abspath(readers.settings["PATH"]))
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is not None:
            readers.reader_classes[extension] = _announced(reader_class, journal, base)


def _announced(reader_class, journal, base):
    class Announced(reader_class):
        def read(self, source_path):
            _write(journal, {"pid": os.getpid(), "reading": os.path.relpath(os.path.abspath(source_path), base)})
            try:
                return super().read(source_path)
            finally:
                _write(journal, {"pid": os.getpid(), "reading": None})

    # Pelican names a document's reader after its class ("MarkdownReader" -> "markdown").
    Announced.__name__ = Announced.__qualname__ = reader_class.__name__
    return Announced


def _write(journal, entry):
    # One short append a line, so that a line is whole whenever the build is killed.
    with open(journal, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def being_read(journal):
    """The files whose reading a process of the build started and never ended, sorted."""
    reading = {}
    try:
        lines = Path(journal).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the last line, cut short by the kill
        reading[entry["pid"]] = entry["reading"]
    return sorted({path for path in reading.values() if path})
