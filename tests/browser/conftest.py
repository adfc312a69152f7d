"""Fixtures for the browser tests: the development site served on loopback, watched pages, axe-core."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import serve_directory

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = next((ROOT / ".venv").glob("lib/python*/site-packages/axe_playwright_python/axe.min.js"), None)


@pytest.fixture(scope="session")
def comments_url():
    """Where the pages look for the comment server (not running in these tests)."""
    from publish.build import load_settings

    return load_settings()["COMMENTS_URL"]


@pytest.fixture(scope="session")
def site(request, dev_site):
    """Base URL of the development build, served with its 404 page on 127.0.0.1."""
    with serve_directory(dev_site) as base_url:
        yield base_url


class Watched:
    """A page whose requests and console errors are recorded, with the comment server blocked."""

    def __init__(self, page, comments_url):
        self.page = page
        self.comments_url = comments_url
        self.requests = []
        self.errors = []
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        # The comment server is not running here: refuse its script at once.
        page.route(comments_url + "/**", lambda route: route.abort())

    def _console(self, message):
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        # The one expected failure: the blocked comment script.
        if source.startswith(self.comments_url) or self.comments_url in message.text:
            return
        self.errors.append(f"{message.text} ({source})")

    def foreign_requests(self):
        """Requests to any host but the loopback address."""
        return [url for url in self.requests if urlsplit(url).hostname != "127.0.0.1"]

    def screenshot(self, name, locator=None):
        """Keep a screenshot (of the full page, or of one element) in test-artifacts/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "-", name) + ".png")
        if locator is None:
            self.page.screenshot(path=str(path), full_page=True)
        else:
            locator.screenshot(path=str(path))
        return path


@pytest.fixture
def open_page(browser, comments_url):
    """open_page(width=1280, scheme="light", **context options) -> Watched page."""
    contexts = []

    def open_(width=1280, height=900, scheme="light", **options):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            locale="fr-FR",
            **options,
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        return Watched(context.new_page(), comments_url)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_script():
    assert AXE is not None and AXE.is_file(), "axe.min.js not found in axe_playwright_python"
    return str(AXE)
