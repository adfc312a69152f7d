"""The live preview's wait: seconds from saving a chronicle to its new text served by `invoke serve`, and to the full build's end."""

import http.client
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from bench import corpus
from publish.build import ROOT


def preview_wait(content, output, edited, timeout=60.0):
    """Seconds from saving `edited` to its new text served by `invoke serve`, and to the full build's end."""
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    code = (f"from publish.serve import serve; serve(port={ports[0]}, comments_port={ports[1]}, "
            f"content={str(content)!r}, output={str(output)!r})")
    env = dict(os.environ)
    env.pop("ISSO_ADMIN_PASSWORD", None)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def wait_for(text, deadline):
        while time.monotonic() < deadline:
            try:
                if text in lines.get(timeout=0.05):
                    return time.monotonic()
            except queue.Empty:
                if process.poll() is not None:
                    break
        raise RuntimeError(f"the preview never printed {text!r}")

    try:
        wait_for("Aperçu sur", time.monotonic() + 600)
        time.sleep(1.0)  # the watcher takes its first look at the files
        url = f"http://127.0.0.1:{ports[0]}/chroniques/{edited.stem}/"
        marker = f"Aperçu{int(time.time())}"
        corpus.edit(edited, marker=marker)
        saved = time.monotonic()
        deadline = saved + timeout
        visible = None
        dropped = 0
        while visible is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if marker in response.read().decode("utf-8"):
                        visible = time.monotonic() - saved
                        break
            except (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionResetError):
                # livereload's file handler stats a page, then opens it: a page replaced in
                # between ends that request. Counted, and asked again (the browser reloads
                # only once the page is in place).
                dropped += 1
                if dropped > 20:
                    raise
            except (OSError, http.client.HTTPException) as error:
                raise RuntimeError(f"the preview did not serve {url}: {error}") from error
            time.sleep(0.005)
        rebuilt = wait_for("Site reconstruit.", deadline) - saved
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"preview_visible": visible, "preview_full_after_save": rebuilt, "preview_dropped": dropped}
