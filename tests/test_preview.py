"""The live preview shows an edited document on its own first, exactly as the full build then renders it."""

import gc
import html
import shutil
import time
import weakref

import pytest

from support import ROOT
from publish.serve import Preview

CHRONICLE = "chroniques/la-juste-mesure.md"
PAGE = "chroniques/la-juste-mesure/index.html"


@pytest.fixture
def preview(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    preview = Preview(
        output=tmp_path / "output",
        overrides={
            "PATH": str(content),
            "CACHE_PATH": str(tmp_path / "cache"),
            "BAKED_COMMENTS": {"database": str(tmp_path / "no-comments.db")},
        },
    )
    assert preview.full_build()
    return preview, content, tmp_path / "output"


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_an_edited_chronicle_is_rendered_alone_then_identically_by_the_full_build(preview):
    preview, content, output = preview
    home_before = (output / "index.html").stat().st_mtime_ns
    _append(content / CHRONICLE, "Une phrase ajoutée dans l'aperçu ?")

    assert preview.render_edited([str(content / CHRONICLE)])

    alone = (output / PAGE).read_text(encoding="utf-8")
    # Typography ran on the edited text, as in a build.
    assert "Une phrase ajoutée dans l’aperçu\u202f?" in html.unescape(alone)
    assert (output / "index.html").stat().st_mtime_ns == home_before, "only the edited page is written"
    assert preview.full_build()
    assert (output / PAGE).read_text(encoding="utf-8") == alone


def test_an_edited_page_is_rendered_alone(preview):
    preview, content, output = preview
    page = content / "pages" / "notre-promesse.md"
    _append(page, "Un engagement de plus.")

    assert preview.render_edited([str(page)])
    assert "Un engagement de plus." in (output / "notre-promesse" / "index.html").read_text(encoding="utf-8")


def test_a_broken_edit_is_left_to_the_full_build_which_names_the_file(preview, capsys):
    preview, content, output = preview
    before = (output / PAGE).read_bytes()
    source = content / CHRONICLE
    source.write_text(
        "".join(line for line in source.read_text(encoding="utf-8").splitlines(True)
                if not line.startswith("Title:")),
        encoding="utf-8",
    )

    assert not preview.render_edited([str(source)])
    assert (output / PAGE).read_bytes() == before
    assert not preview.full_build()
    assert "content/chroniques/la-juste-mesure.md" in capsys.readouterr().out
    assert (output / PAGE).read_bytes() == before, "the last good preview is still served"


def test_an_edit_with_a_broken_link_is_not_shown_alone(preview, capsys):
    preview, content, output = preview
    before = (output / PAGE).read_bytes()
    _append(content / CHRONICLE, "Voir [une page absente]({filename}/pages/absente.md).")

    assert not preview.render_edited([str(content / CHRONICLE)])
    assert (output / PAGE).read_bytes() == before
    assert not preview.full_build()
    assert "absente.md" in capsys.readouterr().out


def test_a_warning_raised_by_the_page_alone_fails_the_full_build_too(preview, capsys):
    """Pelican logs a given warning once a process; the full build must still hear of it."""
    preview, content, output = preview
    _append(content / CHRONICLE, '![]({static}/images/la-juste-mesure.svg){: width="240" height="120" }')

    assert not preview.render_edited([str(content / CHRONICLE)])
    assert not preview.full_build()
    assert "n’a pas de texte de remplacement" in capsys.readouterr().out


@pytest.mark.parametrize("change", ["new file", "new address", "now a draft"])
def test_what_moves_a_document_waits_for_the_full_build(preview, change):
    preview, content, output = preview
    source = content / CHRONICLE
    text = source.read_text(encoding="utf-8")
    if change == "new file":
        source = content / "chroniques" / "nouvelle.md"
        source.write_text(text.replace("Slug: la-juste-mesure", "Slug: nouvelle"), encoding="utf-8")
    elif change == "new address":
        source.write_text(text.replace("Slug: la-juste-mesure", "Slug: la-juste-mesure-2"), encoding="utf-8")
    else:
        source.write_text(text.replace("\n\n", "\nStatus: draft\n\n", 1), encoding="utf-8")

    assert not preview.render_edited([str(source)])
    assert preview.full_build()


def _updates(preview, output, count, timeout=120):
    """Start the worker; return the edited page as served at each of its first `count` updates."""
    events = []
    preview.on_update = lambda: events.append((output / PAGE).read_text(encoding="utf-8"))
    preview.start()
    deadline = time.monotonic() + timeout
    while len(events) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    preview.stop()
    return events


def test_an_edit_is_shown_alone_then_built_once(preview):
    """The worker shows edited documents first and ends every burst of changes with one full build."""
    preview, content, output = preview
    builds = []
    full_build = preview.full_build
    preview.full_build = lambda shown_alone=(): builds.append(1) or full_build(shown_alone)

    _append(content / CHRONICLE, "Première retouche.")
    preview.changed([str(content / CHRONICLE)])
    events = _updates(preview, output, 2)

    assert len(events) == 2, "one update for the page alone, one for the full build"
    assert all("Première retouche." in page for page in events)
    assert builds == [1]


def _save_again_after_first(preview, content, step):
    """Wrap the worker's `step` (a Preview method): after its first call the author saves again.

    Returns the list of what each call of the step returned.
    """
    results = []
    original = getattr(preview, step)

    def then_saved_again(*args):
        result = original(*args)
        results.append(result)
        if len(results) == 1:
            _append(content / CHRONICLE, "Seconde retouche.")
            preview.changed([str(content / CHRONICLE)])
        return result

    setattr(preview, step, then_saved_again)
    return results


def test_a_save_during_a_full_build_is_shown_alone_then_built_again(preview):
    """The second save gets its own page-alone update and its own full build."""
    preview, content, output = preview
    builds = _save_again_after_first(preview, content, "full_build")
    _append(content / CHRONICLE, "Première retouche.")
    preview.changed([str(content / CHRONICLE)])
    events = _updates(preview, output, 4)

    assert len(events) == 4, "each save: the page alone, then the full build"
    assert ["Seconde retouche." in page for page in events] == [False, False, True, True]
    assert all("Première retouche." in page for page in events)
    assert builds == [True, True]


def test_warnings_of_the_web_server_thread_do_not_fail_a_build(preview):
    """The preview's server logs a warning for each 404 while the worker thread builds."""
    import logging
    import threading

    preview, content, output = preview
    stop = threading.Event()

    def answer_404s():
        # Each message its own: Pelican's loggers drop repeats of one message.
        for number in range(100_000):
            if stop.is_set():
                break
            logging.getLogger("tornado.access").warning("404 GET /absente-%d (127.0.0.1)", number)
            time.sleep(0.001)

    server = threading.Thread(target=answer_404s)
    server.start()
    try:
        _append(content / CHRONICLE, "Une retouche pendant qu’un navigateur cherche une page absente.")
        assert preview.render_edited([str(content / CHRONICLE)])
        assert preview.full_build()
    finally:
        stop.set()
        server.join()


def test_a_page_rendered_alone_is_listed_once_in_the_sitemap(preview):
    preview, content, output = preview
    _append(content / CHRONICLE, "Une retouche.")
    assert preview.render_edited([str(content / CHRONICLE)])
    assert preview.full_build()
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("chroniques/la-juste-mesure/</loc>") == 1


def test_builds_again_and_again_keep_only_the_last_builds_documents(preview):
    """The preview runs for hours in one process: a build's documents must not outlive the next."""
    preview, content, output = preview
    for sentence in ("Une retouche.", "Une autre."):
        before = [weakref.ref(document) for generator in preview.generators
                  for document in getattr(generator, "articles", ())]
        assert before
        _append(content / CHRONICLE, sentence)
        assert preview.full_build()
        gc.collect()
        assert [ref for ref in before if ref() is not None] == [], f"still alive after “{sentence}”"


def test_a_save_while_the_page_is_rendered_alone_is_shown_before_any_full_build(preview):
    """A save that comes while the edited page renders alone is shown alone too, then one full build runs."""
    preview, content, output = preview
    builds = []
    full_build = preview.full_build
    preview.full_build = lambda shown_alone=(): builds.append(1) or full_build(shown_alone)
    renders = _save_again_after_first(preview, content, "render_edited")
    _append(content / CHRONICLE, "Première retouche.")
    preview.changed([str(content / CHRONICLE)])
    events = _updates(preview, output, 3)

    assert len(events) == 3, "each save shown alone, then one full build"
    assert ["Seconde retouche." in page for page in events] == [False, True, True]
    assert renders == [True, True] and builds == [1]
