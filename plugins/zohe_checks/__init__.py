from .zohe_checks import register

__all__ = ["register"]
