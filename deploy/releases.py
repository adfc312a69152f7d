"""The releases of a web root: which are complete, which is live, which went live before it, which are kept.

A release is a folder releases/<name> holding one complete production build and, written
last, its marker .zohe-release.json (commit, build time, files carried over); `current`
is a relative symbolic link to one of them, changed with one rename. DIR/history.jsonl
records each switch, so that rollback walks back through what readers were actually
served, never by build time.
"""

from dataclasses import dataclass
import json
import os
from pathlib import Path
import re
import shutil
import time

from deploy.messages import DeployError
from pruning import keep_first

RELEASES = "releases"
CURRENT = "current"
HISTORY = "history.jsonl"
MARKER = ".zohe-release.json"
KEEP = 5
# Past this a release goes, even one rollback would reach: its pages show the comments as
# they were, and one erased since (by its author or a moderator) must neither stay on disk
# longer than the privacy policy says nor come back with a rollback.
KEPT_DAYS = 14
# Files named after their content (hashed_assets plugin, Pagefind's index): safe to keep
# beside newer ones, and cached for good by nginx.
_CONTENT_NAMED = re.compile(
    r"(?:^theme/.*\.[0-9a-f]{10}\.(?:css|js)|^pagefind/(?:fragment|index)/[^/]+|^pagefind/[^/]+\.pf_meta)"
    r"(?:\.gz|\.br)?$"
)


@dataclass
class Release:
    name: str
    path: Path
    commit: str
    built_at: float


def releases(webroot):
    """Complete releases (a marker written after a clean build), oldest first."""
    found = []
    folder = Path(webroot) / RELEASES
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        marker = path / MARKER
        if path.name.startswith(".") or not marker.is_file():
            continue
        data = json.loads(marker.read_text(encoding="utf-8"))
        found.append(Release(path.name, path, data["commit"], data["built_at"]))
    return sorted(found, key=lambda release: (release.built_at, release.name))


def current_release(webroot):
    """The release `current` points at, or None."""
    link = Path(webroot) / CURRENT
    if not link.is_symlink():
        return None
    name = Path(os.readlink(link)).name
    return next((r for r in releases(webroot) if r.name == name), None)


def switch(webroot, release):
    """Point `current` at `release` with one rename; return the seconds it took."""
    webroot = Path(webroot)
    link = webroot / CURRENT
    if link.exists() and not link.is_symlink():
        raise DeployError(f"{link} est un vrai dossier\u00a0: déplacez-le, il doit être un lien symbolique.")
    started = time.perf_counter()
    staged = webroot / f".{CURRENT}.{os.getpid()}.tmp"
    if staged.is_symlink() or staged.exists():
        staged.unlink()
    # Relative target: the web root can be moved or mounted elsewhere as a whole.
    os.symlink(os.path.join(RELEASES, release.name), staged)
    os.replace(staged, link)
    return time.perf_counter() - started


def _read_history(webroot):
    """The lines of DIR/history.jsonl as dicts; a line a crash left torn is skipped."""
    path = Path(webroot) / HISTORY
    if not path.is_file():
        return None
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


def live_history(webroot):
    """The names of the releases that went live, oldest first, the live one last.

    Replayed from DIR/history.jsonl: a publication stacks its release, a rebuild of
    the live commit takes the live one's place, a rollback unstacks back to where it
    went. A web root published before the history existed walks back by build time.
    """
    current = current_release(webroot)
    entries = _read_history(webroot)
    if entries is None:
        if current is None:
            return []
        return [r.name for r in releases(webroot) if (r.built_at, r.name) <= (current.built_at, current.name)]
    stack = []
    for entry in entries:
        name, previous = entry["release"], entry.get("previous")
        # A switch whose line was never written (a crash between the rename and the
        # append) is still known from the next line's `previous`.
        if previous is not None and (not stack or stack[-1] != previous):
            stack.append(previous)
        if entry["event"] == "rollback":
            if stack:
                stack.pop()
            while stack and stack[-1] != name:
                stack.pop()
            if not stack:
                stack.append(name)
        elif entry["event"] == "replace" and stack:
            stack[-1] = name
        else:
            stack.append(name)
    if current is not None and (not stack or stack[-1] != current.name):
        stack.append(current.name)
    return stack


