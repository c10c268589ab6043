"""``/_mockscim/ui``: a small browser dashboard served by the mock itself.

Plain HTML, one JavaScript module and one stylesheet shipped as package data (no build step,
no CDN). The page reads everything through the control-plane HTTP API (``/_mockscim/state``,
``/requests``, ``/faults``, ``/clock``, ``/reset``) and rotates tokens through the vendors' own
public APIs, with the credentials the control plane's ``GET /_mockscim/info`` hands it; it has
no other path to the store, and it names no vendor package (the vendors it shows are the ones
``/_mockscim/info`` and ``/_mockscim/state`` report).

Self-contained on purpose: ``register(app)`` is the only entry point.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response

UI_PREFIX = "/_mockscim/ui"
STATIC_DIR = Path(__file__).with_name("static")

#: The page loads nothing but its own files and talks only to this server.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def register(app: Flask) -> None:
    """Serve the page at ``/_mockscim/ui`` and its files under ``/_mockscim/ui/static``.

    The page gets a strict Content-Security-Policy and ``no-store``: it is only ever a view
    of the live mock, and it must not run or load anything but its own files."""
    bp = Blueprint(
        "mockscim_ui",
        __name__,
        static_folder=str(STATIC_DIR),
        static_url_path=f"{UI_PREFIX}/static",
    )

    @bp.get(UI_PREFIX)
    @bp.get(f"{UI_PREFIX}/")
    def index() -> Response:
        html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
        response = Response(html, content_type="text/html; charset=utf-8")
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["Referrer-Policy"] = "no-referrer"
        return _no_store(response)

    @bp.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    app.register_blueprint(bp)
