"""The reader caches kept between production builds: when each was last used, so the oldest can be pruned.

publishconf.py gives each version of the code and settings a folder of its own
(content-<digest> under ZOHE_CACHE_PATH); a successful build notes here that it used its
folder. The deployment asks `newest_first` which folders to keep, rather than reading
Pelican's own cache file names, which are its business.
"""

from pathlib import Path

PREFIX = "content-"
# Written by a build that succeeded with this cache: a failed build, which discards what
# it parsed, leaves the date of the last success.
USED = ".last-used"


def mark_used(cache_path):
    """Note that a build just used, and saved, the reader cache in `cache_path`."""
    stamp = Path(cache_path) / USED
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


def newest_first(base):
    """The reader cache folders under `base`, last used first; one no build ever marked comes last."""
    def last_used(folder):
        try:
            return (folder / USED).stat().st_mtime
        except OSError:
            return 0.0

    folders = [path for path in Path(base).glob(PREFIX + "*") if path.is_dir()]
    return sorted(folders, key=last_used, reverse=True)
