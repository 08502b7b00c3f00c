"""The organizer's set-up of a contest year, in the browser."""

from .routes import bp

__all__ = ["bp"]
