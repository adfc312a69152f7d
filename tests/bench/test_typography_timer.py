"""Typography's share of a build (bench/typography_timer.py): timed inside a real build, which it leaves the same."""

import pytest

from bench.typography_timer import TypographyTimer
from publish.build import BuildError, load_settings
from support import ROOT, build


def test_the_timer_times_every_document_and_the_typography_still_applies(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    timer = TypographyTimer()
    output = build(output=tmp_path / "out", overrides=timer.overrides())
    documents = list((ROOT / "content").rglob("*.md"))
    # Each document is made once (images too, which the typography leaves alone).
    assert timer.calls >= len(documents) and timer.seconds > 0
    page = (output / "chroniques" / "quelle-est-votre-promesse" / "index.html").read_text(encoding="utf-8")
    assert "promesse\u202f?" in page


def test_a_build_after_the_timed_one_is_not_timed(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    timer = TypographyTimer()
    build(output=tmp_path / "timed", overrides=timer.overrides())
    calls = timer.calls
    build(output=tmp_path / "plain")
    assert timer.calls == calls > 0


def test_a_build_without_the_typography_fails_rather_than_timing_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    plugins = [name for name in load_settings()["PLUGINS"] if name != "french_typography"]
    timer = TypographyTimer()
    with pytest.raises(BuildError, match="nothing to time"):
        build(output=tmp_path / "out", overrides=timer.overrides(overrides={"PLUGINS": plugins}))
