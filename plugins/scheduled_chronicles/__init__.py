"""When the next chronicle dated in the future is due, for the publishing code to rebuild on time."""

from .scheduled_chronicles import register

__all__ = ["register"]
