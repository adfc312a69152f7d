"""Debian's nginx on a loopback port with the shipped server block (deploy/nginx/zohe-site.conf), for the tests and the benchmark.

In bench/ beside gunicorn_server.py, for the same reason: the bot suite of the spam
benchmark runs through nginx as production does, the deployment tests too, and no room
imports tests/.
"""

import contextlib
import os
import pwd
import socket
import subprocess
import time

from deploy import releases
from publish.build import ROOT

NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
SITE_CONF = ROOT / "deploy" / "nginx" / "zohe-site.conf"
HTTP_CONF = ROOT / "deploy" / "nginx" / "zohe-http.conf"
# Where production keeps the project (deploy/nginx.conf), which zohe-http.conf names.
PRODUCTION_APP = "/srv/zohe/app/"


def nginx_conf(prefix, port, webroot, comments_port, redirects=None, site_conf=SITE_CONF):
    """A top-level nginx.conf around the shipped zohe-http.conf and zohe-site.conf, for one loopback port.

    zohe-http.conf is copied with its map file's path replaced: this project's (an empty
    map until an import), or `redirects`, a map an import wrote elsewhere. `site_conf` is
    the shipped server block unless a test gives a copy with one value changed (a timeout).
    """
    http_conf = prefix / "zohe-http.conf"
    redirects = redirects or ROOT / "deploy" / "nginx" / "wordpress-redirects.map"
    http_conf.write_text(HTTP_CONF.read_text(encoding="utf-8").replace(
        PRODUCTION_APP + "deploy/nginx/wordpress-redirects.map", str(redirects)), encoding="utf-8")
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""load_module {BROTLI_MODULE};
{user}daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    include {http_conf};
    upstream zohe_comments {{ server 127.0.0.1:{comments_port}; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {webroot / releases.CURRENT};
        include {site_conf};
    }}
}}
"""


@contextlib.contextmanager
def running_nginx(prefix, port, webroot, comments_port, redirects=None, site_conf=SITE_CONF):
    """Debian's nginx, as the current user, serving ``webroot``/current with the shipped configuration: yields its base URL."""
    (prefix / "temp").mkdir(parents=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(prefix, port, webroot, comments_port, redirects, site_conf))
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
