"""The WordPress import's benchmark: an export of 1,000 posts and 10,000 comments, imported, re-run, built.

The export is written here, seeded, as WordPress 6 writes one (block comments, internal
links to the old permalinks, categories and tags; comments approved, pending, spam and
pingbacks, a third of them replies). Each step runs in its own child process
(`python -m bench.wordpress_import child STEP SCRATCH`) so that its peak memory is its own:
the first import, the second one (which must change nothing: measured, not assumed), and
the strict production build of what was imported — the import's time is reported as a
ratio to that build's, the same run's yardstick.
"""

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from bench import BENCH_SITEURL, corpus
from publish.build import ROOT

POSTS = 1000
COMMENTS = 10000
SEED = 1905
OLD_SITE = "https://zohe.fr"
HEADING = "## WordPress import"
STEPS = ("first", "second", "build")
# What WordPress says of each comment, with how often the export holds it.
APPROVALS = (("1", 0.85), ("0", 0.08), ("spam", 0.05), ("pingback", 0.02))
_NAMES = ("Pauline", "Jean", "Nathalie", "Camille", "Hugo", "Inès", "Malik", "Sophie", "Thomas", "Léa")


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _post_html(rng, earlier):
    """A post's content as the block editor saves it: paragraphs, headings and lists in block comments."""
    blocks = []
    for number in range(rng.randint(8, 14)):
        if number and rng.random() < 0.15:
            text = escape(corpus._sentence(rng, rng.randint(3, 6))[:-1])
            blocks.append(f"<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">{text}</h2>\n<!-- /wp:heading -->")
        elif rng.random() < 0.1:
            items = "".join(f"<li>{escape(corpus._sentence(rng, rng.randint(5, 10)))}</li>" for _ in range(3))
            blocks.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
        else:
            text = escape(corpus._paragraph(rng, rng.randint(50, 100), ())[0])
            if earlier and rng.random() < 0.2:
                slug, title = rng.choice(earlier)
                text += f" Relire <a href=\"{OLD_SITE}/{slug}/\">{escape(title)}</a>."
            blocks.append(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->")
    return "\n\n".join(blocks)


def _comment(rng, number, parent, written):
    roll, approved, kind = rng.random(), "1", "comment"
    for value, share in APPROVALS:
        if roll < share:
            approved = value
            break
        roll -= share
    if approved == "pingback":
        approved, kind = "1", "pingback"
    name = rng.choice(_NAMES)
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{number}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{_cdata(name)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{_cdata(f'{name.lower()}.{number}@example.org')}</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url>{'https://blog.example.net/' + str(number) if rng.random() < 0.2 else ''}</wp:comment_author_url>\n"
        "\t\t\t<wp:comment_author_IP>192.0.2.10</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{_cdata(f'{written:%Y-%m-%d %H:%M:%S}')}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{_cdata(f'{written:%Y-%m-%d %H:%M:%S}')}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{_cdata('<p>' + escape(corpus._paragraph(rng, rng.randint(15, 60), ())[0]) + '</p>')}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{_cdata(approved)}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{_cdata(kind)}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        "\t\t</wp:comment>\n"
    )


def write_export(path, posts=POSTS, comments=COMMENTS, seed=SEED):
    """Write a WXR 1.2 export of `posts` posts and `comments` comments to `path`; same seed, same bytes."""
    rng = random.Random(seed)
    # Each post's share of the comments: uneven, as on a real site, and exactly `comments` in all.
    weights = [rng.random() ** 2 for _ in range(posts)]
    shares = [int(comments * weight / sum(weights)) for weight in weights]
    for index in rng.sample(range(posts), comments - sum(shares)):
        shares[index] += 1
    start = datetime(2015, 3, 2, 9, 0)
    earlier, number = [], 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
            f"\t<title>Zôhé</title>\n\t<link>{OLD_SITE}</link>\n\t<language>fr-FR</language>\n"
            f"\t<wp:wxr_version>1.2</wp:wxr_version>\n\t<wp:base_site_url>{OLD_SITE}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{OLD_SITE}</wp:base_blog_url>\n"
            "\t<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[pauline]]></wp:author_login>"
            "<wp:author_display_name><![CDATA[Pauline]]></wp:author_display_name></wp:author>\n"
        )
        for index in range(1, posts + 1):
            post_id = 10000 + index
            slug = f"chronique-importee-{index:04d}"
            title = f"{corpus._sentence(rng, rng.randint(3, 7))[:-1].rstrip(' ?!…')} ({index})"
            published = start + timedelta(hours=index * 60 + rng.randint(0, 9))
            stamp = f"{published:%Y-%m-%d %H:%M:%S}"
            tags = "".join(f'\t\t<category domain="post_tag" nicename="{tag}">{_cdata(tag)}</category>\n'
                           for tag in sorted(rng.sample(corpus._TAGS, rng.randint(1, 3))))
            out.write(
                "\t<item>\n"
                f"\t\t<title>{_cdata(title)}</title>\n\t\t<link>{OLD_SITE}/{slug}/</link>\n"
                "\t\t<dc:creator><![CDATA[pauline]]></dc:creator>\n"
                f"\t\t<guid isPermaLink=\"false\">{OLD_SITE}/?p={post_id}</guid>\n"
                f"\t\t<content:encoded>{_cdata(_post_html(rng, earlier[-50:]))}</content:encoded>\n"
                "\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
                f"\t\t<wp:post_id>{post_id}</wp:post_id>\n"
                f"\t\t<wp:post_date>{_cdata(stamp)}</wp:post_date>\n\t\t<wp:post_date_gmt>{_cdata(stamp)}</wp:post_date_gmt>\n"
                "\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>\n"
                f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n\t\t<wp:status><![CDATA[publish]]></wp:status>\n"
                "\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n"
                "\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n"
                '\t\t<category domain="category" nicename="les-chroniques-de-zohe"><![CDATA[Les Chroniques de Zôhé]]></category>\n'
                + tags
            )
            thread = []
            for _ in range(shares[index - 1]):
                number += 1
                parent = rng.choice(thread) if thread and rng.random() < 0.33 else 0
                written = published + timedelta(hours=1 + len(thread) * 5)
                out.write(_comment(rng, number, parent, written))
                thread.append(number)
            out.write("\t</item>\n")
            earlier.append((slug, title))
        out.write("</channel>\n</rss>\n")
    return Path(path)


def _digest(folder):
    """One hash of every file under `folder` (names and bytes): equal digests, nothing changed."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _comment_rows(database):
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT COUNT(*), COALESCE(SUM(mode = 1), 0) FROM comments").fetchone()


def child(step, scratch):
    """Run in a fresh process: one step of the benchmark on the project copy in `scratch`, as a dict."""
    import resource

    scratch = Path(scratch)
    os.environ["ZOHE_SITEURL"] = BENCH_SITEURL
    database = scratch / "comments.db"
    figures = {}
    started = time.perf_counter()
    if step == "build":
        from publish.build import build

        build(prod=True, output=scratch / "prod", overrides={"PATH": str(scratch / "content")})
        figures["pages"] = sum(1 for _ in (scratch / "prod").rglob("*.html"))
    else:
        from wordpress.importer import import_export

        before = _digest(scratch / "content"), _comment_rows(database) if database.exists() else None
        report = import_export(scratch / "export.xml", content=scratch / "content", database=database)
        figures["imported"] = len(report.imported)
        figures["items"] = len(report.entries)
        figures["comments"], figures["published"] = _comment_rows(database)
        figures["unchanged"] = before == (_digest(scratch / "content"), (figures["comments"], figures["published"]))
    figures["seconds"] = time.perf_counter() - started
    figures["max_rss_mb"] = max(resource.getrusage(who).ru_maxrss
                                for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return figures


def _run_child(step, scratch):
    command = [sys.executable, "-m", "bench.wordpress_import", "child", step, str(scratch)]
    process = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"WordPress import benchmark, step {step}, failed:\n{process.stderr[-4000:]}")
    return json.loads((Path(scratch) / f"{step}.json").read_text())


def run(posts=POSTS, comments=COMMENTS):
    """Every figure: the export's size, then each step's seconds and peak memory."""
    with tempfile.TemporaryDirectory(prefix="zohe-bench-wordpress-") as scratch:
        scratch = Path(scratch)
        shutil.copytree(ROOT / "content", scratch / "content")
        export = write_export(scratch / "export.xml", posts, comments)
        figures = {"posts": posts, "comments_in_export": comments, "export_mb": export.stat().st_size / 2**20}
        for step in STEPS:
            figures[step] = _run_child(step, scratch)
    return figures


def section(figures):
    """The WordPress import's section of BENCHMARKS.md."""
    first, second, built = (figures[step] for step in STEPS)
    return "\n".join([
        HEADING,
        "",
        f"Measured on {date.today().isoformat()} by `.venv/bin/python -m bench.wordpress_import` (`invoke bench` "
        f"runs it with the rest): a WordPress 6 export written by `bench/wordpress_import.py` (seed {SEED}, "
        f"{figures['export_mb']:.1f} MB) of {figures['posts']:,} published posts (block editor markup, links to "
        f"each other's old permalinks, categories and tags) and {figures['comments_in_export']:,} comments (85 % "
        "approved, 8 % pending, 5 % spam, 2 % pingbacks, a third of them replies), imported into a copy of the "
        "real content and an empty comment database, each step in its own process.",
        "",
        "| step | seconds | ratio to the build | peak memory (MB) | result |",
        "| --- | --- | --- | --- | --- |",
        f"| first import (`invoke import.wordpress`) | {first['seconds']:.2f} | {first['seconds'] / built['seconds']:.2f} "
        f"| {first['max_rss_mb']:.0f} | {first['imported']:,} of {first['items']:,} items imported, "
        f"{first['comments']:,} comments stored ({first['published']:,} published) |",
        f"| second import of the same export | {second['seconds']:.2f} | {second['seconds'] / built['seconds']:.2f} "
        f"| {second['max_rss_mb']:.0f} | {'nothing changed' if second['unchanged'] else 'CHANGED files or comments'} |",
        f"| strict production build of the imported site | {built['seconds']:.2f} | 1.00 | {built['max_rss_mb']:.0f} "
        f"| {built['pages']:,} HTML pages |",
        "",
    ])


def _main(argv):
    if argv[:1] == ["child"]:
        step, scratch = argv[1], Path(argv[2])
        (scratch / f"{step}.json").write_text(json.dumps(child(step, scratch)))
        return 0
    from bench.report import write_section

    print(write_section(section(run())))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