def rollback_order(webroot):
    """The complete releases successive rollbacks would make live, nearest first."""
    history = live_history(webroot)
    complete = {release.name: release for release in releases(webroot)}
    order = []
    for name in reversed(history[:-1]):
        if name in complete and name != history[-1] and all(r.name != name for r in order):
            order.append(complete[name])
    return order


def go_live(webroot, release, event):
    """Switch `current` to `release` and record it in DIR/history.jsonl; return the switch's seconds.

    `event` is "publish" (stacked), "replace" (a new build of the live commit takes the
    live release's place) or "rollback". Called under the lock. The file is rewritten
    whole under a temporary name and renamed, so a reader never finds half a line.
    """
    webroot = Path(webroot)
    previous = current_release(webroot)
    entries = _read_history(webroot)
    if entries is None:
        # The first line of a web root that had releases before the history: walking
        # back by build time, as rollback did then, stays possible.
        history = live_history(webroot)
        entries = [{"release": name, "event": "publish"} for name in history]
    seconds = switch(webroot, release)
    entries.append({
        "release": release.name,
        "commit": release.commit,
        "event": event,
        "previous": previous.name if previous is not None else None,
        "at": time.time(),
    })
    path = webroot / HISTORY
    staged = path.with_name(f".{HISTORY}.{os.getpid()}.tmp")
    with open(staged, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staged, path)
    return seconds


def prune(webroot, keep=KEEP, now=None):
    """Keep the current release and `keep` others built in the last KEPT_DAYS; remove the rest and leftovers.

    The releases rollback would reach come before the newest ones: a morning of refreshes
    (each a new release of the live commit) must not push out the release that was
    live before the last push.
    """
    folder = Path(webroot) / RELEASES
    current = current_release(webroot)
    live = current.name if current is not None else None
    oldest = (time.time() if now is None else now) - KEPT_DAYS * 24 * 3600
    ranked = [release.path for release in [*rollback_order(webroot), *reversed(releases(webroot))]
              if release.name != live and release.built_at >= oldest]
    # Under the lock no build is running: a dot folder is a crashed build's leftover, a
    # folder without a marker a build that died before it was complete; both go.
    others = [path for path in folder.iterdir() if path.name != live]
    return [path.name for path in keep_first(ranked, keep, others)]


def release_name(webroot, commit, rebuild):
    """`commit`, or with `rebuild` the next free `commit-N`: a new build never overwrites a release."""
    folder = Path(webroot) / RELEASES
    if not rebuild:
        return commit
    number = 2
    while (folder / f"{commit}-{number}").exists():
        number += 1
    return f"{commit}-{number}"


def write_marker(release_path, commit, started, carried):
    """Mark `release_path` complete, last of all; return its Release."""
    built_at = time.time()
    marker = {"commit": commit, "built_at": built_at, "build_seconds": built_at - started, "carried": carried}
    (Path(release_path) / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return Release(Path(release_path).name, Path(release_path), commit, built_at)


def carry_over_assets(previous, release):
    """Copy the previous release's own content-named files the new one lacks; return their paths.

    A reader whose page (cached up to a minute, or still loading) came from the previous
    release asks for its hashed stylesheet or its search index fragments: without these
    copies `current` would answer 404 for them. Files the previous release had itself
    carried over are left behind, so copies never pile up beyond one generation.
    """
    marker = Path(previous) / MARKER
    inherited = set(json.loads(marker.read_text(encoding="utf-8")).get("carried", ())) if marker.is_file() else set()
    copied = []
    for path in sorted(Path(previous).rglob("*")):
        relative = path.relative_to(previous).as_posix()
        if not path.is_file() or relative in inherited or not _CONTENT_NAMED.search(relative):
            continue
        destination = Path(release) / relative
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied.append(relative)
    return copied
