"""Pelican's URLs computed once per document and per tag while pages are written.

Pelican formats a document's URL from its pattern, a copy of its metadata and its
source path at every access, and a tag's or a category's likewise; our listings ask
dozens of times a page, and at 1,000 chronicles that was a third of the time spent
rendering. Once every generator has built its context (`all_generators_finalized`)
nothing those URLs depend on changes, so from then until the build ends each is
computed once and kept on its object. Before that signal, and outside a build,
Pelican's own code runs unchanged.
"""

from contextlib import contextmanager
import functools

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

MEMO = "_zohe_urls"  # the attribute each object keeps its URLs in
_state = {"frozen": False}


def _memoized(compute):
    @functools.wraps(compute)
    def lookup(self, key, *args, **kwargs):
        if not _state["frozen"]:
            return compute(self, key, *args, **kwargs)
        memo = self.__dict__.setdefault(MEMO, {})
        slot = (key, *args, *sorted(kwargs.items()))
        try:
            return memo[slot]
        except KeyError:
            value = memo[slot] = compute(self, key, *args, **kwargs)
            return value

    return lookup


Content.get_url_setting = _memoized(Content.get_url_setting)
# URLWrapper's properties hold a partial of the function itself, so they are rebuilt.
URLWrapper._from_settings = _memoized(URLWrapper._from_settings)
URLWrapper.url = property(functools.partial(URLWrapper._from_settings, key="URL"))
URLWrapper.save_as = property(functools.partial(URLWrapper._from_settings, key="SAVE_AS"))
URLWrapper.page_name = property(
    functools.partial(URLWrapper._from_settings, key="URL", get_page_name=True)
)


def _freeze(_generators):
    _state["frozen"] = True


@contextmanager
def frozen_while_writing():
    """Within a build: URLs are memoized from `all_generators_finalized` to the end."""
    signals.all_generators_finalized.connect(_freeze)
    try:
        yield
    finally:
        signals.all_generators_finalized.disconnect(_freeze)
        _state["frozen"] = False
