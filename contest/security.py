"""Response headers that keep the pages of a children's contest private to the app.

The status page's address holds the family's tracking code: ``Referrer-Policy`` keeps it
from other sites. Pages are never framed (clickjacking), scripts come only from the app,
and staff pages and the families' pages (which show a code) are never cached.
"""

from flask import Flask, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # a few computed style attributes (bars, masks)
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
}


def init_app(app: Flask) -> None:
    @app.after_request
    def secure_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        private = current_user.is_authenticated or request.blueprint == "submit"
        if private and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
