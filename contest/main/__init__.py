"""Public pages: the current contest, the language switch."""

from .routes import bp

__all__ = ["bp"]
