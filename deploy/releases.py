"""Publishing by `git push`: the post-receive hook's work, the releases it builds, the atomic switch of `current`, rollback.

Layout of a web root (DIR):

    DIR/deploy.env          production settings for the build (not in git; see deploy/README.md)
    DIR/releases/<commit>/  one complete production build per release, with .zohe-release.json
    DIR/current             symlink to releases/<name>; nginx serves it
    DIR/history.jsonl       one line per switch of `current`: what rollback walks back through
    DIR/cache/              kept from build to build: parsed Markdown, compressed copies
    DIR/.build/site/        the commit being built, exported afresh each time (under the lock)
    DIR/.build/reading      what the build is reading, should it pass its time limit
    DIR/.deploy.lock        held while a release is built or `current` changes

The hook builds the tip of `main` with the pushed commit's own build
(`invoke build --prod`, strict: any warning fails it) and only then points
`current` at the new release with one rename, so a reader gets either the old
site or the new one, never a mix. A failed build prints why, naming the file,
to the pusher and leaves `current` alone; so does a build stopped at its time
limit (publish/build_process.py), which names the file it was reading.
"""

import argparse
from dataclasses import dataclass
from datetime import datetime
import fcntl
import hashlib
import io
import json
import os
from pathlib import Path
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from zoneinfo import ZoneInfo

from publish import build_process, plugin_module, progress

ROOT = Path(__file__).resolve().parent.parent
HOOK_TEMPLATE = ROOT / "deploy" / "post-receive.in"

MAIN = "refs/heads/main"
RELEASES = "releases"
CURRENT = "current"
LOCK = ".deploy.lock"
HISTORY = "history.jsonl"
CACHE = "cache"
CHECKOUT = Path(".build") / "site"
READING = Path(".build") / "reading"
ENV_FILE = "deploy.env"
MARKER = ".zohe-release.json"
KEEP = 5
# Reader caches kept in DIR/cache (publishconf.py makes one per version of the code and
# settings): the one the last build used, and the one before, should a push go back.
KEEP_CONTENT_CACHES = 2
NULL_COMMIT = "0" * 40
# Files named after their content (hashed_assets plugin, Pagefind's index): safe to keep
# beside newer ones, and cached for good by nginx.
_CONTENT_NAMED = re.compile(
    r"(?:^theme/.*\.[0-9a-f]{10}\.(?:css|js)|^pagefind/(?:fragment|index)/[^/]+|^pagefind/[^/]+\.pf_meta)"
    r"(?:\.gz|\.br)?$"
)


class DeployError(Exception):
    """Publishing could not go on; the message is for the author, in French."""


@dataclass
class Release:
    name: str
    path: Path
    commit: str
    built_at: float


def say(message, stream=None):
    """One line for the author; in the hook it shows as a `remote:` line."""
    print(f"Zôhé : {message}", file=stream or sys.stdout, flush=True)


def _seconds(value):
    return f"{value:.1f}".replace(".", ",") + " s"


def _milliseconds(value):
    return f"{value * 1000:.2f}".replace(".", ",") + " ms"


# --- installation ---------------------------------------------------------


def install_hook(repo, webroot, python=None, app_root=ROOT):
    """Write `repo/hooks/post-receive`, which runs this module with the project's Python."""
    repo = Path(repo).resolve()
    webroot = Path(webroot).resolve()
    if not (repo / "HEAD").is_file() or not (repo / "objects").is_dir():
        raise DeployError(f"{repo} n’est pas un dépôt Git nu.")
    (webroot / RELEASES).mkdir(parents=True, exist_ok=True)
    values = {
        "PYTHON": shlex.quote(str(python or sys.executable)),
        "APP_ROOT": shlex.quote(str(Path(app_root).resolve())),
        "REPO": shlex.quote(str(repo)),
        "WEBROOT": shlex.quote(str(webroot)),
    }
    text = HOOK_TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    hook = repo / "hooks" / "post-receive"
    hook.parent.mkdir(exist_ok=True)
    staged = hook.with_name("post-receive.new")
    staged.write_text(text, encoding="utf-8")
    staged.chmod(0o755)
    os.replace(staged, hook)
    return hook


