"""Backups taken while comments are written, rotation, and checked restores (also into a running server)."""

import os
import sqlite3
import stat
import threading
import time

import pytest
from invoke import Context

from bench import gunicorn_server
from comments import backup, settings, tasks
from isso_support import Server
from test_moderation import invoke, read_only

pytestmark = pytest.mark.timeout(60)

WRITERS = 4
MAX_WRITES = 240
MAX_SECONDS = 15


def ids_in(path, uri):
    con = sqlite3.connect(path)
    try:
        return {row[0]: row[1] for row in con.execute(
            "SELECT comments.id, comments.text FROM comments JOIN threads ON threads.id = comments.tid"
            " WHERE threads.uri = ?", (uri,))}
    finally:
        con.close()


def integrity(path):
    con = sqlite3.connect(path)
    try:
        return [row[0] for row in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def test_backup_during_writes_holds_every_acknowledged_comment(unmoderated, uri, tmp_path):
    client = unmoderated.client()
    acknowledged = {}
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()

    def write(worker):
        n = 0
        while not stop.is_set() and time.monotonic() - started < MAX_SECONDS:
            with lock:
                if len(acknowledged) >= MAX_WRITES:
                    return
            text = f"Écrit par {worker}, numéro {n}."
            r = client.new(uri, text)
            assert r.status == 201
            with lock:
                acknowledged[r.json()["id"]] = text
            n += 1

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    try:
        while len(acknowledged) < MAX_WRITES // 3 and time.monotonic() - started < MAX_SECONDS:
            time.sleep(0.01)
        with lock:
            before = dict(acknowledged)
        snapshot = backup.backup(unmoderated.dbpath, tmp_path / "backups")
    finally:
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(MAX_SECONDS)
    assert len(before) >= MAX_WRITES // 3
    assert len(acknowledged) > len(before), "writes did not go on around the backup"

    restored = tmp_path / "restored.db"
    assert backup.restore(snapshot, restored) is None  # nothing to save first
    assert integrity(restored) == ["ok"]
    held = ids_in(restored, uri)
    missing = set(before) - set(held)
    assert not missing, f"{len(missing)} acknowledged comments missing from the backup"
    assert all(held[i] == text for i, text in before.items())
    # And the restored file is a full snapshot, not just our thread.
    assert set(ids_in(restored, uri)) <= set(ids_in(unmoderated.dbpath, uri))


def test_rotation_keeps_the_newest(unmoderated, tmp_path):
    directory = tmp_path / "rotation"
    made = [backup.backup(unmoderated.dbpath, directory, keep=3) for _ in range(5)]
    assert sorted(directory.glob("comments-*.db")) == made[-3:]
    assert not list(directory.glob("*.partial"))


def test_the_shipped_backup_command_removes_snapshots_older_than_the_promised_days(unmoderated, tmp_path, monkeypatch):
    """A snapshot holds what was erased since: past backup.KEPT_DAYS it goes, however few there are."""
    import datetime

    directory = tmp_path / "snapshots"
    made = backup.backup(unmoderated.dbpath, directory)
    now = datetime.datetime.now(datetime.timezone.utc)
    # Copies named as the daily timer would have named them, one past the promise and one within it.
    aged = {days: directory / f"{backup.PREFIX}{(now - datetime.timedelta(days=days)).strftime(backup.STAMP)}.db"
            for days in (backup.KEPT_DAYS + 1, backup.KEPT_DAYS - 1)}
    for path in aged.values():
        path.write_bytes(made.read_bytes())
    monkeypatch.setenv("ISSO_SETTINGS", str(unmoderated.config))
    # As zohe-comments-backup.service runs it: `invoke comments.backup --keep 14`.
    tasks.backup(Context(), keep=str(backup.KEEP), directory=str(directory))
    left = sorted(directory.glob(f"{backup.PREFIX}*.db"))
    assert aged[backup.KEPT_DAYS - 1] in left and made in left and len(left) == 3
    assert aged[backup.KEPT_DAYS + 1] not in left


@pytest.mark.parametrize("keep", [0, -1])
def test_backup_refuses_to_keep_no_snapshot(unmoderated, tmp_path, monkeypatch, keep):
    directory = tmp_path / "snapshots"
    earlier = backup.backup(unmoderated.dbpath, directory, keep=3)
    with pytest.raises(backup.InvalidKeep):
        backup.backup(unmoderated.dbpath, directory, keep=keep)
    monkeypatch.setenv("ISSO_SETTINGS", str(unmoderated.config))
    with pytest.raises(SystemExit, match="il faut au moins 1"):
        tasks.backup(Context(), keep=str(keep), directory=str(directory))
    # Nothing written, nothing rotated away.
    assert sorted(directory.iterdir()) == [earlier]


def test_restore_refuses_damaged_or_foreign_files(tmp_path):
    live = tmp_path / "live.db"
    sqlite3.connect(live).execute("CREATE TABLE marker (x)").connection.commit()

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4096)
    with pytest.raises(backup.InvalidBackup):
        backup.restore(garbage, live)

    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE comments (id INTEGER PRIMARY KEY, text TEXT)")
    con.commit()
    con.close()
    with pytest.raises(backup.InvalidBackup, match="threads|lacks"):
        backup.restore(foreign, live)

    with pytest.raises(backup.InvalidBackup):
        backup.restore(tmp_path / "absent.db", live)
    # The live database is untouched.
    assert sqlite3.connect(live).execute("SELECT name FROM sqlite_master").fetchall() == [("marker",)]


