"""The request hooks every surface shares: surface lookup, injected faults, the journal, the
state-file write notice, error rendering and dropped connections.

Installed once per app by :func:`install`; they are the only code that runs for every request.
"""

from __future__ import annotations

import logging
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from mockscim.engine import tokens
from mockscim.engine.faults import default_message
from mockscim.engine.journal import JournalEntry
from mockscim.engine.mock import Mock
from mockscim.engine.redaction import (
    install_log_redaction,
    redact,
    redact_body_text,
    redact_json_text,
    redact_query,
    redact_text,
)
from mockscim.http.context import json_response
from mockscim.http.surfaces import Surface, Surfaces

log = logging.getLogger("mockscim")
#: One line per answered request (``Settings.log_requests``): what the WSGI server's own
#: request line cannot say, i.e. the surface, the credential and the error kind.
request_log = logging.getLogger("mockscim.requests")

#: Bodies larger than this are journaled as a size note rather than parsed and kept.
JOURNAL_BODY_LIMIT = 64 * 1024
#: Environ key the fault hook sets when the connection must be dropped; the WSGI middleware
#: sees it after Flask has journaled the request and closes the socket.
DROP_KEY = "mockscim.fault.drop"
#: Requests carrying this environ key (the scenario builder's own calls) are never faulted.
INTERNAL_KEY = "mockscim.internal"
#: The control plane's own surface: never journaled, never faulted.
CONTROL_VENDOR = "mockscim"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _plain_error(status: int, message: str) -> Response:
    return json_response({"status": status, "error": message}, status)


def _body_for_journal(raw: bytes, content_type: str | None) -> tuple[str | None, bool]:
    """Redacted text of a body and whether it is labelled JSON; large bodies become a size
    note. A body labelled otherwise (or not at all) that parses as JSON is redacted as JSON:
    the vendors' servers parse it regardless of its Content-Type."""
    if not raw:
        return None, False
    if len(raw) > JOURNAL_BODY_LIMIT:
        return f"[{len(raw)} bytes]", False
    text = raw.decode("utf-8", "replace")
    if content_type and "json" in content_type:
        return redact_json_text(text), True
    return redact_body_text(text), False