# --- environment ----------------------------------------------------------


def read_env_file(path):
    """KEY=VALUE lines (comments and blank lines allowed, optional quotes), as a dict."""
    values = {}
    path = Path(path)
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise DeployError(f"{path}, ligne {number} : « NOM=valeur » attendu.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def build_environment(webroot):
    """The environment of the build: ours without Git's hook variables, plus DIR/deploy.env.

    Git sets GIT_DIR (and sometimes GIT_WORK_TREE, GIT_QUARANTINE_PATH…) for hooks;
    a build that runs git, or tools that look for a repository, must not inherit them.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    # The hook's own module path must not shadow the pushed commit's code.
    env.pop("PYTHONPATH", None)
    webroot = Path(webroot).resolve()
    # The build cache (publishconf.py) belongs to the web root, whatever the caller's shell
    # says; deploy.env may move it, or turn it off with an empty value.
    env["ZOHE_CACHE_PATH"] = str(webroot / CACHE)
    env.update(read_env_file(webroot / ENV_FILE))
    if env["ZOHE_CACHE_PATH"]:
        # The build runs inside the checkout, which is emptied before each build.
        env["ZOHE_CACHE_PATH"] = str(webroot / env["ZOHE_CACHE_PATH"])
    return env


def _git(repo, *args, check=True, **kwargs):
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return subprocess.run(["git", f"--git-dir={repo}", *args], env=env, check=check, **kwargs)


def main_tip(repo):
    """The commit `main` points at now, or None when the branch does not exist."""
    result = _git(repo, "rev-parse", "--verify", "--quiet", MAIN + "^{commit}",
                  capture_output=True, text=True, check=False)
    return result.stdout.strip() or None


def export_commit(repo, commit, destination):
    """Write the tree of `commit` into `destination` (no index or HEAD of the bare repo touched).

    tarfile's "data" filter refuses a symbolic link leading out of the tree (to
    /etc/passwd, to another project): each is named in one French line rather than
    tarfile's traceback, and nothing is built. Links within the tree are extracted as
    links, for the build to judge (zohe_checks refuses any in content/).
    """
    archive = _git(repo, "archive", "--format=tar", commit, capture_output=True).stdout
    outside = []

    def data(member, path):
        try:
            return tarfile.data_filter(member, path)
        except (tarfile.AbsoluteLinkError, tarfile.LinkOutsideDestinationError):
            outside.append(member)
            return None  # left out

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter=data)
    if outside:
        raise DeployError("\n".join(
            f"{link.name}\u00a0: lien symbolique vers un fichier hors du dépôt ({link.linkname}), refusé\u202f; "
            "mettez à sa place le fichier lui-même. Le site en ligne n’a pas changé."
            for link in outside
        ))


# --- releases -------------------------------------------------------------


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
        raise DeployError(f"{link} est un vrai dossier : déplacez-le, il doit être un lien symbolique.")
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


def _rollback_order(webroot):
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


def prune(webroot, keep=KEEP):
    """Keep the current release and `keep` others; remove the rest and leftovers.

    The releases rollback would reach come before the newest ones: a morning of refreshes
    (each a new release of the live commit) must not push out the release that was
    live before the last push.
    """
    folder = Path(webroot) / RELEASES
    complete = releases(webroot)
    current = current_release(webroot)
    candidates = [release.name for release in _rollback_order(webroot)]
    candidates += [release.name for release in reversed(complete)]
    kept = set()
    for name in candidates:
        if len(kept) >= keep:
            break
        if current is None or name != current.name:
            kept.add(name)
    if current is not None:
        kept.add(current.name)
    removed = []
    for path in folder.iterdir():
        if path.name in kept:
            continue
        # Under the lock no build is running: a dot folder is a crashed build's leftover,
        # a folder without a marker a build that died before it was complete.
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    return removed


def prune_content_caches(cache, keep=KEEP_CONTENT_CACHES):
    """Remove all but the `keep` last used reader caches in `cache`.

    Each change of the code or settings starts a new one (about 30 MB at 1,000
    chronicles): without this they would pile up for good. A cache's last use is
    when a build last saved its parsed documents (Pelican rewrites them at every
    successful build; a failed one deletes them), so a folder without any goes first.
    """
    def last_saved(folder):
        try:
            return max((path.stat().st_mtime for path in folder.glob("*Generator-Readers")), default=0.0)
        except OSError:
            return 0.0

    folders = sorted((path for path in Path(cache).glob("content-*") if path.is_dir()), key=last_saved, reverse=True)
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)


class Lock:
    """An exclusive flock on DIR/.deploy.lock: one build or switch at a time."""

    def __init__(self, webroot, stream=None):
        self.path = Path(webroot) / LOCK
        self.stream = stream
        self.handle = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("une autre publication est en cours, attente de sa fin…", self.stream)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _release_name(webroot, commit, rebuild):
    folder = Path(webroot) / RELEASES
    if not rebuild:
        return commit
    number = 2
    while (folder / f"{commit}-{number}").exists():
        number += 1
    return f"{commit}-{number}"


def _check_requirements(checkout, python, stream):
    """Warn when the pushed requirements differ from those the server's venv was made from."""
    stamp = Path(python).parent.parent / ".requirements.sha256"
    wanted = checkout / "requirements.txt"
    if stamp.is_file() and wanted.is_file():
        digest = hashlib.sha256(wanted.read_bytes()).hexdigest()
        if digest != stamp.read_text().strip():
            say("attention, requirements.txt a changé : lancez ./dev sur le serveur "
                "pour mettre l’environnement à jour.", stream)


