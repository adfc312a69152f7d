"""The WordPress import's benchmark (bench/wordpress_import.py): its export is a real one for the importer, and its figures say what happened."""

from collections import Counter

from bench import wordpress_import
from wordpress.export import read_export


def test_the_export_is_deterministic_and_holds_what_it_says(tmp_path):
    first = wordpress_import.write_export(tmp_path / "a.xml", posts=12, comments=150)
    second = wordpress_import.write_export(tmp_path / "b.xml", posts=12, comments=150)
    assert first.read_bytes() == second.read_bytes()
    export = read_export(first)
    posts = [item for item in export.items if item.type == "post"]
    assert len(posts) == 12
    comments = [comment for post in posts for comment in post.comments]
    assert len(comments) == 150
    kinds = Counter(comment.approved if comment.type in ("", "comment") else comment.type for comment in comments)
    assert kinds["1"] > kinds["0"] > 0 and kinds["spam"] > 0
    assert any(comment.parent not in ("", "0") for comment in comments)
    assert any(f"{wordpress_import.OLD_SITE}/chronique-importee-" in post.content for post in posts[1:])


def test_each_step_reports_its_own_figures(tmp_path, monkeypatch):
    """The first import stores the comments, the second changes nothing, and the section says both."""
    monkeypatch.setenv("ZOHE_SITEURL", "https://zohe.example")  # the step sets it: restored after
    (tmp_path / "content").mkdir()
    wordpress_import.write_export(tmp_path / "export.xml", posts=3, comments=30)
    first = wordpress_import.child("first", tmp_path)
    second = wordpress_import.child("second", tmp_path)
    assert first["imported"] == 3 and not first["unchanged"]
    assert 0 < first["published"] <= first["comments"] < 30
    assert second["unchanged"] and second["comments"] == first["comments"]
    figures = {"posts": 3, "comments_in_export": 30, "export_mb": 0.1, "first": first, "second": second,
               "build": {"seconds": 2.0, "max_rss_mb": 80, "pages": 10}}
    text = wordpress_import.section(figures)
    assert text.startswith(wordpress_import.HEADING) and "| nothing changed |" in text
