"""The moderation links have one pattern and one spelling (comments.moderation_links), which the mail writes and every layer reads."""

from pathlib import Path
import re

import pytest

from comments import moderation_links

COMMENTS = Path(moderation_links.__file__).parent


@pytest.mark.parametrize("action", moderation_links.ACTIONS)
def test_what_the_mail_writes_the_layers_read(action):
    link = moderation_links.address("https://zohe.example/isso", 12, action, "a.b-c_d")
    path = link.removeprefix("https://zohe.example/isso")
    assert moderation_links.parse(path) == (12, action, "a.b-c_d")
    assert moderation_links.emailed(path) is (action in moderation_links.EMAILED)
    assert bool(moderation_links.EDIT.match(path)) is (action == "edit")


@pytest.mark.parametrize("path", ["/id/12", "/id/x/activate/k", "/id/12/like/k", "/id/12/activate/k/de-trop",
                                  "/id/12/activate/"])
def test_anything_else_is_no_moderation_link(path):
    assert moderation_links.parse(path) is None and not moderation_links.emailed(path)


def test_no_other_module_of_the_comment_server_spells_a_moderation_link():
    """hardening, moderation_pages, validation and csp each had their own pattern, and the mail its own spelling."""
    # A group of actions in a pattern, "(?:activate|…" or "(edit|…", or a link spelled "/activate/{key}".
    spelled = re.compile(r"\((?:\?:)?(?:activate|delete|edit)\||/(?:activate|delete|edit)/[{\[]")
    others = [path.name for path in sorted(COMMENTS.glob("*.py"))
              if path.name != "moderation_links.py" and spelled.search(path.read_text(encoding="utf-8"))]
    assert others == []
