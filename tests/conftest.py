"""Fixtures shared by the whole suite: the real site built into a temporary folder, served on loopback."""

import os
import shutil

import pytest

from support import CHROMIUM, CHROMIUM_ARGS, ROOT, build, build_prod


@pytest.fixture
def content(tmp_path):
    """A private copy of the real content that a test may break."""
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    """The development build of the real content and theme (drafts shown, relative URLs)."""
    return build(prod=False, output=tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def prod_site(tmp_path_factory):
    """The production build of the real content, as published at PROD_SITEURL."""
    return build_prod(tmp_path_factory.mktemp("prod") / "output")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: Playwright's sync API allows one instance per process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_collection_modifyitems(items):
    """Mark `browser` every test that launches Chromium: all of them go through the fixture above."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_logreport(report):
    """In CI a skipped test is a missing test: remember it to fail the run."""
    if report.skipped and os.environ.get("CI") == "true":
        _skipped_in_ci.append(report.nodeid)


_skipped_in_ci = []


def pytest_sessionfinish(session, exitstatus):
    if _skipped_in_ci:
        print(f"\nCI=true and {len(_skipped_in_ci)} test(s) skipped: {', '.join(_skipped_in_ci)}")
        session.exitstatus = 1
