"""The accessibility statement's figures, from the project's own axe-core sweep, given to the templates."""

from .accessibility_statement import register

__all__ = ["register"]
