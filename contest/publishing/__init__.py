"""From results to paper: the facts library, the calendar, certificates, the yearly report,
and the pages that follow background jobs."""

from .routes import bp

__all__ = ["bp"]
