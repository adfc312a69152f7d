"""French typography's own share of a build, timed through Pelican's plugin and signal APIs.

Typography runs inside the build (on `content_object_init`, in the parent process), so
its time cannot be taken from outside. A `TypographyTimer` is given to a build as one
more entry of its `PLUGINS` setting (Pelican accepts plugin objects there): once every
plugin is registered (`initialized`), it disconnects the typography plugin's receiver
and connects a timed call of the same function in its place. Nothing of the plugin is
patched, and builds without the timer are untouched; `publish.build` disconnects every
receiver when the next build starts.
"""

import time

from blinker import ANY
from pelican import signals

from publish.build import load_settings


class TypographyTimer:
    """A Pelican plugin object; `seconds` and `calls` add up what the typography did."""

    def __init__(self):
        self.seconds = 0.0
        self.calls = 0

    def register(self):
        signals.initialized.connect(self._time_typography, weak=False)

    def _time_typography(self, pelican):
        from french_typography import french_typography

        fix_content = french_typography.fix_content
        signal = signals.content_object_init
        if fix_content not in list(signal.receivers_for(ANY)):
            raise RuntimeError("French typography is not connected to content_object_init: nothing to time")
        signal.disconnect(fix_content)

        def timed(instance):
            started = time.perf_counter()
            try:
                return fix_content(instance)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        signal.connect(timed, weak=False)

    def overrides(self, prod=False, overrides=None):
        """`overrides` for `publish.build.build` with this timer added to the site's plugins."""
        overrides = dict(overrides or {})
        plugins = load_settings(prod, overrides)["PLUGINS"]
        return {**overrides, "PLUGINS": [*plugins, self]}
