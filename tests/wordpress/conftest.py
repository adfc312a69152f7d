"""Every import in these tests, in process or through invoke, writes its comments into a database of its own test."""

import pytest


@pytest.fixture(autouse=True)
def comments_database(tmp_path, monkeypatch):
    """ZOHE_COMMENTS_DB in a temporary folder: never the working copy's var/comments.db."""
    path = tmp_path / "isso" / "comments.db"
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(path))
    return path