def test_restore_into_running_server_through_tasks(tmp_path, uri, monkeypatch, capsys):
    server = Server(tmp_path / "server", workers=2, moderation={"enabled": "false"}).start()
    try:
        monkeypatch.setenv("ISSO_SETTINGS", str(server.config))
        client = server.client()
        kept = client.new(uri, "Avant la sauvegarde.").json()["id"]
        tasks.backup(Context(), keep=5, directory=str(tmp_path / "snapshots"))
        assert "Sauvegarde écrite" in capsys.readouterr().out
        (snapshot,) = (tmp_path / "snapshots").glob("comments-*.db")

        client.new(uri, "Après la sauvegarde.")
        for _ in range(4):  # both workers cache the two-comment thread
            assert len(client.thread(uri).json()["replies"]) == 2

        tasks.restore(Context(), str(snapshot))
        out = capsys.readouterr().out
        assert "Base restaurée" in out and "Base précédente sauvegardée" in out
        for _ in range(4):
            assert [c["id"] for c in client.thread(uri).json()["replies"]] == [kept]
        assert integrity(server.dbpath) == ["ok"]
        # The server keeps writing into the restored database.
        assert client.new(uri, "Après la restauration.").status == 201
        assert len(client.thread(uri).json()["replies"]) == 2

        bad = tmp_path / "bad.db"
        bad.write_bytes(b"not a database at all" * 100)
        with pytest.raises(SystemExit, match="Restauration refusée"):
            tasks.restore(Context(), str(bad))
    finally:
        server.stop()


def test_backup_refuses_a_database_that_does_not_exist(tmp_path):
    """It used to back up the empty database SQLite made at a mistyped path, and leave a .partial each run."""
    absent = tmp_path / "comentaires" / "comments.db"
    with pytest.raises(settings.MissingDatabase):
        backup.backup(absent, tmp_path / "snapshots")
    assert list(tmp_path.iterdir()) == []

    r = invoke("comments.backup", env={"ZOHE_COMMENTS_DB": str(absent)})
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.startswith(f"Base de commentaires introuvable\u00a0: {absent}. Rien n’a été créé.")
    assert "ZOHE_COMMENTS_DB" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_snapshot_that_fails_its_check_leaves_no_partial_file(tmp_path):
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE notes (text TEXT)")
    con.commit()
    con.close()
    with pytest.raises(backup.InvalidBackup):
        backup.backup(foreign, tmp_path / "snapshots")
    assert list((tmp_path / "snapshots").iterdir()) == []


