"""The comment server's WSGI ``application``: Isso built for several worker processes, behind our middleware.

Run it with ``gunicorn -c python:comments.gunicorn_conf --preload -w 2 comments.wsgi:application``
(comments.gunicorn_conf: gunicorn's own refusals in French). The configuration is
the file named by ``ISSO_SETTINGS`` (``comments/isso.cfg`` when unset) with the
environment overrides of comments.settings; it refuses to start without a real
``ISSO_ADMIN_PASSWORD``, production or not (only the preview, publish.preview_comments,
has a default).

Isso's own ``isso.run`` builds the app with ``threading=True``: each worker then has its
own lock around "insert, then read back MAX(id)", and under two workers some ``POST /new``
answers carry another commenter's comment and edit cookie (measured here: 15 in 1,200;
``python -m bench.comment_server --race`` reproduces it). Isso's multiprocessing variant shares
one semaphore instead, but a worker killed while holding it left every later write
waiting forever. So every worker and thread takes one file lock beside the database
(comments.locks), which the kernel releases when its holder dies: no answer carries
another commenter's comment, and no dead worker stops the writes. ``--preload`` builds
the app once, in the master; what the workers must not inherit from it is an open
SQLite connection: see release_database.
"""

import gc
import logging
import os
import sys
import threading
import time

import isso.core

from comments import isso_app, locks, mail, settings, store
from comments.admin import AdminSessions
from comments.cache import ThreadCache
from comments.csp import ContentSecurityPolicy
from comments.data_links import DataLinks
from comments.data_pages import MAIL_KIND, DataPages
from comments.discussions import OpenDiscussions
from comments.errors import FrenchErrors
from comments.evidence import GatherEvidence, RecordEvidence
from comments.form_post import DiscussionForm
from comments.form_token import FormTokens
from comments.guard import PostLimits
from comments.hardening import EscapeOutput, RequestGuard
from comments.health import HealthCheck
from comments.moderation_pages import ModerationPages
from comments.proof import ProofOfWork
from comments.spam.admin_marks import HeldMarks
from comments.spam.triage import SpamFilter
from comments.throttle import LoginThrottle
from comments.typography import CommentTypography
from comments.validation import RequestValidation


def create_app(conf):
    """Build the hardened application from a loaded configuration (see comments.settings.load)."""
    # Before anything is created: production refuses to start without it.
    secret = settings.form_secret()
    # Isso gets a copy without its guard and its mail (comments.isso_app.isso_conf); ours read the real one.
    core, instance = isso_app.build(conf)
    if conf.getboolean("moderation", "enabled"):
        wait_for_isso_purge()
    # After the app is built: Isso creates (or migrates) its tables first, ours refer to them.
    path = settings.dbpath(conf)
    store.prepare(path)
    shared = store.Store(path)
    # Isso's views read instance.lock at each use (its purge thread has done its first
    # pass: see wait_for_isso_purge), so from here on every write takes ours.
    instance.lock = locks.beside(path, "writes")

    # Each layer wraps the ones above it, so a request meets them from the last up: bad
    # requests are refused before anything else runs; escaping comes before caching so
    # that the cache only ever holds escaped answers.
    app = EscapeOutput(core)
    # Next to Isso, which gives the new comment its number: the evidence gathered outside
    # (GatherEvidence, below) is kept with it.
    app = RecordEvidence(app, shared)
    # The comments' text set as the baked pages set it (comments.typography); inside the
    # cache too, so that a cached thread is typeset once, not at every read.
    app = CommentTypography(app)
    app = ModerationPages(app, conf, instance.db)
    app = ThreadCache(app, conf, shared)
    # Isso renders the admin page here: each comment held as likely spam says so (comments.spam).
    app = HeldMarks(app, shared)
    # Inside the throttle: it answers the login itself, and the throttle counts its answers.
    app = AdminSessions(app, conf, shared, instance.signer, secure_cookies=settings.production())
    app = LoginThrottle(app, conf, shared)
    # Limits on posting, inside RequestGuard so that only well-formed posts use up a
    # reader's allowance, and outside Isso so that a refusal writes nothing (comments.guard).
    app = PostLimits(app, conf, shared)
    # Outside the limits: a post for a discussion the site does not offer uses up nothing.
    app = OpenDiscussions(app, settings.site_root())
    # Isso's own signer: edit cookies and moderation keys are its signatures.
    app = RequestGuard(app, conf, shared, instance.signer, locks.beside(path, "changes"))
    # Numbers, JSON bodies and field types checked before anything of ours or Isso's reads them.
    app = RequestValidation(app)
    # Takes the write lock every new comment takes: a server that answers it can write.
    app = HealthCheck(app, instance.lock, shared)
    # The no-script form: outside every check of the JSON API, since it hands each post to
    # it as POST /new, which they all then check as the embed script's; inside the French
    # errors, which log and answer anything it did not expect.
    tokens = FormTokens(secret, shared, settings.form_min_seconds())
    app = DiscussionForm(app, conf, instance, tokens)
    # A commenter's own data (comments.data_pages): pages of their own, outside every check
    # of the JSON API like the form's; their mail goes through the moderators' outbox (below).
    moderation_mail = mail.ModerationMail(conf, instance, shared) if mail.enabled(conf) else None
    app = own_data_pages = DataPages(app, conf, DataLinks(secret, shared), shared, moderation_mail)
    # Outside the form, which copies what it gathers into the POST /new it sends inside,
    # so that the layers inside (the spam policy) see one dict whichever way a comment came.
    app = GatherEvidence(app, tokens, ProofOfWork(secret, shared), settings.site_origins(conf))
    # Every error answer, ours or Isso's, in French; no traceback to the client.
    app = FrenchErrors(app)
    # Every answer carries its policy, the French error pages and the guard's refusals included.
    app = ContentSecurityPolicy(app, settings.site_origins(conf))
    # Each new comment is judged as Isso saves it, inside every layer above (the evidence
    # they gather is in its environ), before anyone is told of it: one held as likely
    # spam is kept but never mailed; the moderators' decisions teach its score (comments.spam).
    spam_filter = SpamFilter(conf, shared)
    spam_filter.listen(instance.signal)
    if moderation_mail:
        moderation_mail.builders[MAIL_KIND] = own_data_pages.message
        spam_filter.for_moderators.append(moderation_mail.queue)
        # Around everything: any request a worker serves starts its sender thread.
        app = mail.StartSender(app, moderation_mail)
    release_database(path)
    return app


