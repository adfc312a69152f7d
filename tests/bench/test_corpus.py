"""The synthetic corpus of the build benchmark (bench/corpus.py): the same bytes every time, and French enough to exercise the build."""

from bench.corpus import generate


def test_the_corpus_is_deterministic_and_french(tmp_path):
    first = generate(5, tmp_path / "a")
    second = generate(5, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    texts = [path.read_text(encoding="utf-8") for path in first]
    for text in texts:
        body = text.split("\n\n", 1)[1]
        words = [w for w in body.split() if any(c.isalpha() for c in w)]
        assert 800 <= len(words) <= 1200
    for mark in ("\n## ", "\n- ", "\n> ", "« ", "]({filename}/chroniques/", "](https://"):
        assert any(mark in text for text in texts), mark
