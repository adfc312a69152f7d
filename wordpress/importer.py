"""Runs the import of a WordPress export into content/: read, decide each item's file, convert, write, report.

The one function every caller uses (`invoke import.wordpress`, the tests). Two passes:
the first decides where every item goes, so that the second can turn a link to any of
them into a `{filename}` link, whichever comes first in the export. Each post's comments
go to its chronicle's thread (wordpress.comments); the old addresses' redirects
(wordpress/redirects.py) are planned between the two passes; the uploads the content uses
are copied as the second pass meets them (wordpress/media.py), and their old addresses,
every size WordPress kept, redirected once it is done.
"""

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import comments_database
from wordpress import comments, documents, html_to_markdown, media, redirects
from wordpress.export import read_export
from wordpress.manifest import KEPT_EDITED, KEPT_FOREIGN, Manifest
from wordpress.report import Report

ROOT = Path(__file__).resolve().parent.parent


def import_export(export, content=None, uploads=None, force=False, now=None, database=None):
    """Import the WXR file `export` into `content` (the project's content/ by default) and its comments into `database`
    (ZOHE_COMMENTS_DB's by default), the files it uses copied from `uploads` (a copy of wp-content/uploads); the Report."""
    import pelicanconf
    import publishconf

    content = Path(content or ROOT / "content")
    now = now or datetime.now(timezone.utc)
    wxr = read_export(export)
    manifest = Manifest.load(content)
    copier = media.Uploads(uploads, content, manifest, force)  # a mistyped folder stops the import here
    report = Report(export_name=Path(export).name)
    report.dropped(wxr.dropped, {item.id: item.type for item in wxr.items})
    isso = comments.open_database(Path(database or comments_database.path()))
    hosts = {urlsplit(url).hostname for url in (wxr.site_url, wxr.blog_url) if url}
    site = html_to_markdown.Site(hosts=hosts, attachments={
        item.id: item.attachment_url for item in wxr.items if item.type == "attachment" and item.attachment_url},
        uploads=copier)

    def is_published(item):
        return documents.published(item, pelicanconf.TIMEZONE, now)

    planned = addresses(wxr.items, manifest, documents.site_folders(publishconf), is_published)
    for item in wxr.items:
        if item.id not in planned:
            continue
        slug, folder = planned[item.id][0], documents.FOLDERS[item.type]
        target = html_to_markdown.Target(f"{{filename}}/{folder}/{slug}.md", is_published(item))
        for key in (site.old_key(item.link) if item.link else None, f"id:{item.id}"):
            if key:
                site.targets[key] = target

    # The old addresses' map goes to deploy/nginx/ beside the content/ imported into.
    from publish.build import load_settings
    moved, report.redirects = redirects.plan(
        wxr, planned, load_settings(prod=True), documents.site_folders(publishconf), is_published, content)
    site.redirected = moved.entries
    files = []  # the attachments' entries, said once the content has used (copied) their files
    written = set()  # the documents of this run, relative to content/
    for item in wxr.items:
        if item.type == "attachment":
            report.add(item, "", imported=False)
            files.append(report.entries[-1])
            continue
        reason = documents.left_out(item)
        if reason:
            report.add(item, reason, imported=False, comments=comments.left_out_notes(item, "son article ne l’est pas"))
            continue
        slug, notes = planned[item.id][0], list(planned[item.id][1:])
        body = html_to_markdown.to_markdown(item.content, site, notes,
                                            featured=site.attachments.get(item.postmeta.get("_thumbnail_id"), ""))
        document = documents.document(item, slug, body, pelicanconf.TIMEZONE, now, pelicanconf.DEFAULT_CATEGORY)
        outcome = manifest.write(document.path, document.text, force, item_id=item.id)
        written.add(document.path)
        shown = f"content/{document.path}"
        imported = outcome not in (KEPT_EDITED, KEPT_FOREIGN)
        status = ", brouillon" if "Status" in document.header else ""
        if item.type != "post":
            thread = comments.left_out_notes(item, "le site n’a de commentaires que sous ses chroniques")
        else:  # under the chronicle's address, even when its file is an author's
            thread = comments.import_comments(isso, item, comments.thread_uri(slug), pelicanconf.TIMEZONE)
        report.add(item, f"{shown} ({outcome}{status})" if imported else f"{shown} {outcome}",
                   imported=imported, notes=[*document.notes, *notes], comments=thread)
    for entry in files:
        site.uploads.also(entry.item.attachment_url)
    lines = redirects.add_uploads(moved, site.uploads.copies.values())
    for entry in files:
        entry.outcome, entry.imported, said = media.attachment_outcome(entry.item, site.uploads, lines)
        entry.notes += said
    if lines:  # files the content used that the export lists no attachment for
        report.notes += ["fichiers utilisés sans fiche dans l’export\u00a0:",
                         *(f"    · {line}" for line in lines.values())]
    report.notes += [f"content/{path}\u00a0: écrit par un import précédent, aucun élément importé cette fois n’y va "
                     "(supprimé, à la corbeille ou renommé dans WordPress)\u202f; laissé tel quel, supprimez-le s’il "
                     "n’a plus lieu d’être" for path in sorted(manifest.files)
                     if path.split("/")[0] in documents.FOLDERS.values() and path.endswith(".md")
                     and path not in written and (content / path).exists()]
    manifest.save()
    (content.parent / "deploy" / "nginx").mkdir(parents=True, exist_ok=True)
    redirects.write(moved, content.parent / "deploy" / "nginx" / redirects.MAP.name)
    isso.close()
    return report


def addresses(items, manifest, folders, is_published):
    """Each imported item's slug, by id, and a note when it is not the one it asks for (wordpress.documents.slug_of).

    Published items first, then the others: a draft, whose WordPress slug is empty until it
    is published (its title's is used), never takes a published item's address. Within each
    group an item the import wrote before keeps its file (the manifest says which), and so
    its address, its comments' thread and its redirects: a second run never writes an item
    again under another name. Then each claims its own, in the export's order. A page
    cannot take one of the site's own folders (`folders`, wordpress.documents.site_folders).
    """
    planned, taken = {}, {("pages", folder) for folder in folders}
    wanted = [item for item in items if not documents.left_out(item)]
    for group in ([item for item in wanted if is_published(item)], [item for item in wanted if not is_published(item)]):
        for item in group:
            folder = documents.FOLDERS[item.type]
            recorded = manifest.items.get(item.id, "")
            slug = recorded.removeprefix(folder + "/").removesuffix(".md")
            if recorded == f"{folder}/{slug}.md" and slug == documents.safe_slug(slug) and (folder, slug) not in taken:
                taken.add((folder, slug))
                base = documents.slug_of(item)
                planned[item.id] = (slug, *([f"garde l’adresse «\u00a0{slug}\u00a0» de l’import précédent "
                                             f"(«\u00a0{base}\u00a0» dans WordPress)"] if slug != base else []))
        for item in group:
            if item.id in planned:
                continue
            folder = documents.FOLDERS[item.type]
            slug = base = documents.slug_of(item)
            number = 1
            while (folder, slug) in taken:
                number += 1
                slug = f"{base}-{number}"
            taken.add((folder, slug))
            planned[item.id] = (slug, *([f"adresse «\u00a0{base}\u00a0» déjà prise sur le site\u00a0: "
                                         f"«\u00a0{slug}\u00a0»"] if slug != base else []))
    return planned
