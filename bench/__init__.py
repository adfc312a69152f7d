"""Measurement, for the team: what each user waits for, and what each page weighs.

`invoke bench` (`bench.report.run`) runs every benchmark and writes BENCHMARKS.md. Where a
change goes:

- `corpus.py`: the synthetic chronicles every build figure is measured on (tests use them too);
- `weight.py`: a page's weight as a browser pays it, and the budgets the tests assert;
- `site_build.py`: production and preview builds of the corpus, one child process per size;
- `preview_wait.py`: from saving a chronicle to its new text served by `invoke serve`;
- `typography_timer.py`: French typography's own share of a build;
- `comparisons.py`: Hugo on the same corpus, and Pagefind alone on our pages;
- `pages.py`: the real site's page weights, by page type;
- `comment_server.py`: thread reads and counts, ours against stock Isso;
- `gunicorn_server.py`: a throwaway comment server under gunicorn (the tests start theirs with it);
- `nginx_server.py`: Debian's nginx with the shipped server block (the deployment tests use it too);
- `spam_defences.py`: the bot suite and readers in Chromium against the production-like site
  (`bot_site.py`), with `bots.py` (the five kinds of robots), `spam_texts.py` (what they write),
  `readers.py` (honest readers, and Chromium's path and flags) and `server_sockets.py` (the
  comment server's remote addresses, from /proc); tests/deploy/test_bots.py runs it smaller;
- `wordpress_import.py`: `invoke import.wordpress` on an export of 1,000 posts and 10,000
  comments it writes, run twice, then the strict build of what it imported;
- `lighthouse.py`: Lighthouse's four scores of four pages behind nginx, mobile and desktop (npm's
  Lighthouse pinned in `npm/`, installed on demand);
- `report.py`: BENCHMARKS.md's text, and `run`;
- `hugo/`: the Hugo layout built beside ours.
"""

# The plugins' shared modules (built_site, pagefind_bundle, approved_comments…) sit in plugins/,
# which importing publish puts on sys.path.
from pathlib import Path

import publish  # noqa: F401

# Figures from one run are compared with each other as ratios (these machines are shared
# and noisy); absolute numbers are reported for the record only.
BENCH_SITEURL = "https://zohe.example"
# Corpus sizes of the build benchmark; Hugo builds the 1,000-chronicle one beside ours.
DEFAULT_SIZES = (100, 1000, 5000)
COMPARED_SIZE = 1000
# Runs of each repeatable build figure at that size (ours and Hugo's); the fastest is reported.
BEST_OF = 3
HUGO_SITE = Path(__file__).resolve().parent / "hugo"
