"""Baked comments in Chromium: read without JavaScript; with it, our script writes the thread again from a real comment server (another origin, as in the preview) without flash, duplicate or shift."""

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from bench.gunicorn_server import Gunicorn, write_config
from support import ROOT, free_port, make_isso_database, serve_directory

CHRONICLE = "/chroniques/la-juste-mesure/"
APPROVED = {"isso-1": "Pauline", "isso-2": "Jean", "isso-5": "Orphelin", "isso-6": '<b onmouseover="alert(1)">Hacker</b>'}
NEVER_SHOWN = ["En attente de modération", "Ce message sera supprimé"]

# Recorded from the first frame: layout shifts, and what each painted frame shows of the thread.
WATCH = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({value: entry.value, sources: entry.sources.map(s => s.node && (s.node.id || s.node.className))});
  }
}).observe({type: "layout-shift", buffered: true});
window.__frames = [];
(function frame() {
  const thread = document.getElementById("isso-thread");
  // From the end of parsing, when the deferred script may first act: a frame while a slow
  // machine is still parsing the thread shows its comments not yet read, not a flash.
  if (thread && document.readyState !== "loading") {
    const authors = [...thread.querySelectorAll(".isso-comment .isso-author")]
      .filter(a => a.offsetParent !== null && !a.closest(".isso-preview")).map(a => a.textContent);
    window.__frames.push(authors.join("|"));
  }
  requestAnimationFrame(frame);
})();
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The site built with comments baked from a database that a real comment server serves."""
    base = tmp_path_factory.mktemp("baked-live")
    site_port, server_port = free_port(), free_port()
    origin = f"http://127.0.0.1:{site_port}"
    # Isso's [general] host is the site's origin: CORS and writes are allowed from it only.
    config = write_config(base, server_port, general={"host": origin})
    make_isso_database(base / "comments.db")
    server_url = f"http://127.0.0.1:{server_port}"
    # A production build, as published, at the origin the test serves it from. In a process
    # of its own: Pelican's plugins stay connected to its signals for the rest of a process,
    # and production's (image_process) would then break later development builds.
    output = base / "output"
    env = {**os.environ, "ZOHE_SITEURL": origin, "ZOHE_COMMENTS_URL": server_url, "ZOHE_COMMENTS_DB": str(base / "comments.db")}
    subprocess.run(
        [sys.executable, "-c", f"from publish.build import build; build(prod=True, output={str(output)!r})"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    server_env = {"ZOHE_ENV": "development", "ISSO_ADMIN_PASSWORD": "baked-discussion-password"}
    with Gunicorn(base, server_port, config, workers=1, env=server_env), \
            serve_directory(output, site_port) as site:
        assert site == origin
        yield site, server_url


def _open(browser, site, server_url, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="fr-FR", reduced_motion="reduce", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.asked = []
    page.errors = []
    page.on("request", lambda request: page.asked.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(WATCH)
    return context, page


def _authors(page):
    return page.locator("#isso-thread .isso-comment .isso-author").all_inner_texts()


def test_without_javascript_the_approved_comments_show_once(browser, live, axe_script):
    site, server_url = live
    context, page = _open(browser, site, server_url, java_script_enabled=False)
    page.goto(site + CHRONICLE + "#discussion")
    for anchor, author in APPROVED.items():
        comment = page.locator(f"[id='{anchor}']")
        assert comment.count() == 1 and comment.is_visible()
        assert comment.locator(":scope > .isso-text-wrapper .isso-author").inner_text() == author
    assert _authors(page) == ["Pauline", "Jean", "Anonyme", "Orphelin", APPROVED["isso-6"]]
    text = page.locator("#discussion").inner_text()
    assert all(hidden not in text for hidden in NEVER_SHOWN)
    assert page.locator(".discussion__count").inner_text().lower() == "4 réponses"
    assert page.locator("form#discussion-formulaire").is_visible()
    assert page.locator(".discussion__feed a").inner_text() == "Suivre les réponses (Atom)"
    # A permalink leads to its comment.
    page.locator("[id='isso-2'] .isso-permalink").click()
    assert urlsplit(page.url).fragment == "isso-2"
    assert not any(url.startswith(server_url) for url in page.asked), page.asked
    context.close()

    # axe needs scripts to run: the same page, whose comment server answers nothing.
    context, page = _open(browser, site, server_url)
    page.route(server_url + "/**", lambda route: route.abort())
    page.goto(site + CHRONICLE)
    page.add_script_tag(path=axe_script)
    results = page.evaluate("() => axe.run('#discussion')")
    assert [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")] == []
    # Without its server, the page keeps its baked comments, once.
    assert _authors(page) == ["Pauline", "Jean", "Anonyme", "Orphelin", APPROVED["isso-6"]]
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_script_takes_over_without_flash_duplicate_or_shift(browser, live, axe_script, width):
    site, server_url = live
    context, page = _open(browser, site, server_url, java_script_enabled=False)
    page.goto(site + CHRONICLE)
    baked = page.locator("#isso-root").inner_html()
    context.close()

    context, page = _open(browser, site, server_url)
    page.set_viewport_size({"width": width, "height": 1600})
    # Mark the baked comments: the script's own carry no mark.
    page.add_init_script("""document.addEventListener("DOMContentLoaded", () => {
      for (const c of document.querySelectorAll("#isso-root .isso-comment")) c.dataset.baked = "";
    });""")
    with page.expect_response(lambda r: r.url.startswith(server_url + "/?uri=")) as answer:
        page.goto(site + CHRONICLE + "#discussion")
    assert answer.value.status == 200
    page.wait_for_function("() => !document.querySelector('#isso-root [data-baked]')")
    page.wait_for_timeout(500)

    # The thread from the server, each comment once, in exactly the baked markup and words.
    assert page.locator("#isso-root").inner_html() == baked
    for anchor, author in APPROVED.items():
        comment = page.locator(f"[id='{anchor}']")
        assert comment.count() == 1
        assert comment.locator(":scope > .isso-text-wrapper .isso-author").inner_text() == author
    assert page.locator("[id='isso-1'] > .isso-follow-up > [id='isso-2']").count() == 1
    text = page.locator("#discussion").inner_text()
    assert all(hidden not in text for hidden in NEVER_SHOWN)
    assert page.locator(".discussion__count").inner_text().lower() == "4 réponses"
    assert page.locator("#discussion-formulaire").is_visible()

    # Every painted frame showed the thread whole, once: never empty, never doubled.
    frames = page.evaluate("window.__frames")
    thread = "|".join(["Pauline", "Jean", "Anonyme", "Orphelin", APPROVED["isso-6"]])
    assert set(frames) == {thread}, set(frames)
    shifts = page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) < 0.001, shifts
    assert page.errors == []

    page.add_script_tag(path=axe_script)
    results = page.evaluate("() => axe.run('#discussion')")
    assert [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")] == []
    context.close()


def test_listing_pages_ask_the_comment_server_nothing(browser, live):
    site, server_url = live
    context, page = _open(browser, site, server_url)
    for path in ("/", "/categories/les-chroniques-de-zohe/", "/archives/"):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        assert page.locator(f"a[href$='{CHRONICLE}#discussion']").first.inner_text().startswith("4 réponses")
    assert not any(url.startswith(server_url) for url in page.asked), page.asked
    context.close()
