"""Publish, refresh and roll back a web root, each under the publishing lock: what the hook and the tasks call.

The tip of main is built into a new release and made current (publish), the live commit
is built again when its pages are out of date (refresh), or the release live before comes
back (rollback). Each says what it did in one French line for the author.
"""

from pathlib import Path
import sys
import time

import comments_database
from deploy import freshness
from deploy.build_run import build_release
from deploy.lock import Lock
from deploy.messages import DeployError, milliseconds, say
from deploy.releases import current_release, go_live, prune, release_name, releases, rollback_order
from deploy.repository import main_tip
from deploy.settings import ENV_FILE, build_environment, require_legal_notice, time_limit
from publish import content_cache
from pruning import keep_first



def publish(repo, webroot, rebuild=False, python=None, stream=None, live=False):
    """Build the tip of main (unless already built) and make it current; return (release, switch seconds).

    The tip is read under the lock, not taken from the push: when two pushes race, the
    last one to get the lock publishes whatever main is by then, so `current` ends on
    main's final commit and a slower build can never put an older commit back.

    With `live`, the commit built is the one `current` serves (read under the lock too),
    not main's tip: a refresh must neither undo a rollback nor fail with a broken push.
    """
    stream = stream or sys.stdout
    with Lock(webroot, stream):
        # Read (deploy.env among it) before anything goes live: an error here publishes nothing.
        env = build_environment(webroot)
        cache = env["ZOHE_CACHE_PATH"]
        time_limit(webroot, env)
        require_legal_notice(webroot, env)
        current = current_release(webroot)
        commit = current.commit if live and current is not None else main_tip(repo)
        if commit is None:
            raise DeployError("la branche main n’existe pas.")
        existing = next((r for r in reversed(releases(webroot)) if r.commit == commit), None)
        if current is not None and current.commit == commit and not rebuild:
            say(f"la version {commit[:12]} est déjà en ligne.", stream)
            return current, 0.0
        if existing is not None and not rebuild:
            release = existing
        else:
            say(f"construction de la version {commit[:12]}…", stream)
            release = build_release(
                repo, webroot, commit, release_name(webroot, commit, rebuild), python, stream
            )
        # A new build of the live commit (refresh, rebuild) stands in for the live release:
        # rollback from it goes to what was live before, not to its older build.
        same = current is not None and current.commit == release.commit
        seconds = go_live(webroot, release, "replace" if same else "publish")
        prune(webroot)
        if cache:
            prune_reader_caches(cache)
    say(f"en ligne\u00a0: version {commit[:12]} (bascule en {milliseconds(seconds)}).", stream)
    return release, seconds


def refresh(repo, webroot, stream=None, now=None):
    """Build the live release's commit again when its pages are out of date; return the new release or None.

    The live commit, not main's tip: after a rollback the site stays rolled back, and
    after a push whose build failed, moderated comments still reach the live pages.

    Out of date means: a moderator approved, edited or deleted a comment since the
    build (the digest of what the pages show differs from the one the build wrote),
    or `now` (a timestamp, the clock by default) has reached the date of the earliest
    chronicle the build held back as future. Cheap otherwise, so a timer can run it
    every few minutes, and a scheduled chronicle goes out within one tick of its date.
    """
    stream = stream or sys.stdout
    current = current_release(webroot)
    if current is None:
        return publish(repo, webroot, stream=stream)[0]
    database = build_environment(webroot).get(comments_database.VARIABLE)
    if not database:
        raise DeployError(f"{comments_database.VARIABLE} manque dans {Path(webroot) / ENV_FILE}\u00a0: "
                          "impossible de savoir quels commentaires sont en ligne.")
    reasons = freshness.reasons(current, database, time.time() if now is None else now)
    if not reasons:
        # A quiet site publishes nothing for weeks: its old releases still go past their days.
        with Lock(webroot, stream):
            prune(webroot)
        say("les pages en ligne sont à jour.", stream)
        return None
    say(f"republication\u00a0: {' et '.join(reasons)}.", stream)
    return publish(repo, webroot, rebuild=True, stream=stream, live=True)[0]


def rollback(webroot, stream=None):
    """Point `current` at the release that was live before the current one; return it.

    Again goes further back through what went live (DIR/history.jsonl), never by build
    time: a refresh after a rollback builds a newer release of the older commit, and
    the release rolled away from must not come back.
    """
    with Lock(webroot, stream):
        current = current_release(webroot)
        if current is None:
            raise DeployError("aucune version n’est en ligne.")
        order = rollback_order(webroot)
        if not order:
            raise DeployError("aucune version précédente n’est conservée.")
        previous = order[0]
        go_live(webroot, previous, "rollback")
    say(f"retour à la version {previous.commit[:12]} ({previous.name}).", stream)
    return previous


def prune_reader_caches(cache, keep=content_cache.KEEP):
    """Remove all but the `keep` reader caches under `cache` that builds used last; return the removed folders.

    Each change of the code or settings starts one (about 30 MB at 1,000 chronicles):
    without this they would pile up for good. Which were used last, the cache layer says.
    """
    return keep_first(content_cache.newest_first(cache), keep)
