"""Where and how the build reads the comment database: read-only, one default shared with the server, the server's own rendering."""

import contextlib
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from support import ROOT, URI, baked_thread, build_prod, environment, make_isso_database


def test_the_database_is_opened_read_only(tmp_path):
    database = tmp_path / "comments.db"
    make_isso_database(database)
    database.chmod(0o444)
    before = database.read_bytes()
    build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comments.db", "output"]


@pytest.mark.parametrize("named", [None, "ailleurs/commentaires.db"])
def test_the_build_and_the_comment_server_find_one_database(monkeypatch, named):
    """One default and one reader of ZOHE_COMMENTS_DB (comments_database), for the preview's build and its server."""
    from baked_comments.settings import get_settings
    from comments import settings

    if named:
        monkeypatch.setenv("ZOHE_COMMENTS_DB", named)
    else:
        monkeypatch.delenv("ZOHE_COMMENTS_DB", raising=False)
    server = settings.dbpath(settings.load(settings.DEFAULT_SETTINGS, create_folder=False))
    assert get_settings({})["database"] == server == ROOT / (named or "var/comments.db")


def test_a_build_without_comments_imports_neither_the_comment_server_nor_isso(tmp_path):
    """The build finds and reads the database through comments_database; Isso renders only comments there are."""
    program = (
        "import sys; from publish.build import build; "
        f"build(output={str(tmp_path / 'output')!r}, overrides={{'BAKED_COMMENTS': {{'database': {str(tmp_path / 'none.db')!r}}}}}); "
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('isso', 'comments')))"
    )
    r = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


@contextlib.contextmanager
def read_only_directory(path):
    """`path` made read-only for this process: chmod for a user, the immutable attribute for root."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make a directory read-only as root here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_wal_database_in_a_read_only_directory_is_read(tmp_path):
    """As zohe-refresh.service sees /var/lib/zohe while the comment server is stopped."""
    from approved_comments import fingerprint

    from comments import store

    folder = tmp_path / "zohe"
    folder.mkdir()
    database = folder / "comments.db"
    make_isso_database(database)
    store.prepare(database)  # what the live server does: the file is in WAL mode
    expected = fingerprint(database)
    # A stopped server: its last connection to close (here, this one) removed -wal and -shm.
    store.prepare(database)
    assert sorted(p.name for p in folder.iterdir()) == ["comments.db"]
    with read_only_directory(folder):
        # The failure this guards against: SQLite cannot create the -shm file.
        with pytest.raises(sqlite3.OperationalError):
            sqlite3.connect(f"file:{database}?mode=ro", uri=True).execute("SELECT 1 FROM comments").fetchall()
        output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
        assert fingerprint(database) == expected
    assert baked_thread(output).select_one(".discussion__count").get_text() == "4 réponses"
    assert sorted(p.name for p in folder.iterdir()) == ["comments.db"]


def test_an_approval_during_the_build_leaves_the_pages_due_for_a_rebuild(tmp_path, monkeypatch):
    """The digest written beside the pages is that of the comments they show, not of a later read.

    A moderator approves a comment after the build has read the comments and before it
    writes the digest: the pages lack it, so the digest must differ from the database's,
    or deploy.refresh would never bake it in.
    """
    from approved_comments import FINGERPRINT_FILE, fingerprint
    import baked_comments.baked_comments as plugin

    database = tmp_path / "comments.db"
    db = make_isso_database(database)
    (waiting,) = [row[0] for row in db.execute("SELECT id FROM comments WHERE mode = 2").fetchall()]
    before = fingerprint(database)
    bake = plugin.bake

    def bake_then_approve(generator):
        bake(generator)
        db.comments.activate(waiting)  # Isso's own code, as the approve link or comments.approve

    # register() connects the module's `bake` when the build starts.
    monkeypatch.setattr(plugin, "bake", bake_then_approve)
    output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})

    assert db.comments.get(waiting)["mode"] == 1
    assert baked_thread(output).select_one(f"#isso-{waiting}") is None
    written = (output / FINGERPRINT_FILE).read_text(encoding="utf-8").strip()
    assert written == before
    assert written != fingerprint(database)


def test_text_is_rendered_with_the_servers_own_configuration_file(tmp_path):
    """ISSO_SETTINGS names the server's file (comments/wsgi.py): the build renders with the same one."""
    import configparser

    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ROOT / "comments" / "isso.cfg")
    conf["markup.mistune"] = {"plugins": "", "parameters": "escape"}  # no ~~strikethrough~~
    with open(tmp_path / "isso.cfg", "w") as handle:
        conf.write(handle)
    database = tmp_path / "comments.db"
    db = make_isso_database(database)
    comment = db.comments.add(URI, {
        "text": "Une ~~idée~~ barrée.", "author": "Zoé", "email": "zoe@exemple.fr", "website": None,
        "parent": None, "mode": 1, "remote_addr": "127.0.0.0", "created": time.time(),
    })
    with environment(ISSO_SETTINGS=str(tmp_path / "isso.cfg")):
        output = build_prod(tmp_path / "output", BAKED_COMMENTS={"database": database})
    text = baked_thread(output).select_one(f"#isso-{comment['id']} .isso-text")
    assert text.decode_contents() == "<p>Une ~~idée~~ barrée.</p>"
