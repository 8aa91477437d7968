"""Security headers on every response the bot or the dashboard serves.

The dashboard shows text that pull requests chose (benchmark names, units, the report), and
escaping is the first defence; these headers are the second, for the day an escape is missed:
a Content-Security-Policy that loads nothing from elsewhere (no attacker image, script or
frame, even if markup got through), no MIME sniffing (a JSON answer is never run as HTML), no
framing (no clickjacking of the pages), and no referrer leaking a private run's URL.
"""

from __future__ import annotations

from flask import Flask, Response

# pygal's inline SVG carries its own <style> elements, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def install(app: Flask) -> None:
    """Every response of `app`, errors included, carries `SECURITY_HEADERS`."""
    app.after_request(_secured)
