"""Runs the comment server for the live preview on 127.0.0.1, with the development configuration.

``python -m publish.preview_comments [--port 8080]`` serves it in the foreground; ``invoke
serve`` starts it beside the preview (`start`). It belongs with the preview, not in comments/
(what production runs): it is the one server allowed the development admin password.

The comment server's modules are imported in the child only: they import Isso, whose
``__init__`` calls ``logging.basicConfig(level=INFO)``, and in the preview's own process that
root handler printed every line of livereload and Tornado a second time (they have their own).
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request

from publish.build import ROOT

DEFAULT_PORT = 8080


def serve(port=DEFAULT_PORT, host="127.0.0.1"):
    """Serve in the foreground with Werkzeug (what ``python -m publish.preview_comments`` does).

    The preview is the one server allowed the development admin password when
    ``ISSO_ADMIN_PASSWORD`` is unset.
    """
    from werkzeug.serving import run_simple

    from comments import settings
    from comments.wsgi import create_app

    # The preview's own key for the form's tokens (comments.settings.form_secret), like its password.
    os.environ.setdefault("ZOHE_FORM_SECRET", settings.DEV_FORM_SECRET)
    run_simple(host, port, create_app(settings.load(preview=True)), threaded=True)


def start(port=DEFAULT_PORT, env=None, wait=10.0, site=None, site_root=None):
    """Start the server in a child process and return it once it answers (``invoke serve`` calls this).

    ``site`` is the preview's origin (``http://127.0.0.1:8000``), the one origin allowed
    to post; None keeps the configuration's ``[general] host``, which is that address.
    ``site_root``, the preview's output, lists the discussions it takes comments for
    (comments.discussions), as the published site does in production.
    The caller stops it with ``process.terminate()``.
    """
    environ = dict(os.environ if env is None else env)
    # Through the environment overrides every server reads (comments.settings).
    if site:
        environ["ZOHE_SITEURL"] = site
    if site_root:
        environ["ZOHE_SITE_ROOT"] = str(site_root)
    process = subprocess.Popen(
        [sys.executable, "-m", "publish.preview_comments", "--port", str(port)],
        cwd=ROOT,
        env=environ,
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the comment server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the comment server did not answer on port {port} within {wait} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m publish.preview_comments", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve(parser.parse_args().port)
