"""A link to a video, written as a thumbnail stored on the site, becomes a card: nothing is loaded from the video's host before a click."""

from .video_cards import register

__all__ = ["register"]