def install(app: Flask, mock: Mock, surfaces: Surfaces) -> None:
    install_log_redaction("werkzeug", "mockscim", request_log.name)
    settings = mock.settings
    faults = mock.faults
    journal = mock.journal

    def fault_for(surface: Surface) -> Response | None:
        environ = request.environ
        if environ.get(INTERNAL_KEY):
            return None
        rule = faults.take(request.method, request.path, surface.vendor, surface.name)
        if rule is None:
            return None
        g.mockscim_error_kind = f"fault:{rule.id}"
        if rule.latency_ms:
            time.sleep(rule.latency_ms / 1000)
        if rule.drop:
            environ[DROP_KEY] = True
            g.mockscim_error_kind = f"fault:{rule.id}:drop"
            # Never sent: the middleware closes the socket instead. Status 0 in the journal.
            return Response(status=0)
        if rule.status is None:
            return None  # latency only: carry on with the real handler
        response = surface.render_error(rule.status, rule.message or default_message(rule.status))
        g.mockscim_error_kind = f"fault:{rule.id}"  # the renderer may have set its own kind
        if rule.retry_after is not None:
            response.headers["Retry-After"] = str(rule.retry_after)
        return response

    @app.before_request
    def _start() -> Response | None:
        g.mockscim_started = time.perf_counter()
        # Ids and tokens minted by this request come from this mock's (maybe seeded) source.
        g.mockscim_ids = tokens.activate(mock.ids)
        if request.environ.get(INTERNAL_KEY):  # the scenario builder: a 20k-member group
            request.max_content_length = settings.max_state_bytes
        path = request.path
        surface = surfaces.for_path(path)
        g.mockscim_surface = surface
        if len(path) > settings.max_path_length:
            # Ids are a few dozen characters; a 100k path is an attack or a bug. Answer in
            # the surface's own format (werkzeug's server would send an HTML page).
            message = f"The request path is longer than {settings.max_path_length} characters."
            g.mockscim_error_kind = "uri_too_long"
            if surface is None:
                return _plain_error(414, message)
            return surface.render_error(414, message)
        if request.method not in READ_METHODS:
            mock.note_write()
        if faults and surface is not None and surface.vendor != CONTROL_VENDOR:
            return fault_for(surface)
        return None

    @app.teardown_request
    def _ids_done(_error: BaseException | None) -> None:
        token = g.pop("mockscim_ids", None)
        if token is not None:
            try:
                tokens.deactivate(token)
            except ValueError:  # set in another context (never expected): nothing to undo
                pass

    @app.after_request
    def _written(response: Response) -> Response:
        # Marked again once the change is applied: a state-file write that started while
        # this request was still running has not seen it, and must not be the last one.
        if request.method not in READ_METHODS:
            mock.note_write()
        return response

    @app.after_request
    def _journal(response: Response) -> Response:
        # Proxies resolved once: this runs on every request and sits on the hot path.
        req = request._get_current_object()  # type: ignore[attr-defined]
        ctx = g._get_current_object()  # type: ignore[attr-defined]
        surface: Surface | None = getattr(ctx, "mockscim_surface", None)
        if surface is None or surface.vendor == CONTROL_VENDOR:
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
        redacted_query = redact_query(query.decode("utf-8", "replace")) if query else ""
        # Paths too: clients put tokens in them (``/Users/<token>``, a session in a path).
        path = redact_text(req.path)
        extra = getattr(ctx, "mockscim_extra", None)
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        credential = getattr(ctx, "mockscim_credential", "none")
        error_kind = getattr(ctx, "mockscim_error_kind", None)
        if settings.log_requests and request_log.isEnabledFor(logging.INFO):
            request_log.info(
                '%s "%s %s%s" %s %s credential=%s error=%s %.1fms',
                req.remote_addr or "-",
                req.method,
                path,
                f"?{redacted_query}" if redacted_query else "",
                response.status_code,
                surface.name,
                credential,
                error_kind or "-",
                latency_ms,
            )
        journal.append(
            JournalEntry(
                seq=journal.next_seq(),
                at=mock.clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                vendor=surface.vendor,
                surface=surface.name,
                method=req.method,
                path=path,
                query=redacted_query,
                status=response.status_code,
                latency_ms=latency_ms,
                credential=credential,
                directory_id=getattr(ctx, "mockscim_directory", None),
                error_kind=error_kind,
                request_text=request_text,
                request_is_json=request_json,
                response_text=response_text,
                response_is_json=response_json,
                extra=redact(extra) if extra else {},
            )
        )
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = error.description or error.name
        if status == 413:
            limit = request.max_content_length or settings.max_body_bytes
            message = f"The request body is larger than {limit} bytes."
        surface = surfaces.for_path(request.path)
        if surface is None:
            response = _plain_error(status, message)
        else:
            response = surface.render_error(status, message)
        allowed = getattr(error, "valid_methods", None)
        if status == 405 and allowed and "Allow" not in response.headers:
            # RFC 9110 15.5.6: a 405 lists the methods the resource supports. werkzeug's own
            # page carries it; a surface's renderer that sets none keeps werkzeug's list.
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # Never a traceback to the client; keep it for the pytest plugin to fail the test with.
        # Redacted: the pytest plugin prints these, and an exception's text may quote input.
        trace = redact_text(traceback.format_exc())
        log.error("unhandled error in %s %s\n%s", request.method, request.path, trace)
        mock.server_errors.append(trace)
        surface = surfaces.for_path(request.path)
        message = "mockscim internal error; see the server log."
        if surface is None:
            return _plain_error(500, message)
        return surface.render_error(500, message)

    app.wsgi_app = _DropMiddleware(app.wsgi_app)  # type: ignore[method-assign]


class _DropMiddleware:
    """Closes the client's socket without a response when a fault asked for a drop.

    On werkzeug's server the socket is shut down and a ``ConnectionResetError`` tells the
    server the peer is gone, so it writes nothing; clients see the connection close. On
    waitress, :mod:`mockscim.serving.wsgi` turns the error into waitress's own disconnect.
    Without a socket (Flask's test client) the ``ConnectionResetError`` reaches the caller;
    socket-free mode (:mod:`mockscim.testing.intercept`) raises each client's own error.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        result = self.wsgi_app(environ, start_response)
        if not environ.get(DROP_KEY):
            return result
        if hasattr(result, "close"):
            result.close()
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise ConnectionResetError("connection dropped by a mockscim fault")
