"""An XSS corpus through the API: nothing a commenter (or an import) writes comes back as active HTML."""

import sqlite3
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from comments.hardening import site_path

pytestmark = pytest.mark.timeout(60)

TEXT_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover=\"alert(1)\">survol</div>",
    "<a href=\"javascript:alert(1)\">lien</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">lien</a>",
    "<a href=\"&#106;avascript:alert(1)\">entité</a>",
    "<a href=\"java\tscript:alert(1)\">tab</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<svg onload=alert(1)><circle r=10 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<p style=\"x:expression(alert(1))\">css</p>",
    "[lien](javascript:alert(1))",
    "[lien](JAVASCRIPT:alert(1))",
    "[lien](data:text/html,<script>alert(1)</script>)",
    "[lien](javascript&#58;alert(1))",
    "![image](javascript:alert(1))",
    "![image](x \"onerror=alert(1)\")",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "[a](https://ok.example\" onclick=\"alert(1))",
    "`<script>alert(1)</script>` et ```\n<script>alert(1)</script>\n```",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
]

AUTHOR_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'><a href=javascript:alert(1)>x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<b onmouseover=alert(1)>gras</b>",
]

WEBSITE_PAYLOADS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://example.org/' onmouseover='alert(1)",
    "https://example.org/\"><script>alert(1)</script>",
    "example.org/'onclick='alert(1)'",
    "vbscript:msgbox(1)",
]

# Thread addresses: Isso's admin page links each one (`<a href="{{comment.uri}}">`).
URI_PAYLOADS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(document.domain)",
    "java\tscript:alert(1)",
    "\njavascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example/",
]

ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "button", "base",
                   "meta", "link", "details", "body", "img"}


def dangerous_url(value):
    squeezed = "".join(ch for ch in value if ch > " ").lower()
    return squeezed.startswith(("javascript:", "data:", "vbscript:"))


def assert_inert(fragment):
    """Parse like a browser (html5lib) and look for anything that could run."""
    soup = BeautifulSoup(fragment, "html5lib")
    # html5lib wraps a fragment in html/head/body; anything hoisted there counts too.
    assert soup.head.find(True) is None, fragment
    for tag in soup.find_all(True):
        assert tag.name in ("html", "head", "body") or tag.name not in ACTIVE_ELEMENTS, (tag.name, fragment)
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (name, fragment)
            assert name.lower() != "style", fragment
            values = value if isinstance(value, list) else [value]
            for v in values:
                assert not dangerous_url(v), (name, v, fragment)


def client_markup(comment):
    """What Isso's embed script builds from a comment (isso/js/app/templates/comment.js)."""
    author = comment["author"] or "Anonyme"
    if comment["website"]:
        header = f"<a class='isso-author' href='{comment['website']}' rel='nofollow'>{author}</a>"
    else:
        header = f"<span class='isso-author'>{author}</span>"
    return f"<div class='isso-comment-header'>{header}</div><div class='isso-text'>{comment['text']}</div>"


def assert_comment_inert(comment):
    assert_inert(comment["text"])
    markup = client_markup(comment)
    assert_inert(markup)
    soup = BeautifulSoup(markup, "html5lib")
    header = soup.select_one(".isso-author")
    # The name is text only, the link (if any) is a plain http(s) link with nothing added.
    assert header.find(True) is None, markup
    if header.name == "a":
        assert set(header.attrs) == {"class", "href", "rel"}, markup
        assert header["href"].startswith(("http://", "https://")), markup


def test_corpus_is_large_enough():
    assert len(TEXT_PAYLOADS) + len(AUTHOR_PAYLOADS) + len(WEBSITE_PAYLOADS) + len(URI_PAYLOADS) >= 30


@pytest.mark.parametrize("payload", TEXT_PAYLOADS, ids=range(len(TEXT_PAYLOADS)))
def test_text_payloads(unmoderated, uri, payload):
    client = unmoderated.client()
    r = client.new(uri, payload)
    assert r.status == 201
    assert_comment_inert(r.json())
    (comment,) = client.thread(uri).json()["replies"]
    assert_comment_inert(comment)
    assert_inert(client.post("/preview", json_body={"text": payload}).json()["text"])


@pytest.mark.parametrize("payload", AUTHOR_PAYLOADS, ids=range(len(AUTHOR_PAYLOADS)))
def test_author_payloads(unmoderated, uri, payload):
    client = unmoderated.client()
    r = client.new(uri, "Un commentaire.", author=payload)
    assert r.status == 201
    assert_comment_inert(r.json())
    (comment,) = client.thread(uri).json()["replies"]
    assert_comment_inert(comment)


@pytest.mark.parametrize("payload", WEBSITE_PAYLOADS, ids=range(len(WEBSITE_PAYLOADS)))
def test_website_payloads(unmoderated, uri, payload):
    client = unmoderated.client()
    r = client.new(uri, "Un commentaire.", website=payload)
    if r.status == 400:  # refused outright is fine too
        assert client.thread(uri).json()["replies"] == []
        return
    assert r.status == 201
    assert_comment_inert(r.json())
    (comment,) = client.thread(uri).json()["replies"]
    assert_comment_inert(comment)


@pytest.mark.parametrize("payload", URI_PAYLOADS, ids=range(len(URI_PAYLOADS)))
def test_uri_payloads(unmoderated, payload):
    """Refused by the API and by the database (as `isso import` writes): no thread ever has such an address."""
    client = unmoderated.client()
    r = client.post(f"/new?uri={quote(payload, safe='')}",
                    json_body={"text": "Un commentaire.", "author": "A", "email": "a@example.org", "title": "T"})
    assert r.status == 400
    con = sqlite3.connect(unmoderated.dbpath)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            with con:
                con.execute("INSERT INTO threads (uri, title) VALUES (?, 'Importé')", (payload,))
        addresses = [row[0] for row in con.execute("SELECT uri FROM threads")]
    finally:
        con.close()
    assert all(site_path(address) and not dangerous_url(address) for address in addresses)


def test_imported_payloads(unmoderated, uri):
    """``isso import`` writes rows without escaping anything: the same corpus, straight into the database."""
    client = unmoderated.client()
    assert client.new(uri, "Ouverture du fil.").status == 201
    rows = [(t, a, w) for t, a, w in zip(TEXT_PAYLOADS, AUTHOR_PAYLOADS * 6, WEBSITE_PAYLOADS * 6)]
    con = sqlite3.connect(unmoderated.dbpath)
    with con:
        for text, author, website in rows:
            con.execute(
                "INSERT INTO comments (tid, parent, created, mode, remote_addr, text, author, email, website, voters)"
                " SELECT id, NULL, 1700000000, 1, '127.0.0.0', ?, ?, NULL, ?, x'00' FROM threads WHERE uri = ?",
                (text, author, website, uri),
            )
    con.close()
    replies = client.thread(uri).json()["replies"]
    assert len(replies) == len(rows) + 1
    for comment in replies:
        assert_comment_inert(comment)
