"""Each strict check fails the build with a message naming the author's file, and keeps the last good output."""

import re

import pytest

from support import ROOT, chronicle_text
from publish.build import BuildError, build

GOOD = chronicle_text("Un texte qui renvoie vers [notre promesse]({filename}/pages/notre-promesse.md).\n")


def build_copy(content, output=None):
    return build(output=output or content.parent / "output", overrides={"PATH": str(content)})


def write_chronicle(content, text, name="test.md"):
    path = content / "chroniques" / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_fails_naming(content, fragment, expected="chroniques/test.md"):
    with pytest.raises(BuildError) as failure:
        build_copy(content)
    message = str(failure.value)
    assert expected in message, message
    assert fragment in message, message
    return message


def test_the_real_content_builds_with_the_extra_chronicle(content):
    write_chronicle(content, GOOD)
    output = build_copy(content)
    assert (output / "chroniques" / "une-chronique-de-test" / "index.html").is_file()


@pytest.mark.parametrize("field", ["Title", "Date", "Author", "Summary"])
def test_missing_required_metadata(content, field):
    text = "\n".join(line for line in GOOD.splitlines() if not line.startswith(f"{field}:"))
    write_chronicle(content, text)
    assert_fails_naming(content, f"il manque la métadonnée «\u00a0{field}\u00a0»\u202f; "
                                 f"ajoutez en tête du fichier une ligne «\u00a0{field}: …\u00a0»")


def test_invalid_date(content):
    write_chronicle(content, GOOD.replace("2024-05-02 10:00", "2024-02-31 10:00"))
    assert_fails_naming(content, "ligne 2\u00a0: la date «\u00a02024-02-31 10:00\u00a0» n’existe pas, "
                                 "février 2024 n’a que 29\u00a0jours\u202f; corrigez le jour")


@pytest.mark.parametrize("date", ["03/04/2023", "2023-03", "02.05.2024 10:00"])
def test_a_date_not_written_year_month_day_is_refused_rather_than_guessed(content, date):
    write_chronicle(content, GOOD.replace("Date: 2024-05-02 10:00", f"Date: {date}"))
    message = assert_fails_naming(content, f"ligne 2\u00a0: Date «\u00a0{date}\u00a0» n’est pas écrite année-mois-jour")
    assert "écrivez-la comme 2024-05-02 10:00" in message


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_a_space_before_a_metadata_colon_is_refused_not_published_as_text(content, space):
    """Python-Markdown ends the header at "Status : draft": the draft would go out, that line as its text."""
    write_chronicle(content, GOOD.replace("Slug: une-chronique-de-test",
                                          f"Slug: une-chronique-de-test\nStatus{space}: draft"))
    message = assert_fails_naming(content, "ligne 8\u00a0: les métadonnées s’arrêtent à «\u00a0Status :\u00a0»")
    assert "écrivez «\u00a0Status:\u00a0» sans espace avant les deux-points" in message


def test_a_first_line_of_text_with_a_colon_is_not_taken_for_metadata(content):
    text = GOOD.replace("Slug: une-chronique-de-test\n\n", "Slug: une-chronique-de-test\nAttention : un texte.\n\n")
    write_chronicle(content, text)
    output = build_copy(content)
    page = (output / "chroniques" / "une-chronique-de-test" / "index.html").read_text(encoding="utf-8")
    assert "Attention" in page


@pytest.mark.parametrize("name", ["nouvelle.txt", "nouvelle.md.txt", "nouvelle.MD", "nouvelle.docx"])
def test_a_chronicle_saved_in_a_format_no_reader_takes_is_refused_not_skipped(content, name):
    write_chronicle(content, GOOD, name=name)
    assert_fails_naming(content, "fichier non lu, seuls les fichiers Markdown le sont\u202f; renommez-le nouvelle.md",
                        expected=f"chroniques/{name}")


def test_hidden_files_and_editor_backups_are_left_alone(content):
    write_chronicle(content, GOOD, name=".test.md.swp")
    write_chronicle(content, GOOD, name="test.md~")
    (content / "pages" / ".DS_Store").write_bytes(b"\0")
    build_copy(content)


def test_pages_linking_to_a_chronicle_that_could_not_be_read_point_at_it(content):
    chronicle = content / "chroniques" / "la-juste-mesure.md"
    text = chronicle.read_text(encoding="utf-8")
    chronicle.write_text(re.sub(r"(?m)^Date: .*$", "Date: 2023-02-30 09:00", text), encoding="utf-8")
    message = assert_fails_naming(content, "n’existe pas, février 2023 n’a que 28\u00a0jours",
                                  expected="chroniques/la-juste-mesure.md")
    linking = [line for line in message.splitlines() if "la-juste-mesure.md" in line and "n’a pas pu être lu" in line]
    assert linking and all(
        line.endswith("\u00a0: lien vers content/chroniques/la-juste-mesure.md, qui n’a pas pu être lu\u202f; "
                      "corrigez d’abord ce fichier (voir son propre message)")
        for line in linking), message
    assert "introuvable" not in message, message


def test_broken_filename_link(content):
    write_chronicle(content, GOOD.replace("notre-promesse.md", "promesse-disparue.md"))
    assert_fails_naming(content, "promesse-disparue.md")


def test_broken_static_link(content):
    write_chronicle(content, GOOD + "\n[Le programme]({static}/images/programme.pdf)\n")
    assert_fails_naming(content, "programme.pdf")


