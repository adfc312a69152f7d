"""What only the production build writes: image variants, hashed theme assets, the search bundle, .gz and .br copies."""

import gzip
import re
import shutil

import brotli
from PIL import Image
import pytest

from support import ROOT, build_prod

PHOTO = """Title: Une chronique illustrée
Date: 2024-04-01 09:00
Author: Zôhé
Category: Les Chroniques de Zôhé
Summary: Une photo et un petit schéma.
Slug: chronique-illustree

![Un dégradé de test]({static}/images/degrade.jpg)

![Un petit schéma]({static}/images/schema.png){: .schema }
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """A production build of a copy of the content with a 2000×1000 JPEG and a 300×200 PNG added."""
    base = tmp_path_factory.mktemp("production-output")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    Image.linear_gradient("L").resize((2000, 1000)).convert("RGB").save(content / "images" / "degrade.jpg")
    Image.new("RGB", (300, 200), "#c0392b").save(content / "images" / "schema.png")
    (content / "chroniques" / "chronique-illustree.md").write_text(PHOTO, encoding="utf-8")
    return build_prod(base / "output", PATH=str(content), CACHE_PATH=str(base / "cache"))


def images(html):
    return {re.search(r'alt="([^"]*)"', tag).group(1): tag for tag in re.findall(r"<img\b[^>]*>", html)}


def attribute(tag, name):
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match and match.group(1)


def test_raster_images_get_srcset_variants_and_their_size(output):
    html = (output / "chroniques" / "chronique-illustree" / "index.html").read_text(encoding="utf-8")
    photo = images(html)["Un dégradé de test"]
    assert (attribute(photo, "width"), attribute(photo, "height")) == ("720", "360")
    assert attribute(photo, "sizes") == "(min-width: 46rem) 42rem, 100vw"
    candidates = [part.split() for part in attribute(photo, "srcset").split(", ")]
    assert [descriptor for _url, descriptor in candidates] == ["480w", "720w", "1080w", "1440w"]
    for url, descriptor in candidates:
        path = output / url.split("://", 1)[1].split("/", 1)[1]
        with Image.open(path) as variant:
            assert variant.size == (int(descriptor[:-1]), int(descriptor[:-1]) // 2), url
    assert attribute(photo, "src").endswith("/images/variantes/contenu/720w/degrade.jpg")
    # Never enlarged: the small PNG keeps its own size and its author's class.
    schema = images(html)["Un petit schéma"]
    assert (attribute(schema, "width"), attribute(schema, "height")) == ("300", "200")
    assert attribute(schema, "class").split() == ["schema", "image-process-contenu"]
    # The vector image is left as the author wrote it.
    svg = images((output / "chroniques" / "la-juste-mesure" / "index.html").read_text(encoding="utf-8"))
    (tag,) = svg.values()
    assert "srcset" not in tag and attribute(tag, "width") == "240"


def test_theme_assets_carry_a_content_hash_and_every_text_file_is_precompressed(output):
    css = list((output / "theme" / "css").glob("*.css"))
    assert [p.name for p in css] and all(re.fullmatch(r"(zohe|recherche)\.[0-9a-f]{10}\.css", p.name) for p in css)
    missing = []
    for path in output.rglob("*"):
        if path.suffix in {".html", ".css", ".js", ".xml", ".svg", ".json"} and path.stat().st_size > 1024:
            for suffix, decompress in ((".gz", gzip.decompress), (".br", brotli.decompress)):
                copy = path.with_name(path.name + suffix)
                if not copy.is_file() or decompress(copy.read_bytes()) != path.read_bytes():
                    missing.append(copy.relative_to(output))
    assert missing == []


def test_the_search_bundle_indexes_chronicles_and_pages_in_french(output):
    bundle = output / "pagefind"
    entry = (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"fr"' in entry
    # The chronicles and the pages; list pages (home, archives, tags…) are not results.
    chronicles = len(list((output / "chroniques").glob("*/index.html")))
    pages = [
        p for p in (ROOT / "content" / "pages").glob("*.md")
        if not re.search(r"^Status:\s*(draft|hidden)", p.read_text(encoding="utf-8"), re.M | re.I)
    ]
    assert f'"page_count":{chronicles + len(pages)}' in entry.replace(" ", "")
    start = (bundle / "zohe-recherche.js").read_text(encoding="utf-8")
    assert "setTranslations" in start and "Effacer" in start
    search = (output / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "/pagefind/pagefind-component-ui.js" in search and 'lang="fr"' in search