def test_backup_into_a_folder_it_may_not_write_names_it(unmoderated, tmp_path, monkeypatch):
    monkeypatch.setenv("ISSO_SETTINGS", str(unmoderated.config))
    directory = tmp_path / "snapshots"
    directory.mkdir()
    with read_only(directory):
        with pytest.raises(SystemExit) as refused:
            tasks.backup(Context(), directory=str(directory))
    message = refused.value.code
    assert message.startswith("Sauvegarde impossible\u00a0: ") and f"{directory}/comments-" in message, message
    assert list(directory.iterdir()) == []


RESTORES = 5
RESTORE_WRITERS = 4
RESTORE_MAX_WRITES = 600
RESTORE_MAX_SECONDS = 20


def user_version(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def pairs_in(path):
    """Every comment of the database as (id, text), whatever its thread."""
    con = sqlite3.connect(path)
    try:
        return set(con.execute("SELECT id, text FROM comments"))
    finally:
        con.close()


def test_restore_under_writes_loses_no_acknowledged_comment(tmp_path, uri):
    """A restore used to save the database, then overwrite it, letting writers commit in between.

    Those comments, answered 201, were in neither the restored database nor the safety
    copy. Each comment acknowledged while restores run must be in one or the other.
    """
    server = Server(tmp_path / "server", workers=2, moderation={"enabled": "false"}).start()
    try:
        client = server.client()
        # The thread exists in the snapshot: a restore never removes it under a writer.
        assert client.new(uri, "Avant la sauvegarde.").status == 201
        snapshot = backup.backup(server.dbpath, tmp_path / "snapshots")

        # (id, text sent, text answered) of each 201/202 answer; any other answer.
        acknowledged, refused = [], []
        lock = threading.Lock()
        stop = threading.Event()
        started = time.monotonic()

        def write(worker):
            for n in range(RESTORE_MAX_WRITES // RESTORE_WRITERS):
                if stop.is_set() or time.monotonic() - started > RESTORE_MAX_SECONDS:
                    return
                text = f"Écrit par {worker}, numéro {n}."
                r = client.new(uri, text)
                with lock:
                    if r.status in (201, 202):
                        acknowledged.append((r.json()["id"], text, r.json()["text"]))
                    else:
                        refused.append((r.status, r.body[:200]))

        def count():
            with lock:
                return len(acknowledged)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(RESTORE_WRITERS)]
        for t in threads:
            t.start()
        safeties, written_before = [], []
        try:
            for _ in range(RESTORES):
                # Writes go on around each restore.
                goal = count() + 10
                while count() < goal and time.monotonic() - started < RESTORE_MAX_SECONDS:
                    time.sleep(0.005)
                written_before.append(count())
                safeties.append(backup.restore(snapshot, server.dbpath, tmp_path / "safety"))
        finally:
            stop.set()
            for t in threads:
                t.join(RESTORE_MAX_SECONDS)
        assert len(safeties) == RESTORES and all(safeties)
        assert written_before[0] > 0 and count() > written_before[-1], "writes did not go on around the restores"
        assert not refused, refused[:5]

        held = pairs_in(server.dbpath).union(*(pairs_in(path) for path in safeties))
        lost = [text for _, text, _ in acknowledged if text not in {text for _, text in held}]
        assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged comments lost: {lost[:5]}"
        # Under the number its answer gave. Isso reads the new comment back as the newest
        # one, in a second statement: a restore between the two makes the answer carry
        # another comment (its text then differs from the one sent).
        misnumbered = [(i, text) for i, text, answered in acknowledged if text in answered and (i, text) not in held]
        assert not misnumbered, misnumbered[:5]
        assert integrity(server.dbpath) == ["ok"]
        # Isso's schema version, which drives its migrations, comes with the content.
        assert user_version(server.dbpath) == user_version(snapshot) > 0
    finally:
        server.stop()


def isso_database(source, path):
    """A database of its own at ``path``, restored from a snapshot of the server ``source``, with a configuration naming it."""
    backup.restore(backup.backup(source.dbpath, path.parent / "origin"), path)
    return gunicorn_server.write_config(path.parent, gunicorn_server.free_port())


def test_restore_refuses_while_writers_keep_the_database(unmoderated, tmp_path, monkeypatch):
    live = tmp_path / "live" / "comments.db"
    monkeypatch.setenv("ISSO_SETTINGS", str(isso_database(unmoderated, live)))
    snapshot = backup.backup(live, tmp_path / "snapshots")
    monkeypatch.setattr(backup, "LOCK_WAIT", 0.2)

    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE comments SET text = 'Écrit pendant la restauration.'")
    with pytest.raises(SystemExit) as refused:
        tasks.restore(Context(), str(snapshot))
    writer.execute("COMMIT")
    writer.close()
    assert refused.value.code == (
        f"Restauration refusée\u00a0: la base {live} est restée occupée par d’autres écritures pendant 0,2\u00a0s\u202f; "
        "rien n’a été modifié, réessayez dans un instant."
    )
    # No safety snapshot, and the writer's change stands.
    assert not (live.parent / "backups").exists()
    con = sqlite3.connect(live)
    assert {text for (text,) in con.execute("SELECT text FROM comments")} == {"Écrit pendant la restauration."}
    con.close()


def test_folders_whose_names_hold_uri_characters(unmoderated, uri, tmp_path, monkeypatch):
    """In SQLite's URI, "#" and "?" ended the path and "%" began an escape: such a snapshot was "not an Isso database"."""
    unmoderated.client().new(uri, "Dans un dossier au nom piégé.")
    snapshots = tmp_path / "sauvegardes #1 ?à 100 %"
    snapshot = backup.backup(unmoderated.dbpath, snapshots)
    backup.check(snapshot)
    assert ids_in(snapshot, uri) == ids_in(unmoderated.dbpath, uri)

    live = tmp_path / "base #2 ?%41" / "comments.db"
    live.parent.mkdir()
    assert backup.restore(snapshot, live) is None
    assert ids_in(live, uri) == ids_in(unmoderated.dbpath, uri)

    # Through the moderator's commands: their database and folders too.
    monkeypatch.setenv("ISSO_SETTINGS", str(gunicorn_server.write_config(live.parent, gunicorn_server.free_port())))
    tasks.backup(Context(), directory=str(snapshots))
    tasks.restore(Context(), str(snapshot))
    (safety,) = (live.parent / "backups").glob("comments-*.db")
    assert ids_in(safety, uri) == ids_in(live, uri) == ids_in(unmoderated.dbpath, uri)
    assert len(list(snapshots.glob("comments-*.db"))) == 2


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_snapshots_are_private_whatever_the_umask(unmoderated, tmp_path, umask):
    """They hold commenters' e-mail addresses: a backup made by hand used to be world-readable (0644)."""
    previous = os.umask(umask)
    try:
        snapshot = backup.backup(unmoderated.dbpath, tmp_path / "snapshots")
        live = tmp_path / "live" / "comments.db"
        live.parent.mkdir()
        assert backup.restore(snapshot, live) is None
        safety = backup.restore(snapshot, live, tmp_path / "safety")
    finally:
        os.umask(previous)
    for path in (snapshot, safety, live):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_snapshot_keeps_no_address_that_lives_a_links_lifetime(unmoderated, tmp_path):
    """The own-data links and requests (an e-mail address, its hash) live an hour; snapshots live 14 days: written without them."""
    from comments import data_links

    with sqlite3.connect(unmoderated.dbpath) as con:
        con.execute("INSERT INTO zohe_data_links (nonce, address, expires) VALUES ('n', 'camille@example.org', ?)",
                    (time.time() + 3600,))
        con.execute("INSERT INTO zohe_data_requests (key, at) VALUES ('address x', ?)", (time.time(),))
    try:
        snapshot = backup.backup(unmoderated.dbpath, tmp_path / "snapshots", keep=1)
        with sqlite3.connect(snapshot) as con:
            assert [con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in data_links.SHORT_LIVED] == [0, 0]
        with sqlite3.connect(unmoderated.dbpath) as con:  # the live database keeps them for their hour
            assert con.execute("SELECT COUNT(*) FROM zohe_data_links WHERE nonce = 'n'").fetchone()[0] == 1
    finally:
        with sqlite3.connect(unmoderated.dbpath) as con:
            con.execute("DELETE FROM zohe_data_links WHERE nonce = 'n'")
            con.execute("DELETE FROM zohe_data_requests WHERE key = 'address x'")