def release_database(path):
    """Close what Isso left open of the database, then make sure this process holds none of its files.

    gunicorn ``--preload`` forks the workers right after this. Isso opens a connection per
    query (``isso.db.SQLite3.execute``: ``with sqlite3.connect() as con: return
    con.execute()``) and the cursor it returns keeps that connection in a reference
    cycle, open until the garbage collector next runs. A connection still open at the
    fork is inherited by every worker, but SQLite's POSIX locks are not: whichever copy
    closes it believes it is the last user and deletes ``comments.db-shm`` under the
    others. After a restart, the first ``invoke comments.approve`` or ``comments.backup``
    then left every worker answering 500 "disk I/O error" until restarted.

    Collecting the cycles closes those connections. A file of the database still open
    after that is held on purpose by some code (SQLite forbids closing its connection
    from another thread): the server refuses to start rather than fork with it.
    """
    gc.collect()
    files = _open_files(path)
    if files:
        raise RuntimeError(
            f"{', '.join(files)} still open before the workers fork: they would share it without SQLite's locks"
        )


def _open_files(path):
    """The files of the database (itself, -wal, -shm) this process holds open; Linux only (/proc)."""
    names = {os.path.realpath(path) + suffix for suffix in ("", "-wal", "-shm")}
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return []
    found = []
    for fd in descriptors:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.removesuffix(" (deleted)") in names:
            found.append(target)
    return sorted(found)


def wait_for_isso_purge(timeout=10.0):
    """Return once the purge thread Isso starts with the app (moderation on) has done its first pass.

    The thread races with what follows: once, our switch to WAL failed with "database
    is locked", and once a worker hung on its first query. gunicorn ``--preload`` forks
    the workers right after this, and a fork while another thread is inside SQLite can
    leave the child with SQLite's mutex held by nobody. The thread then sleeps for
    ``[moderation] purge-after`` (about a hundred years, comments/isso.cfg), so later forks are safe.
    """
    target = isso.core.__file__
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for ident, frame in sys._current_frames().items():
            if ident == threading.get_ident() or frame.f_code.co_filename != target:
                continue
            if frame.f_code.co_name == "purge":
                last_line = max(line for _, _, line in frame.f_code.co_lines() if line)
                if frame.f_lineno == last_line:  # time.sleep(delta): out of SQLite
                    return True
        time.sleep(0.005)
    logging.getLogger("isso").warning("Isso's purge thread still busy after %s s", timeout)
    return False


_application = None


def __getattr__(name):
    # Built on first use rather than at import, so that importing this module (tests,
    # tools) neither reads the configuration nor creates the database.
    global _application
    if name == "application":
        if _application is None:
            conf = settings.load()
            settings.check_server_password(conf)
            try:
                _application = create_app(conf)
            except AttributeError as e:
                # Raised from here, it would reach gunicorn as "no attribute 'application'".
                raise RuntimeError(f"could not build the application: {e!r}") from e
        return _application
    raise AttributeError(name)
