"""``/_mockscim``: the mock's own control plane (health, reset, clock, faults, journal, state).

No authentication: the server binds to loopback by default and these endpoints exist for
the test harness. Errors here are plain JSON ``{"error": ...}`` with a 4xx status.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim import faults as faults_module
from mockscim import startup
from mockscim.bodies import BodyError, request_json
from mockscim.clock import parse_instant
from mockscim.faults import FaultError, faults_of
from mockscim.runtime import Mock, Surface
from mockscim.statefile import snapshot_of

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
    try:
        return request_json()
    except BodyError as exc:
        raise AdminError(400, str(exc)) from exc


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


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
    faults_module.install(app, mock)
    mock.add_surface(Surface("mockscim", "mockscim", re.compile(rf"^{ADMIN_PREFIX}(/|$)"), _error))

    @bp.errorhandler(AdminError)
    def _admin_error(error: AdminError) -> Response:
        return _error(error.status, error.message)

    @bp.get("/health")
    def health() -> Response:
        return _json({"status": "ok"})

    @bp.post("/reset")
    def reset() -> Response:
        body = _body()
        unknown = set(body) - {"empty"}
        if unknown:
            raise AdminError(400, f"unknown reset field(s): {', '.join(sorted(unknown))}")
        return _json(startup.reset(mock, reseed=not body.get("empty")))

    @bp.get("/faults")
    def faults_get() -> Response:
        return _json(faults_module.rules_json(faults_of(mock)))

    @bp.post("/faults")
    def faults_post() -> Response:
        body = _body()
        items = body.get("faults", [body]) if "faults" in body else [body]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise AdminError(400, "'faults' must be a list of fault objects")
        faults = faults_of(mock)
        try:
            # Validate every rule before adding any, so a bad list changes nothing.
            for item in items:
                faults_module.FaultRule.from_json("check", item)
            added = [faults.add(item).to_json() for item in items]
        except FaultError as exc:
            raise AdminError(400, str(exc)) from exc
        return _json(added[0] if "faults" not in body else {"faults": added}, 201)

    @bp.delete("/faults")
    def faults_delete() -> Response:
        faults_of(mock).clear()
        return Response(status=204)

    @bp.delete("/faults/<rule_id>")
    def fault_delete(rule_id: str) -> Response:
        if not faults_of(mock).remove(rule_id):
            raise AdminError(404, f"no fault {rule_id!r}")
        return Response(status=204)

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
        since = args.get("since", "0")
        if not since.isdigit():
            raise AdminError(400, "'since' must be an integer (a journal seq)")
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
        after = int(since)
        items = [e.to_json() for e in entries if e.seq > after]
        return _json({"requests": items, "count": len(items)})

    @bp.delete("/requests")
    def requests_delete() -> Response:
        mock.journal.clear()
        return Response(status=204)

    @bp.get("/state")
    def state_get() -> Response:
        return _json(snapshot_of(mock))

    @bp.put("/state")
    def state_put() -> Response:
        """A snapshot replaces the state; so does a scenario, unless ``?merge=1`` (added to
        the current state). ``?baseline=1`` also makes the result what resets return to."""
        body = _body()
        merge = _flag("merge")
        try:
            report = startup.load_raw(mock, body, merge=merge)
        except ValueError as exc:
            raise AdminError(400, str(exc)) from exc
        if _flag("baseline"):
            startup.set_baseline(mock)
        return _json(report)

    app.register_blueprint(bp)
