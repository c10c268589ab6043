"""``/_mockscim``: the mock's own control plane (health, reset, clock, journal, state).

No authentication: the server binds to loopback by default and these endpoints exist for
the test harness. Errors here are plain JSON ``{"error": ...}`` with a 4xx status.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim.clock import format_instant, parse_instant
from mockscim.runtime import Mock, Surface

ADMIN_PREFIX = "/_mockscim"


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _error(status: int, message: str) -> Response:
    return _json({"error": message, "status": status}, status)


def _body() -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise AdminError(400, f"body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise AdminError(400, "body must be a JSON object")
    return body


def apply_clock_change(mock: Mock, body: dict[str, Any]) -> dict[str, Any]:
    """Apply ``{"freeze": true|instant, "set": instant, "advance": seconds, "unfreeze": true,
    "reset": true}`` (any combination, in that order) and return the clock's new reading."""
    known = {"freeze", "set", "advance", "unfreeze", "reset"}
    unknown = set(body) - known
    if unknown:
        raise AdminError(400, f"unknown clock field(s): {', '.join(sorted(unknown))}")
    clock = mock.clock
    try:
        if body.get("reset"):
            clock.reset()
        freeze = body.get("freeze")
        if freeze:
            clock.freeze(parse_instant(freeze) if isinstance(freeze, str) else None)
        if body.get("set") is not None:
            if not isinstance(body["set"], str):
                raise AdminError(400, "'set' must be an RFC 3339 instant")
            clock.set(parse_instant(body["set"]))
        if body.get("advance") is not None:
            advance = body["advance"]
            if isinstance(advance, bool) or not isinstance(advance, int | float):
                raise AdminError(400, "'advance' must be a number of seconds")
            clock.advance(float(advance))
        if body.get("unfreeze"):
            clock.unfreeze()
    except ValueError as exc:
        raise AdminError(400, f"invalid instant: {exc}") from exc
    return clock.to_json()


def register(app: Flask, mock: Mock) -> None:
    bp = Blueprint("mockscim_admin", __name__, url_prefix=ADMIN_PREFIX)
    mock.add_surface(Surface("mockscim", "mockscim", re.compile(rf"^{ADMIN_PREFIX}(/|$)"), _error))

    @bp.errorhandler(AdminError)
    def _admin_error(error: AdminError) -> Response:
        return _error(error.status, error.message)

    @bp.get("/health")
    def health() -> Response:
        return _json({"status": "ok"})

    @bp.post("/reset")
    def reset() -> Response:
        mock.reset()
        return _json({"status": "reset", "generation": mock.store.generation})

    @bp.get("/clock")
    def clock_get() -> Response:
        return _json(mock.clock.to_json())

    @bp.post("/clock")
    def clock_post() -> Response:
        return _json(apply_clock_change(mock, _body()))

    @bp.get("/requests")
    def requests_get() -> Response:
        args = request.args
        status = args.get("status")
        if status is not None and not status.isdigit():
            raise AdminError(400, "'status' must be an integer")
        try:
            entries = mock.journal.entries(
                vendor=args.get("vendor"),
                surface=args.get("surface"),
                method=args.get("method"),
                path=args.get("path"),
                status=int(status) if status else None,
                credential=args.get("credential"),
                directory_id=args.get("directory_id"),
            )
        except re.error as exc:
            raise AdminError(400, f"'path' is not a valid pattern: {exc}") from exc
        return _json({"requests": [e.to_json() for e in entries], "count": len(entries)})

    @bp.delete("/requests")
    def requests_delete() -> Response:
        mock.journal.clear()
        return Response(status=204)

    @bp.get("/state")
    def state_get() -> Response:
        snapshot = mock.store.snapshot()
        snapshot["clock"] = {"now": format_instant(mock.clock.now()), "mode": mock.clock.mode}
        return _json(snapshot)

    @bp.put("/state")
    def state_put() -> Response:
        body = _body()
        body.pop("clock", None)
        try:
            mock.store.restore(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise AdminError(400, f"invalid state snapshot: {exc}") from exc
        return _json({"status": "restored", **mock.store.stats()})

    app.register_blueprint(bp)