def test_broken_image(content):
    write_chronicle(content, GOOD + "\n![Une photo du Collectif](/images/absente.webp)\n")
    assert_fails_naming(content, "absente.webp")


def test_two_documents_claiming_one_url(content):
    write_chronicle(content, GOOD)
    write_chronicle(content, GOOD.replace("Title: Une chronique", "Title: Une autre"), "twin.md")
    message = assert_fails_naming(content, "même adresse")
    assert "donnez à l’un d’eux un autre Slug" in message
    assert "chroniques/twin.md" in message


def test_a_build_after_one_pelican_stopped_writes_its_sitemap(content, tmp_path):
    """Pelican raised on the twins before `finalized`: pelican-sitemap must not keep that build as its own."""
    write_chronicle(content, GOOD)
    write_chronicle(content, GOOD.replace("Title: Une chronique", "Title: Une autre"), "twin.md")
    with pytest.raises(BuildError):
        build_copy(content)
    (content / "chroniques" / "twin.md").unlink()
    output = build_copy(content, tmp_path / "site")
    assert "chroniques/une-chronique-de-test/" in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_any_pelican_warning_fails(content):
    # Pelican only warns when {filename} points at a static file; we refuse it.
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "note.txt").write_text("note", encoding="utf-8")
    write_chronicle(content, GOOD + "\n[La note]({filename}/images/note.txt)\n")
    assert_fails_naming(content, "écrivez «\u00a0{static}/images/note.txt\u00a0»")


def test_failed_build_keeps_the_previous_output(content, tmp_path):
    output = tmp_path / "site"
    build_copy(content, output)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    write_chronicle(content, GOOD.replace("Author: Jean & Nathalie\n", ""))
    with pytest.raises(BuildError):
        build_copy(content, output)
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    # No staging folder is left behind beside the output.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_pelicans_own_messages_name_files_from_the_content_folders_parent(content):
    write_chronicle(content, GOOD + '\n![]({static}/images/la-juste-mesure.svg){: width="240" height="120" }\n')
    message = assert_fails_naming(
        content, "content/chroniques/test.md, ligne 11\u00a0: l’image «\u00a0la-juste-mesure.svg\u00a0» "
                 "n’a pas de texte de remplacement")
    assert str(content) not in message, message


def test_a_misspelt_metadata_key_is_refused_with_the_likely_one(content):
    write_chronicle(content, GOOD.replace("Tags: essai", "Tag: essai"))
    assert_fails_naming(content, "ligne 5\u00a0: métadonnée «\u00a0Tag\u00a0» inconnue\u202f; "
                                 "vouliez-vous dire «\u00a0Tags\u00a0»\u202f?")


SYMLINK_REFUSED = "\u00a0: lien symbolique refusé (la construction n’en suit aucun)\u202f; mettez à sa place le fichier lui-même"


@pytest.mark.parametrize("where, target", [
    ("chroniques/passwd.md", "/etc/passwd"),
    ("images/cle.webp", "{outside}"),  # a file outside the repository
    ("chroniques/copie.md", "{content}/chroniques/la-juste-mesure.md"),  # inside content/: refused too
    ("images/systeme", "/etc"),  # a folder, which Pelican would walk into
    ("chroniques/.#la-juste-mesure.md", "zohe@poste.1234"),  # Emacs's lock, dangling
])
def test_a_symbolic_link_in_the_content_is_refused_in_one_french_line(content, tmp_path, where, target):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0\n", encoding="utf-8")
    (content / where).symlink_to(target.format(outside=outside, content=content))
    with pytest.raises(BuildError) as failure:
        build_copy(content)
    assert failure.value.problems == [f"content/{where}{SYMLINK_REFUSED}"]
    assert not (content.parent / "output").exists()


@pytest.mark.parametrize("key", ["Subtitle", "Description"])
def test_a_key_the_theme_does_not_read_is_refused_not_typeset(content, key):
    """No template reads a subtitle or a description (meta.html's description is the summary): the
    checks refuse them, and the typography, which used to fix them for nobody, leaves them alone."""
    import metadata_keys
    from french_typography.settings import get_settings as typography_settings

    write_chronicle(content, GOOD.replace("Slug:", f"{key}: Un sous-titre : le voici\nSlug:"))
    message = assert_fails_naming(content, f"ligne 7\u00a0: métadonnée «\u00a0{key}\u00a0» inconnue")
    assert key not in message.split("(le site lit ")[1], message
    assert key.lower() not in typography_settings({})["metadata"]
    assert key.lower() not in metadata_keys.ACCEPTED


def test_the_checks_the_typography_and_new_share_one_list_of_keys_each_read_by_what_it_names():
    """metadata_keys is the one list: what is typeset or required or scaffolded is accepted, and
    every template a key names as its reader does read it."""
    import metadata_keys
    from french_typography.settings import get_settings as typography_settings
    from zohe_checks.settings import get_settings as checks_settings

    accepted = checks_settings({})["metadata_keys"]
    assert accepted == metadata_keys.ACCEPTED
    assert set(typography_settings({})["metadata"]) <= set(accepted)
    assert set(checks_settings({})["required_article_metadata"]) <= set(accepted)
    assert set(metadata_keys.SCAFFOLD) <= set(accepted)
    for key in metadata_keys.KEYS:
        for template in re.findall(r"[\w/]+\.html", key.read_by):
            text = (ROOT / "theme" / "templates" / template).read_text(encoding="utf-8")
            assert re.search(rf"\b{key.name}\b", text), (key.name, template)