def _time_limit(webroot, env):
    try:
        return build_process.time_limit(env)
    except ValueError as error:
        raise DeployError(f"{Path(webroot) / ENV_FILE}\u00a0: {error}.") from None


def build_release(repo, webroot, commit, name, python=None, stream=None):
    """Build `commit` with its own strict production build into releases/<name>; return the Release."""
    python = python or sys.executable
    target = Path(webroot) / RELEASES / name
    started = time.time()
    env = build_environment(webroot)
    limit = _time_limit(webroot, env)
    reading = Path(webroot).resolve() / READING
    env[progress.VARIABLE] = str(reading)
    # Always the same folder: Pelican's reader cache is keyed by each source's absolute
    # path, so only a stable checkout lets a push re-read just the files it changed.
    # Callers hold the lock, so no other build is using it.
    checkout = Path(webroot).resolve() / CHECKOUT
    if checkout.exists():
        shutil.rmtree(checkout)
    checkout.mkdir(parents=True)
    reading.unlink(missing_ok=True)
    try:
        export_commit(repo, commit, checkout)
        _check_requirements(checkout, python, stream)
        # The pushed commit's own tasks.py and publish.build: one build path for everyone.
        returncode, expired = build_process.run(
            [python, "-m", "invoke", "build", "--prod", "--output", str(target)],
            checkout, env, limit, stream,
        )
    finally:
        shutil.rmtree(checkout, ignore_errors=True)
    if expired:
        # Killed: what the build had begun beside the release (releases/.<name>.new-…) stays
        # half-written; under the lock no other build is running.
        for leftover in target.parent.glob(f".{target.name}.*"):
            shutil.rmtree(leftover, ignore_errors=True)
        raise DeployError(build_process.stopped(commit, limit, progress.being_read(reading), ENV_FILE))
    if returncode != 0:
        raise DeployError(
            f"la construction de {commit[:12]} a échoué (voir ci-dessus) ; "
            "le site en ligne n’a pas changé."
        )
    current = current_release(webroot)
    carried = carry_over_assets(current.path, target) if current is not None else []
    built_at = time.time()
    marker = {
        "commit": commit,
        "built_at": built_at,
        "build_seconds": built_at - started,
        "carried": carried,
    }
    due = plugin_module("scheduled_chronicles").read_schedule(target)
    if due is not ...:
        # When the earliest chronicle this build held back as future is due (None: none waits).
        marker["next_chronicle"] = due.timestamp() if due else None
    (target / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return Release(name, target, commit, built_at)


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
        _time_limit(webroot, env)
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
                repo, webroot, commit, _release_name(webroot, commit, rebuild), python, stream
            )
        # A new build of the live commit (refresh, rebuild) stands in for the live release:
        # rollback from it goes to what was live before, not to its older build.
        same = current is not None and current.commit == release.commit
        seconds = go_live(webroot, release, "replace" if same else "publish")
        prune(webroot)
        if cache:
            prune_content_caches(cache)
    say(f"en ligne : version {commit[:12]} (bascule en {_milliseconds(seconds)}).", stream)
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
    database = build_environment(webroot).get("ZOHE_COMMENTS_DB")
    if not database:
        raise DeployError(f"ZOHE_COMMENTS_DB manque dans {Path(webroot) / ENV_FILE} : "
                          "impossible de savoir quels commentaires sont en ligne.")
    baked = plugin_module("baked_comments")
    written = current.path / baked.FINGERPRINT_FILE
    reasons = []
    if not written.is_file() or written.read_text(encoding="utf-8").strip() != baked.fingerprint(database):
        reasons.append("des commentaires ont été modérés")
    now = time.time() if now is None else now
    marker = json.loads((current.path / MARKER).read_text(encoding="utf-8"))
    if "next_chronicle" in marker:
        if marker["next_chronicle"] is not None and now >= marker["next_chronicle"]:
            reasons.append("une chronique programmée arrive à sa date")
    else:
        # Built by a commit that does not say when its next chronicle is due: as before
        # the scheduled_chronicles plugin, assume one may be due each new day.
        paris = ZoneInfo("Europe/Paris")
        if datetime.fromtimestamp(current.built_at, paris).date() < datetime.fromtimestamp(now, paris).date():
            reasons.append("une nouvelle journée a commencé")
    if not reasons:
        say("les pages en ligne sont à jour.", stream)
        return None
    say(f"republication : {' et '.join(reasons)}.", stream)
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
        order = _rollback_order(webroot)
        if not order:
            raise DeployError("aucune version précédente n’est conservée.")
        previous = order[0]
        go_live(webroot, previous, "rollback")
    say(f"retour à la version {previous.commit[:12]} ({previous.name}).", stream)
    return previous


