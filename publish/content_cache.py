"""The reader caches kept between builds: one folder per version of the code and settings, pruned by last use.

A parsed document keeps the settings it was read with (its tags' and author's URLs among
them), so a cache is valid only for the code and settings that wrote it. Rather than
deleting a cache when something may have changed, each version gets a folder of its own,
content-<digest>, named by Pelican's and Markdown's versions, the settings files, the
plugins and the values given: production (publishconf.py, under ZOHE_CACHE_PATH) and the
live preview (publish/serve.py) alike. A successful build marks the folder it used; the
deployment and the preview keep the KEEP last used, asking `newest_first` rather than
reading Pelican's own cache file names, which are its business.
"""

import glob
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "content-"
# The folder of the last build, and the one before, should a push or an edit go back.
KEEP = 2
# Written by a build that succeeded with this cache: a failed build, which discards what
# it parsed, leaves the date of the last success.
USED = ".last-used"


def folder(base, *values, root=ROOT):
    """The reader cache folder under `base` for this version of the code in `root` and for `values`."""
    import markdown
    import pelican

    key = hashlib.sha256(repr((pelican.__version__, markdown.__version__, *values)).encode())
    # A parsed document keeps the settings and the metadata keys it was read with.
    plugins = sorted(glob.glob("plugins/*.py", root_dir=root)) + sorted(glob.glob("plugins/*/*.py", root_dir=root))
    for source in ["pelicanconf.py", "publishconf.py", "metadata_keys.py", *plugins]:
        key.update(source.encode() + b"\0" + (Path(root) / source).read_bytes())
    return str(Path(base) / (PREFIX + key.hexdigest()[:16]))


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
