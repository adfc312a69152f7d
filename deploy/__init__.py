"""Publishing by `git push`: the hook, the releases it builds, the atomic switch of `current`, rollback.

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
limit (deploy/build_run.py), which names the file it was reading.

Where a change goes: what deploy.env may say, deploy/settings.py; what a release is,
which went live and which are kept, deploy/releases.py; building one, deploy/build_run.py;
when the live pages are out of date, deploy/freshness.py; publish, refresh and rollback
under the lock, deploy/publishing.py; the git hook, deploy/hook.py; the one command line
(`invoke deploy.*`, which the hook and the systemd timer call too), deploy/tasks.py.
nginx/ and systemd/ hold the server's configuration, the comment server's units among it.
"""

# The plugins' shared modules (built_site, pagefind_bundle, approved_comments…) sit in plugins/,
# which importing publish puts on sys.path.
import publish  # noqa: F401


