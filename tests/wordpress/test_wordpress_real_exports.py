"""What real exports hold and valid XML does not: read rather than refused whole, or refused saying where, never with a traceback."""

import subprocess
import sys

import pytest

from support import ROOT
from wordpress.export import ExportError, read_export
from wordpress.importer import import_export
from wordpress_exports import HEAD, TAIL, item, write

NB, NNB = "\u00a0", "\u202f"
# libxml2 refuses a text node over 10 MB unless told otherwise (lxml's huge_tree).
BIG = "<p><img src=\"data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAA" * 460_000 + "\"></p>"


def test_a_post_over_ten_megabytes_is_read(tmp_path):
    """Images pasted into a post as base64; the same text under a DOCTYPE keeps libxml2's limits, and is refused."""
    export = write(tmp_path / "grand.xml", item("20", "grand", BIG), item("21", "petit", "<p>Petit.</p>"))
    assert [(one.id, len(one.content)) for one in read_export(export).items] == [("20", len(BIG)), ("21", 13)]
    # A root's name in a comment first cannot pass a DOCTYPE off as no DOCTYPE.
    for name, prolog in (("doctype.xml", "<!DOCTYPE rss>\n"), ("comment.xml", "<!-- <rss> -->\n<!DOCTYPE rss>\n")):
        (tmp_path / name).write_text(export.read_text(encoding="utf-8").replace("<rss ", prolog + "<rss ", 1),
                                     encoding="utf-8")
        with pytest.raises(ExportError, match=f"^{name}, ligne \\d+{NB}: ce n’est pas un fichier XML complet"):
            read_export(tmp_path / name)


def test_control_characters_are_dropped_and_the_report_names_their_items(tmp_path):
    """WordPress copies them raw (\\x0b from a word processor); XML 1.0 forbids them."""
    content = tmp_path / "project" / "content"
    content.mkdir(parents=True)
    export = write(tmp_path / "controle.xml",
                   item("30", "ctl", "<p>Un caractère de contrôle \x0b ici, \x01 et \x1f là.</p>", title="Contrôle\x0c"),
                   item("31", "petit", "<p>Petit.</p>"),
                   item("32", "page", "<p>Une\x08 page.</p>", kind="page"))
    report = import_export(export, content=content).text()
    assert report.startswith(f"Import de controle.xml{NB}: 3 éléments, 3 importés, 0 laissé de côté\n"
                             f"5 caractères de contrôle invisibles retirés (WordPress les exporte tels quels, XML les "
                             f"interdit){NB}: chronique 30 (4), page 32 (1)\n")
    text = (content / "chroniques" / "ctl.md").read_text(encoding="utf-8")
    assert "Title: Contrôle\n" in text and "\nUn caractère de contrôle ici, et là.\n" in text


def test_bytes_that_are_not_utf8_are_refused_naming_where(tmp_path):
    """A download cut short in a character, or an old database's Latin-1 in a UTF-8 export: a French line, not a traceback."""
    export = tmp_path / "latin.xml"
    export.write_bytes((HEAD + item("40", "latin", "<p>café</p>") + TAIL).encode("utf-8").replace(
        "café".encode("utf-8"), "café".encode("latin-1")))
    offset = export.read_bytes().index("caf".encode("ascii")) + 3
    line = export.read_bytes()[:offset].count(b"\n") + 1
    run = subprocess.run([sys.executable, "-m", "invoke", "import.wordpress", str(export),
                          "--content", str(tmp_path / "content"), "--report", str(tmp_path / "r.txt")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr == (f"Import non fait{NB}: latin.xml, ligne {line}{NB}: octet {offset} illisible, ce n’est pas "
                          f"du texte UTF-8 (fichier coupé en route, ou base WordPress d’un autre encodage){NNB}; "
                          "exportez de nouveau depuis WordPress (Outils › Exporter)\n")
    assert not (tmp_path / "content").exists()
