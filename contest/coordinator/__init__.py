"""Regional coordinators moderate their region's entries; organizers may act for any region."""

from .routes import bp

__all__ = ["bp"]
