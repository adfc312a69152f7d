"""Building, checking and previewing the site: the code behind the invoke tasks.

plugins/ goes on sys.path here, once. Pelican finds the plugins themselves through
PLUGIN_PATHS (pelicanconf.py), but it does not put that folder on sys.path, and the
plugins import the modules beside them (built_site, scaffold, …) plainly, as the tasks
do. Every build goes through this package (publish.build.build is the one build
function: tasks, hook, benchmarks and tests call it), and Python runs a package's
__init__ before any of its modules, so the folder is there before any plugin loads.
"""

from pathlib import Path
import sys

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))
