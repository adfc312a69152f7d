"""The fast build is the same build: its second process, caches and memos change no byte, and it stays strict."""

import logging
import os
import re

import pytest

from support import ROOT, build  # noqa: F401
from bench.corpus import make_content
from publish.build import BuildError

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    content = make_content(30, tmp_path_factory.mktemp("corpus") / "content")
    # A hidden chronicle: written, yet in no listing, feed or sitemap.
    (content / "chroniques" / "cachee.md").write_text(
        "Title: Une chronique cachée\nDate: 2024-05-02 10:00\nAuthor: Zôhé\n"
        "Summary: Lue par qui en a l’adresse.\nSlug: cachee\nStatus: hidden\n\nLe texte.\n",
        encoding="utf-8",
    )
    return content


def _files(folder):
    return {
        os.path.relpath(os.path.join(directory, name), folder): os.path.join(directory, name)
        for directory, _dirs, names in os.walk(folder)
        for name in names
    }


def _different_files(one, other):
    """The files of folder `one` whose bytes differ in folder `other`, which holds the same names."""
    one_files, other_files = _files(one), _files(other)
    assert sorted(one_files) == sorted(other_files)
    return [name for name, path in one_files.items()
            if open(path, "rb").read() != open(other_files[name], "rb").read()]


@pytest.mark.parametrize("prod", [False, True], ids=["preview", "production"])
def test_urls_computed_once_change_no_byte(corpus, tmp_path, prod, monkeypatch):
    import contextlib

    import pelican_internals

    monkeypatch.setenv("ZOHE_SITEURL", "https://zohe.example")
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    fast = build(prod=prod, output=tmp_path / "fast", overrides={"PATH": str(corpus)})
    with monkeypatch.context() as plain_pelican:
        plain_pelican.setattr(pelican_internals, "memoized_urls", contextlib.nullcontext)
        plain = build(prod=prod, output=tmp_path / "plain", overrides={"PATH": str(corpus)})
    assert len(_files(plain)) > 100
    assert _different_files(plain, fast) == []


@pytest.mark.parametrize("prod", [False, True], ids=["preview", "production"])
def test_pages_rendered_on_two_cores_are_byte_identical_to_one_process(corpus, tmp_path, prod, monkeypatch):
    monkeypatch.setenv("ZOHE_SITEURL", "https://zohe.example")
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    plain = build(prod=prod, output=tmp_path / "plain", overrides={"PATH": str(corpus), "PARALLEL_BUILD": False})
    shared = build(prod=prod, output=tmp_path / "shared", overrides={"PATH": str(corpus), "PARALLEL_BUILD": True})
    assert len(_files(plain)) > 100
    assert _different_files(plain, shared) == []


def warning_date(value, pattern="d MMMM y"):
    """A date filter that complains, so that each process that renders a page logs a warning."""
    logging.getLogger("test").warning("rendered in process %s", os.getpid())
    return str(value)


def test_a_warning_logged_while_another_process_renders_fails_the_build(corpus, tmp_path):
    from publish.build import load_settings

    filters = {**load_settings()["JINJA_FILTERS"], "date_fr": warning_date}
    with pytest.raises(BuildError) as failure:
        build(output=tmp_path / "out", overrides={"PATH": str(corpus), "JINJA_FILTERS": filters})
    pids = {pid for problem in failure.value.problems for pid in re.findall(r"rendered in process (\d+)", problem)}
    # The build's own renders and its child's both reached the build's collector, as the
    # build's other messages do (an unexpected one quoted in a French line, publish/messages.py).
    assert str(os.getpid()) in pids and len(pids) == 2
    assert not (tmp_path / "out").exists()


def failing_date(value, pattern="d MMMM y"):
    raise ValueError("date illisible")


