from .legal_facts import register

__all__ = ["register"]
