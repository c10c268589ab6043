"""``create_app``: one Flask app serving both vendors, the SCIM servers and the control plane."""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from mockscim.clock import Clock, format_instant, parse_instant
from mockscim.journal import Journal, JournalEntry, redact, redact_text
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


def _body_for_journal(raw: bytes, content_type: str | None) -> Any:
    if not raw:
        return None
    if len(raw) > JOURNAL_BODY_LIMIT:
        return f"[{len(raw)} bytes]"
    if content_type and "json" in content_type:
        try:
            return redact(json.loads(raw))
        except ValueError:
            pass
    return redact_text(raw.decode("utf-8", "replace"))


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
        surface: Surface | None = g.get("mockscim_surface")
        if surface is None or surface.vendor == "mockscim":
            return response
        started = g.get("mockscim_started", time.perf_counter())
        try:
            request_raw = request.get_data(cache=True)
        except HTTPException:
            request_raw = b""
        response_raw = b"" if response.direct_passthrough else response.get_data()
        mock.journal.append(
            JournalEntry(
                seq=mock.journal.next_seq(),
                at=format_instant(mock.clock.now()) or "",
                vendor=surface.vendor,
                surface=surface.name,
                method=request.method,
                path=request.path,
                query=redact_text(request.query_string.decode("utf-8", "replace")),
                status=response.status_code,
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
                credential=g.get("mockscim_credential", "none"),
                directory_id=g.get("mockscim_directory"),
                error_kind=g.get("mockscim_error_kind"),
                request_body=_body_for_journal(request_raw, request.content_type),
                response_body=_body_for_journal(response_raw, response.content_type),
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
