"""``create_app``: one Flask app serving both vendors, the SCIM servers and the control plane."""

from __future__ import annotations

import json
import logging
import re
import time
import traceback

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from mockscim.clock import Clock, parse_instant
from mockscim.journal import Journal, JournalEntry, redact_json_text, redact_text
from mockscim.runtime import Mock, Surface
from mockscim.settings import Settings
from mockscim.store import Store

log = logging.getLogger("mockscim")

#: Bodies larger than this are journaled as a size note rather than parsed and kept.
JOURNAL_BODY_LIMIT = 64 * 1024


def _json_error(status: int, message: str) -> Response:
    return Response(
        json.dumps({"status": status, "error": message}),
        status=status,
        content_type="application/json",
    )


def _body_for_journal(raw: bytes, content_type: str | None) -> tuple[str | None, bool]:
    """Redacted text of a body and whether it is JSON; large bodies become a size note."""
    if not raw:
        return None, False
    if len(raw) > JOURNAL_BODY_LIMIT:
        return f"[{len(raw)} bytes]", False
    text = raw.decode("utf-8", "replace")
    if content_type and "json" in content_type:
        return redact_json_text(text), True
    return redact_text(text), False


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask("mockscim")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    clock = Clock(parse_instant(settings.frozen_at) if settings.frozen_at else None)
    mock = Mock(settings, Store(), clock, Journal(settings.journal_size))
    app.extensions["mockscim"] = mock

    from mockscim import admin, openapi
    from mockscim.vendors import ssoready, stytch

    admin.register(app, mock)
    openapi.register(app, mock)
    stytch.register(app, mock)
    ssoready.register(app, mock)

    @app.before_request
    def _start() -> Response | None:
        g.mockscim_started = time.perf_counter()
        g.mockscim_surface = mock.surface_for(request.path)
        for hook in mock.extensions.get("before_request_hooks", []):
            answer = hook()
            if answer is not None:
                return answer
        return None

    @app.after_request
    def _journal(response: Response) -> Response:
        # Proxies resolved once: this runs on every request and sits on the hot path.
        req = request._get_current_object()  # type: ignore[attr-defined]
        ctx = g._get_current_object()  # type: ignore[attr-defined]
        surface: Surface | None = getattr(ctx, "mockscim_surface", None)
        if surface is None or surface.vendor == "mockscim":
            return response
        started = getattr(ctx, "mockscim_started", None) or time.perf_counter()
        request_raw = b""
        if req.content_length:
            try:
                request_raw = req.get_data(cache=True)
            except HTTPException:
                pass
        response_raw = b"" if response.direct_passthrough else response.get_data()
        request_text, request_json = _body_for_journal(request_raw, req.content_type)
        response_text, response_json = _body_for_journal(response_raw, response.content_type)
        query = req.query_string
        journal = mock.journal
        journal.append(
            JournalEntry(
                seq=journal.next_seq(),
                at=mock.clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                vendor=surface.vendor,
                surface=surface.name,
                method=req.method,
                path=req.path,
                query=redact_text(query.decode("utf-8", "replace")) if query else "",
                status=response.status_code,
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
                credential=getattr(ctx, "mockscim_credential", "none"),
                directory_id=getattr(ctx, "mockscim_directory", None),
                error_kind=getattr(ctx, "mockscim_error_kind", None),
                request_text=request_text,
                request_is_json=request_json,
                response_text=response_text,
                response_is_json=response_json,
                extra=getattr(ctx, "mockscim_extra", None) or {},
            )
        )
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = error.description or error.name
        if status == 413:
            message = f"The request body is larger than {settings.max_body_bytes} bytes."
        surface = mock.surface_for(request.path)
        if surface is None:
            return _json_error(status, message)
        return surface.render_error(status, message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # Never a traceback to the client; keep it for the pytest plugin to fail the test with.
        trace = traceback.format_exc()
        log.error("unhandled error in %s %s\n%s", request.method, request.path, trace)
        mock.extensions.setdefault("server_errors", []).append(trace)
        surface = mock.surface_for(request.path)
        message = "mockscim internal error; see the server log."
        if surface is None:
            return _json_error(500, message)
        return surface.render_error(500, message)

    return app


def mock_of(app: Flask) -> Mock:
    return app.extensions["mockscim"]


ADMIN_PATTERN = re.compile(r"^/_mockscim(/|$)")
