"""The live preview: build, serve on 127.0.0.1, rebuild and reload the browser on change, with comments."""

import logging

from publish.build import ROOT, BuildError, build

# The content cache turns a one-chronicle edit into a rebuild of that chronicle only.
PREVIEW_OVERRIDES = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
WATCHED = ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py")


def rebuild():
    """Build the preview; on failure keep serving the last good site and say why."""
    try:
        build(overrides=PREVIEW_OVERRIDES)
    except BuildError as error:
        print(f"\nBuild failed, still serving the previous version:\n{error}\n", flush=True)
        return False
    print("Site rebuilt.", flush=True)
    return True


def serve(host="127.0.0.1", port=8000, comments_port=8080):
    from livereload import Server

    from comments.dev import start as start_comments

    rebuild()
    comments = start_comments(port=comments_port)
    server = Server()
    # livereload turns on INFO logging for everything; Pelican's file-by-file chatter hides errors.
    logging.getLogger("pelican").setLevel(logging.WARNING)
    for pattern in WATCHED:
        server.watch(str(ROOT / pattern), rebuild)
    print(f"Preview on http://{host}:{port}/ — comments on http://{host}:{comments_port}/")
    try:
        server.serve(host=host, port=port, root=str(ROOT / "output"), open_url_delay=None)
    finally:
        comments.terminate()
        comments.wait(timeout=10)
