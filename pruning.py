"""The one rule for "keep the N newest": releases, reader caches and comment backups all prune through it.

At the top of the tree, beside tasks.py, because two rooms need it and neither may import
the other: deploy/ prunes releases and reader caches, comments/ prunes its backups, and the
comment server's commands run from the application root as the deployment's do.
"""

import shutil
from pathlib import Path


def keep_first(ranked, keep, among=None):
    """Remove every path of `among` (by default `ranked` itself) but the first `keep` of `ranked`; return the removed ones.

    `ranked` lists paths most wanted first (newest, or nearest to what rollback needs) and
    may name one twice; `among` is everything the pruning may remove, leftovers included.
    A folder goes with everything in it, a file or symbolic link alone.
    """
    if keep < 0:
        raise ValueError(f"keep must be at least 0, not {keep}")
    kept = set()
    for path in ranked:
        if len(kept) >= keep:
            break
        kept.add(Path(path))
    candidates = dict.fromkeys(Path(path) for path in (ranked if among is None else among))
    removed = [path for path in candidates if path not in kept]
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return removed
