"""Small WordPress exports (WXR 1.2) written by the tests that need one case each, beside tests/wordpress/export.xml.

`write(path, item(...), item(...))` writes a file as WordPress's Tools › Export writes
one: every text in CDATA, raw as WordPress copies it from its database (control
characters included), dates on the blog's clock and in GMT.
"""

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Zôhé</title><link>https://zohe.fr</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://zohe.fr</wp:base_site_url><wp:base_blog_url>https://zohe.fr</wp:base_blog_url>
"""
TAIL = "</channel></rss>\n"


def item(number, slug, content, title=None, kind="post", status="publish", date="2023-03-14 09:00:00",
         link=None, comments=(), categories=()):
    """One item; `link` defaults to WordPress's /slug/ permalink (a draft's is ?p=ID); `categories` are names,
    or (name, WordPress's slug of it) pairs."""
    link = link or (f"https://zohe.fr/{slug}/" if slug else f"https://zohe.fr/?p={number}")
    pairs = [category if isinstance(category, tuple) else (category, f"c{index}")
             for index, category in enumerate(categories)]
    categories = "".join(f'<category domain="category" nicename="{nicename}"><![CDATA[{name}]]></category>'
                         for name, nicename in pairs)
    return f"""<item><title>{title or "Texte " + number}</title><link>{link}</link>
<dc:creator><![CDATA[admin]]></dc:creator><content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>{categories}<wp:post_id>{number}</wp:post_id>
<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{kind}</wp:post_type>
<wp:post_password></wp:post_password>
{"".join(comments)}</item>
"""


def comment(number, parent, text, date="2023-03-15 10:00:00", date_gmt=None):
    """One approved comment; `date_gmt` defaults to `date` (a blog on GMT), "" or WordPress's zero date for none."""
    date_gmt = date if date_gmt is None else date_gmt
    return f"""<wp:comment><wp:comment_id>{number}</wp:comment_id><wp:comment_author><![CDATA[Alice {number}]]>
</wp:comment_author><wp:comment_author_email>a{number}@example.org</wp:comment_author_email>
<wp:comment_author_url></wp:comment_author_url><wp:comment_date>{date}</wp:comment_date>
<wp:comment_date_gmt>{date_gmt}</wp:comment_date_gmt><wp:comment_content><![CDATA[{text}]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>
"""


def write(path, *items):
    """The export of `items` at `path`, as UTF-8; the path."""
    path.write_text(HEAD + "".join(items) + TAIL, encoding="utf-8")
    return path
