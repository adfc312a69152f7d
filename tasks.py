"""The one entry point for people: build, preview, check, test and publish the Zôhé site."""

from pathlib import Path
import sys

from invoke import Collection, Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

CONFIG = {
    "host": "127.0.0.1",
    "port": 8000,
    "comments_port": 8080,
}


def _build_or_exit(**kwargs):
    from publish.build import BuildError, build as run_build

    notes = []
    try:
        target = run_build(notes=notes, **kwargs)
    except BuildError as error:
        raise Exit(f"La construction a échoué\u00a0:\n{error}", code=1)
    for note in notes:  # for authors: when each scheduled chronicle goes out
        print(note)
    return target


@task
def build(c, prod=False, output=None):
    """Build the site (development by default, --prod for production)."""
    target = _build_or_exit(prod=prod, output=output)
    print(f"Site {'de production' if prod else 'de développement'} construit dans {target}")


@task
def check(c):
    """Run the strict production build into a scratch folder; fail naming the file."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="zohe-check-") as scratch:
        _build_or_exit(prod=True, output=Path(scratch) / "output")
    print("Toutes les vérifications sont passées.")


@task
def serve(c, port=CONFIG["port"], comments_port=CONFIG["comments_port"]):
    """Preview at http://127.0.0.1:8000, rebuilding and reloading on change, with comments."""
    from publish.serve import serve as run_preview

    run_preview(host=CONFIG["host"], port=int(port), comments_port=int(comments_port))


@task
def new(c, title):
    """Scaffold a chronicle dated today, as a draft, with all required metadata."""
    from publish.new import ChronicleExists, TitleWithoutSlug, new_chronicle

    try:
        path = new_chronicle(title)
    except (ChronicleExists, TitleWithoutSlug) as error:
        raise Exit(f"Chronique non créée\u00a0: {error}", code=1)
    print(f"{path.relative_to(ROOT)} créée.")


@task
def test(c, browser=True):
    """Run every test (--no-browser leaves out those that launch Chromium)."""
    # By marker, not by folder: Chromium also runs in tests outside tests/browser (search).
    args = "" if browser else ' -m "not browser"'
    c.run(f"{sys.executable} -m pytest{args}", pty=False)


@task
def bench(c, duration=5.0, sizes="100,1000,5000"):
    """Measure builds (against Hugo), page weights, the comment server and Lighthouse scores; write BENCHMARKS.md."""
    from bench.report import run

    print(run(duration=float(duration), sizes=tuple(int(n) for n in sizes.split(","))))


@task
def accessibility(c):
    """Run axe-core on every page type, light and dark, with and without JavaScript; rewrite the statement's figures."""
    import publish  # noqa: F401 (puts plugins/ on sys.path)
    import accessibility_figures

    c.run(f"{sys.executable} -m pytest -q -p no:cacheprovider {ROOT / accessibility_figures.SWEEP}",
          env={accessibility_figures.WRITE: "1"}, pty=False)
    print(f"Chiffres écrits dans {accessibility_figures.PATH.relative_to(ROOT)}\u00a0: relisez-les et commitez-les.")


@task
def clean(c):
    """Remove generated output and caches."""
    import shutil

    for name in ("output", "cache", "test-artifacts"):
        shutil.rmtree(ROOT / name, ignore_errors=True)


from comments import tasks as comments_tasks  # noqa: E402
from deploy import tasks as deploy_tasks  # noqa: E402
from wordpress import tasks as import_tasks  # noqa: E402

ns = Collection(build, check, serve, new, test, bench, accessibility, clean)
ns.add_collection(Collection.from_module(comments_tasks), name="comments")
ns.add_collection(Collection.from_module(deploy_tasks), name="deploy")
ns.add_collection(Collection.from_module(import_tasks), name="import")
