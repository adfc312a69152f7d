"""The moderation links Isso signs, ``/id/N/<action>/<key>``: their one pattern, for the layers that recognise them, and their one spelling, for the mail that writes them.

Isso's route is ``/id/<int:id>/<any(edit,activate,delete):action>/<string:key>``
(isso/views/comments.py). The moderation e-mail carries ``activate`` and ``delete``
(comments.mail), each opening a page to decide on (comments.moderation_pages); Isso's
admin page posts all three, ``edit`` with a JSON body (comments.validation).
"""

import re

ACTIONS = ("activate", "delete", "edit")
# The links of the moderation e-mail.
EMAILED = ("activate", "delete")


def _pattern(actions):
    return re.compile(rf"^/id/(\d+)/({'|'.join(actions)})/([^/]+)$")


LINK = _pattern(ACTIONS)
# An edit, for the table of JSON bodies (comments.validation.BODY_SHAPES).
EDIT = _pattern(["edit"])


def parse(path):
    """``(comment number, action, key)`` of a moderation link's path, else None."""
    link = LINK.match(path)
    return (int(link[1]), link[2], link[3]) if link else None


def emailed(path):
    """True for the path of an e-mail's link, the page a moderator decides on."""
    link = parse(path)
    return link is not None and link[1] in EMAILED


def address(endpoint, number, action, key):
    """The link Isso answers at ``endpoint`` (its public address) for ``action`` on comment ``number``."""
    return f"{endpoint}/id/{number}/{action}/{key}"
