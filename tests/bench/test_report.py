"""BENCHMARKS.md's build section shows what the second process gains, from figures of one run."""

import support  # noqa: F401  (imports publish, which puts plugins/ on sys.path)

from bench import COMPARED_SIZE
from bench.report import build_report


def test_the_build_section_compares_one_process_with_two_for_a_push_and_a_preview_edit():
    figures = {
        "size": COMPARED_SIZE, "production": 40.0, "production_pages": 2251, "max_rss_mb": 240.0, "typography": 1.0,
        "production_filling_cache": 41.0, "production_warm": 6.0,
        "production_warm_one_edit": 8.0, "production_warm_one_edit_one_process": 11.0,
        "pagefind_alone": {"fresh": 4.0, "seeded": 3.0},
        "preview_cold": 20.0, "preview_unchanged": 5.0,
        "preview_one_edit": 5.0, "preview_one_edit_one_process": 7.5,
        "preview_visible": 0.3, "preview_dropped": 0, "preview_full_after_save": 9.0,
    }
    text = build_report([figures], None, "0.1, 0.2, 0.3")
    assert "| a push of one edited chronicle (production, kept cache) | 8.00 | 11.00 | 1.38 |" in text
    assert "| the preview's full build after an edit | 5.00 | 7.50 | 1.50 |" in text


def test_one_section_run_alone_takes_its_place_and_keeps_the_others(tmp_path):
    """`python -m bench.spam_defences` writes its section before the build's, then replaces it; the rest stays."""
    from bench.report import NOTES_MARKER, write_section

    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# Benchmarks\n\n## Comment server\n\nthroughput\n\n## Build\n\nbuilds\n\n{NOTES_MARKER}\nnotes\n")
    write_section("## Spam defences\n\nfirst run\n", path)
    write_section("## Spam defences\n\nsecond run\n", path)
    assert path.read_text() == ("# Benchmarks\n\n## Comment server\n\nthroughput\n\n## Spam defences\n\nsecond run\n\n"
                                f"## Build\n\nbuilds\n\n{NOTES_MARKER}\nnotes\n")


def _lighthouse_report(scores, failing=()):
    """A Lighthouse report as its JSON output has it, reduced to what bench.lighthouse reads."""
    audits = {"meta-description": {"title": "Document has a meta description", "score": 0 if "meta-description" in failing else 1,
                                   "scoreDisplayMode": "binary"},
              "notes": {"title": "Manual check", "score": None, "scoreDisplayMode": "manual"}}
    return {"lighthouseVersion": "12.8.2", "audits": audits,
            "categories": {name: {"score": score / 100, "auditRefs": [{"id": "meta-description", "weight": 1},
                                                                      {"id": "notes", "weight": 0}]}
                           for name, score in scores.items()}}


def test_the_lighthouse_section_gives_each_page_and_preset_its_scores_and_what_cost_points():
    from bench import lighthouse

    full = dict.fromkeys(lighthouse.CATEGORIES, 100)
    results = [lighthouse.result("home", "mobile", _lighthouse_report(full)),
               lighthouse.result("search", "desktop", _lighthouse_report({**full, "seo": 66}, ["meta-description"]))]
    text = lighthouse.report(results)
    assert text.startswith(lighthouse.HEADING + "\n")
    assert "| home (`/`) | mobile | 100 | 100 | 100 | 100 |" in text
    assert "| search (`/recherche/`) | desktop | 100 | 100 | 100 | 66 |" in text
    assert "search (desktop), seo: Document has a meta description" in text and "home (mobile)" not in text
    assert "Manual check" not in text


def test_the_median_run_of_a_page_is_kept():
    from bench import lighthouse

    runs = [lighthouse.result("chronicle", "mobile", _lighthouse_report({**dict.fromkeys(lighthouse.CATEGORIES, 100),
                                                                         "performance": score}))
            for score in (93, 100, 99)]
    assert lighthouse.median(runs).scores["performance"] == 99
