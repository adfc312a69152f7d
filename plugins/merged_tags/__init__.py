"""One tag for every spelling that gives one address: `économie`, `Économie` and `economie` are one tag."""

from .merged_tags import register

__all__ = ["register"]