def test_an_error_both_processes_meet_is_reported_once_as_by_one_process(corpus, tmp_path):
    from publish.build import load_settings

    filters = {**load_settings()["JINJA_FILTERS"], "date_fr": failing_date}
    problems = {}
    for parallel in (False, True):
        with pytest.raises(BuildError) as failure:
            build(output=tmp_path / "out", overrides={"PATH": str(corpus), "JINJA_FILTERS": filters,
                                                      "PARALLEL_BUILD": parallel})
        problems[parallel] = failure.value.problems
    assert problems[True] == problems[False] and len(problems[True]) == 1
    assert "«\u00a0date illisible\u00a0»" in problems[True][0]


def date_failing_in_this_process(value, pattern="d MMMM y"):
    if os.getpid() == date_failing_in_this_process.parent:
        raise ValueError("date illisible")
    logging.getLogger("test").warning("date douteuse")
    return str(value)


def test_the_childs_warning_keeps_its_words_when_the_build_itself_fails(corpus, tmp_path):
    from publish.build import load_settings

    date_failing_in_this_process.parent = os.getpid()
    filters = {**load_settings()["JINJA_FILTERS"], "date_fr": date_failing_in_this_process}
    with pytest.raises(BuildError) as failure:
        build(output=tmp_path / "out", overrides={"PATH": str(corpus), "JINJA_FILTERS": filters})
    problems = failure.value.problems
    assert len(problems) == 2 and any("«\u00a0date illisible\u00a0»" in p for p in problems)
    assert any("«\u00a0date douteuse\u00a0»" in p for p in problems)


def test_a_reading_warning_survives_the_cache(corpus, tmp_path):
    content = tmp_path / "content"
    import shutil

    shutil.copytree(corpus, content)
    (content / "chroniques" / "synthetique-00003.md").write_text(
        "Title: Sans date\nDate: pas une date\nAuthor: Zôhé\nSummary: Oui.\n\nTexte.\n", encoding="utf-8"
    )
    overrides = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache"), "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    for _attempt in range(2):  # the second build reads from the cache the first one left
        with pytest.raises(BuildError) as failure:
            build(output=tmp_path / "out", overrides=overrides)
        assert any("synthetique-00003" in problem or "pas une date" in problem for problem in failure.value.problems)


def test_a_production_build_from_the_kept_cache_is_byte_identical_to_a_cold_one(corpus, tmp_path, monkeypatch):
    """What the server's cache (ZOHE_CACHE_PATH) reuses, parsed Markdown and compressed copies, changes no byte."""
    import shutil

    from bench.corpus import edit

    monkeypatch.setenv("ZOHE_SITEURL", "https://zohe.example")
    monkeypatch.setenv("ZOHE_COMMENTS_DB", str(tmp_path / "none.db"))
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    overrides = {"PATH": str(content)}

    cold = build(prod=True, output=tmp_path / "cold", overrides=overrides)
    monkeypatch.setenv("ZOHE_CACHE_PATH", str(tmp_path / "kept"))
    build(prod=True, output=tmp_path / "first", overrides=overrides)
    warm = build(prod=True, output=tmp_path / "warm", overrides=overrides)
    assert _different_files(cold, warm) == []
    assert os.stat(warm / "index.html.br").st_nlink > 1, "the compressed copy came from the cache"
    assert list((tmp_path / "kept").glob("content-*/ArticlesGenerator-Readers"))

    # One chronicle edited, and the stylesheet's cached copy damaged: both are made again, right.
    edit(content / "chroniques" / "synthetique-00007.md", marker="Retouche")
    import hashlib

    stylesheet = next((warm / "theme" / "css").glob("*.css"))
    from precompression import RECIPE as recipe
    damaged = tmp_path / "kept" / "precompressed" / recipe / (hashlib.sha256(stylesheet.read_bytes()).hexdigest() + ".br")
    os.unlink(damaged)  # not through the hard links of earlier outputs
    damaged.write_bytes(b"not brotli")
    edited = build(prod=True, output=tmp_path / "edited", overrides=overrides)
    monkeypatch.delenv("ZOHE_CACHE_PATH")
    reference = build(prod=True, output=tmp_path / "reference", overrides=overrides)
    assert "Retouche" in (edited / "chroniques" / "synthetique-00007" / "index.html").read_text(encoding="utf-8")
    assert _different_files(reference, edited) == []


