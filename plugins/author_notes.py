"""The logger through which the build tells authors something that does not fail it (when a scheduled chronicle goes out).

A build fails on anything logged at warning level (publish/build.py), and Pelican's own
information lines are not for authors. Lines logged at INFO on this logger are handed to
the caller of `build()` as notes, which `invoke build` and `invoke check` print (so does a
push, through the hook's `invoke build`).
"""

import logging

logger = logging.getLogger("zohe.notes")
# Its lines must be made whatever the root logger's level (WARNING unless configured).
logger.setLevel(logging.INFO)
