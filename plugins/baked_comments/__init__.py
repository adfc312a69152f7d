from .baked_comments import register

__all__ = ["register"]
