"""The spam defences measured: the bot suite (bench.bots) and honest readers in Chromium (bench.readers) against the site as production runs it (bench.bot_site), while the comment server's sockets are watched (bench.server_sockets).

A site that has run for a day has moderators' decisions behind it, and the learned score
is one of the defences: ``first_day`` sends a first, smaller wave of every kind of robot
(another seed, so other texts) with a few earlier readers' comments, and the moderators
decide with the real commands, as they would from their mail and `invoke comments.spam`:
each reader's comment approved, every robot's deleted. The measured run follows. Posts
held by the learned score alone are counted apart (``learned_only``), so the figures say
what the rules did without it.

Run: ``.venv/bin/python -m bench.spam_defences`` (this section alone, written into
BENCHMARKS.md in its place), or ``invoke bench`` (every section). tests/deploy/test_bots.py
runs the same ``measure`` with fewer posts and asserts what the figures must say.
"""

import argparse
from collections import Counter
import tempfile
import threading
import time
from dataclasses import dataclass

from bench import bot_site, bots, readers, spam_texts
from comments import moderation, settings
from comments.spam import held

# As `invoke bench` runs it: production's "too fast" (5 s), the patient robots reading 6 s.
PER_KIND = 200
READERS_PER_MODE = 3
READ_SECONDS = 6.0
# At most 8 posts per chronicle in a run of 5 kinds: under the burst of 10 (comments/isso.cfg).
POSTS_PER_CHRONICLE = 8


def first_day(site, threads, read_seconds, per_kind, addresses, deadline, workers):
    """The earlier wave and the moderators' decisions on it; returns ``{"ham": approved, "spam": deleted, "answers": Counter of statuses}``."""
    earlier = [("reader", n, spam_texts.Spam("reader", "Lectrice", f"lectrice.avant.{n}@example.org", "", text))
               for n, text in enumerate(readers.EARLIER)]
    robots = bots.Bots(site.base, threads, read_seconds, seed=bots.FIRST_DAY_SEED, addresses=addresses)
    posts = robots.run(per_kind, deadline, workers, extra=earlier)
    honest = {post.email for post in posts if post.kind == "reader"}
    site.wait_for_mail()
    conf = settings.load(path=site.config, environ={}, create_folder=False)
    decided = {"ham": 0, "spam": 0, "answers": Counter(post.status for post in posts)}
    db = moderation.open_db(conf)
    for item in moderation.pending(conf):
        if item.email in honest:
            moderation.approve(conf, item.id, db)
            decided["ham"] += 1
        else:
            moderation.delete(conf, item.id, db)
            decided["spam"] += 1
    wrongly_held = [item.id for item in held.listing(conf) if item.email in honest]
    decided["ham"] += len(held.approve(conf, wrongly_held))
    decided["spam"] += len(held.delete(conf))
    return decided


@dataclass
class Figures:
    kinds: dict  # bench.bot_site.tally's
    readers: list  # bench.readers.Reader, with ``outcome`` set
    reader_outcomes: dict  # {email: outcome}
    remotes_outside: list  # non-loopback addresses the server talked to
    sockets_seen: int
    samples: int
    seconds: float
    chronicles: int
    read_seconds: float
    first_day: dict  # {"ham": n, "spam": n} decided before the run


def measure(directory, browser, per_kind=PER_KIND, readers_per_mode=READERS_PER_MODE, read_seconds=READ_SECONDS,
            min_seconds=None, deadline=600.0, workers=32):
    """Every kind's ``per_kind`` posts, and the readers' comments at the same time; returns Figures."""
    from bench.server_sockets import Watch

    chronicles = max(2, -(-per_kind * len(bots.KINDS) // POSTS_PER_CHRONICLE))
    with bot_site.production_site(directory, chronicles=chronicles, min_seconds=min_seconds) as site:
        # The readers on their own chronicle: a wave of 8 robot posts on theirs would not hold them,
        # but they need not share the robots' luck either.
        reader_threads, bot_threads = site.threads[:1], site.threads[1:]
        addresses = bots.Addresses()
        started = time.monotonic()
        with Watch(site.server.process.pid) as watch:
            decided = first_day(site, bot_threads, read_seconds, max(1, per_kind // 4), addresses, deadline, workers)
            robots = bots.Bots(site.base, bot_threads, read_seconds, addresses=addresses)
            sent = []
            worker = threading.Thread(target=lambda: sent.extend(robots.run(per_kind, deadline, workers)))
            worker.start()
            try:
                people = readers.readers(browser, site.base, reader_threads, readers_per_mode, read_seconds)
            finally:
                worker.join(deadline + 60)
            seconds = time.monotonic() - started
            kinds = bot_site.tally(site, sent)
            reader_outcomes, _ = site.outcomes([reader.email for reader in people])
        return Figures(kinds, people, reader_outcomes, watch.outside(), len(watch.sockets), watch.samples,
                       seconds, len(site.threads), read_seconds, decided)


def launch(playwright):
    """Debian's Chromium, headless, kept off the network (bench.readers.CHROMIUM_ARGS)."""
    return playwright.chromium.launch(executable_path=readers.CHROMIUM, headless=True, args=readers.CHROMIUM_ARGS)


def run(per_kind=PER_KIND, readers_per_mode=READERS_PER_MODE):
    """``measure`` in a scratch folder with its own Chromium, as `invoke bench` runs it."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="zohe-bench-bots-") as directory, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return measure(directory, browser, per_kind, readers_per_mode)
        finally:
            browser.close()


def main():
    from bench import report

    parser = argparse.ArgumentParser(prog="python -m bench.spam_defences", description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=PER_KIND, help="posts of each kind of robot")
    parser.add_argument("--readers", type=int, default=READERS_PER_MODE, help="readers with JavaScript, and without")
    args = parser.parse_args()
    figures = run(args.per_kind, args.readers)
    print(report.write_section(report.spam_report(figures, args.per_kind, args.readers)))


if __name__ == "__main__":
    main()