def test_the_kept_cache_has_a_folder_per_settings(monkeypatch, tmp_path):
    """Cached documents keep the settings they were read with: other settings, another folder."""
    from publish.build import load_settings

    monkeypatch.setenv("ZOHE_CACHE_PATH", str(tmp_path))
    monkeypatch.setenv("ZOHE_SITEURL", "https://zohe.example")
    first = load_settings(prod=True)["CACHE_PATH"]
    assert load_settings(prod=True)["CACHE_PATH"] == first
    assert first.startswith(str(tmp_path / "content-"))
    monkeypatch.setenv("ZOHE_SITEURL", "https://autre.example")
    assert load_settings(prod=True)["CACHE_PATH"] != first


def test_an_edited_template_is_compiled_again_although_compiled_templates_are_kept(corpus, tmp_path):
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    overrides = {"PATH": str(corpus), "THEME": str(theme), "CACHE_PATH": str(tmp_path / "cache"),
                 "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    page = "chroniques/synthetique-00001/index.html"
    first = build(output=tmp_path / "out", overrides=overrides)
    assert "Marque de test" not in (first / page).read_text(encoding="utf-8")
    assert any((tmp_path / "cache" / "templates").iterdir())  # compiled templates were kept
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<p>Marque de test</p></body>"), encoding="utf-8")
    second = build(output=tmp_path / "out", overrides=overrides)
    # Chronicles' pages, and every page of the paginated home listing.
    for name in (page, "chroniques/synthetique-00002/index.html", "index.html", "page/2/index.html"):
        assert "Marque de test" in (second / name).read_text(encoding="utf-8"), name


def test_a_reader_cache_written_gzipped_is_left_behind_rather_than_failing_the_build(corpus, tmp_path):
    """Settings that change how the cache is written get a folder of their own (publish/content_cache.py)."""
    from publish import content_cache
    from publish.serve import Preview

    overrides = {"PATH": str(corpus), "CACHE_PATH": str(tmp_path / "cache")}
    assert Preview(tmp_path / "out", overrides={**overrides, "GZIP_CACHE": True}).full_build()
    cached = sorted((tmp_path / "cache").glob("content-*/*Generator*"))
    assert cached and all(path.read_bytes()[:2] == b"\x1f\x8b" for path in cached)
    assert Preview(tmp_path / "out", overrides=overrides).full_build()  # GZIP_CACHE is off in pelicanconf.py
    plain = sorted(content_cache.newest_first(tmp_path / "cache")[0].glob("*Generator*"))
    assert plain and all(path.read_bytes()[:2] != b"\x1f\x8b" for path in plain)


def test_an_edit_of_the_settings_or_a_plugin_gets_a_reader_cache_of_its_own(tmp_path):
    """What the live preview used to forget by hand when a .py file changed, the folder's name now says."""
    import shutil

    from publish import content_cache

    for source in ["pelicanconf.py", "publishconf.py", "metadata_keys.py", "plugins/zohe_checks/zohe_checks.py",
                   "plugins/pelican_internals/two_cores.py"]:
        (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / source, tmp_path / source)
    first = content_cache.folder("cache", root=tmp_path)
    assert content_cache.folder("cache", root=tmp_path) == first
    assert content_cache.folder("cache", "https://autre.example", root=tmp_path) != first
    for source in ["pelicanconf.py", "plugins/zohe_checks/zohe_checks.py", "plugins/pelican_internals/two_cores.py"]:
        (tmp_path / source).write_text((tmp_path / source).read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        edited = content_cache.folder("cache", root=tmp_path)
        assert edited != first and edited.startswith("cache/" + content_cache.PREFIX), source
        first = edited