def receive(repo, webroot, lines, python=None, stream=None):
    """The post-receive hook: publish when main was updated; return the hook's exit status."""
    updates = [line.split() for line in lines if line.strip()]
    if not any(len(u) == 3 and u[2] == MAIN and u[1] != NULL_COMMIT for u in updates):
        return 0
    try:
        publish(repo, webroot, python=python, stream=stream)
    except DeployError as error:
        say(str(error), stream)
        # git ignores a post-receive hook's status (the push is done); non-zero still
        # tells a human reading the server's logs that this one failed.
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m publish.deploy", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    hook = commands.add_parser("receive", help="post-receive hook: reads 'old new ref' lines on stdin")
    hook.add_argument("--repo", required=True)
    hook.add_argument("--webroot", required=True)
    again = commands.add_parser("rebuild", help="build main again (new comments, dated chronicles)")
    again.add_argument("--repo", required=True)
    again.add_argument("--webroot", required=True)
    fresh = commands.add_parser("refresh", help="rebuild the live release if comments were moderated or a scheduled chronicle is due")
    fresh.add_argument("--repo", required=True)
    fresh.add_argument("--webroot", required=True)
    back = commands.add_parser("rollback", help="go back to the previous release")
    back.add_argument("--webroot", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "receive":
            return receive(Path(args.repo), Path(args.webroot), sys.stdin.read().splitlines())
        if args.command == "rebuild":
            publish(Path(args.repo), Path(args.webroot), rebuild=True)
        elif args.command == "refresh":
            refresh(Path(args.repo), Path(args.webroot))
        elif args.command == "rollback":
            rollback(Path(args.webroot))
    except DeployError as error:
        say(str(error), sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
