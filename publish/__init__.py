"""Building, checking and publishing the site: the code behind the invoke tasks."""

import importlib
from pathlib import Path
import sys

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


def plugin_module(name):
    """The main module of one of our Pelican plugins (`plugins/NAME/NAME.py`), for reuse outside a build."""
    if str(PLUGINS) not in sys.path:
        sys.path.insert(0, str(PLUGINS))
    return importlib.import_module(f"{name}.{name}")
