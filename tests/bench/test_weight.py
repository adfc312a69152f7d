"""The measures behind the budgets (bench/weight.py): they see what a page loads, and every request to another origin."""

from bench.weight import foreign_requests, page_weight
from support import PROD_SITEURL

COMMENTS_URL = PROD_SITEURL + "/isso"


def test_the_weight_counts_what_the_page_loads(prod_site):
    # The measure itself must see the stylesheet and the favicon, or the budget proves nothing.
    weight = page_weight(prod_site, "chroniques/la-juste-mesure/index.html", siteurl=PROD_SITEURL)
    assert weight.total["brotli"] > weight.critical["brotli"] > 1000
    assert any(f.startswith("favicon") for f in weight.files), weight.files


def test_the_third_party_scan_sees_a_tracker(tmp_path):
    (tmp_path / "page.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Lato">'
        '<img src="https://www.facebook.com/tr?id=1&ev=PageView">'
        '<style>@import "//cdn.example/x.css";</style>'
        # A foreign candidate after a local src in the same tag.
        '<img src="/images/a.webp" srcset="/images/a.webp 1x, https://cdn.example/a-2x.webp 2x" alt="">'
        '<p style="background: url(&quot;https://cdn.example/inline.png&quot;)">x</p>'
        "<div style='background-image:url(https://cdn.example/single.png)'></div>"
        '<video poster="https://cdn.example/poster.jpg" src="/v.webm"></video>'
        # Starts with the site's address, yet is another host.
        '<script src="https://zohe.example.evil.net/t.js"></script>'
        '<script src="https://zohe.example:8443/other-port.js"></script>'
        # The site itself, the comment server, navigation and inline script: not third-party requests.
        '<img src="https://zohe.example/images/b.webp" srcset="//zohe.example/images/b-2x.webp 2x" alt="">'
        '<script src="https://zohe.example/isso/js/embed.min.js"></script>'
        '<a href="https://ailleurs.fr/">ailleurs</a>'
        '<script>var fake = \'<img src="https://cdn.example/in-a-string.png">\';</script>',
        encoding="utf-8",
    )
    (tmp_path / "site.css").write_text("body{background:url(https://cdn.example/bg.png)}")
    found = sorted(url for _file, url in foreign_requests(tmp_path, [PROD_SITEURL, COMMENTS_URL]))
    assert found == [
        "//cdn.example/x.css",
        "https://cdn.example/a-2x.webp",
        "https://cdn.example/bg.png",
        "https://cdn.example/inline.png",
        "https://cdn.example/poster.jpg",
        "https://cdn.example/single.png",
        "https://fonts.googleapis.com/css?family=Lato",
        "https://www.facebook.com/tr?id=1&ev=PageView",
        "https://zohe.example.evil.net/t.js",
        "https://zohe.example:8443/other-port.js",
    ]
