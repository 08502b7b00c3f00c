"""Public pages for families and schools: submit a drawing, follow its status."""

from .routes import bp

__all__ = ["bp"]
