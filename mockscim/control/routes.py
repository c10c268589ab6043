"""``/_mockscim``: the mock's own control plane (health, reset, clock, faults, journal, state),
the server side of :mod:`mockscim.control.client`.

No authentication: the server binds to loopback by default and these endpoints exist for
the test harness. Errors here are plain JSON ``{"error": ...}`` with a 4xx status.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim.engine.clock import parse_instant
from mockscim.engine.faults import FaultError, rules_json
from mockscim.engine.mock import Mock
from mockscim.engine.patterns import PatternError
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import json_response
from mockscim.http.hooks import CONTROL_VENDOR
from mockscim.http.surfaces import Surface, Surfaces
from mockscim.vendors import VENDORS

CONTROL_PREFIX = "/_mockscim"


class ControlPlaneError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> Response:
    return json_response({"error": message, "status": status}, status)


def _body() -> dict[str, Any]:
    try:
        return request_json()
    except BodyError as exc:
        raise ControlPlaneError(400, str(exc)) from exc


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def apply_clock_change(mock: Mock, body: dict[str, Any]) -> dict[str, Any]:
    """Apply ``{"freeze": true|instant, "set": instant, "advance": seconds, "unfreeze": true,
    "reset": true}`` (any combination, in that order) and return the clock's new reading."""
    known = {"freeze", "set", "advance", "unfreeze", "reset"}
    unknown = set(body) - known
    if unknown:
        raise ControlPlaneError(400, f"unknown clock field(s): {', '.join(sorted(unknown))}")
    clock = mock.clock
    try:
        if body.get("reset"):
            clock.reset()
        freeze = body.get("freeze")
        if freeze:
            clock.freeze(parse_instant(freeze) if isinstance(freeze, str) else None)
        if body.get("set") is not None:
            if not isinstance(body["set"], str):
                raise ControlPlaneError(400, "'set' must be an RFC 3339 instant")
            clock.set(parse_instant(body["set"]))
        if body.get("advance") is not None:
            advance = body["advance"]
            if isinstance(advance, bool) or not isinstance(advance, int | float):
                raise ControlPlaneError(400, "'advance' must be a number of seconds")
            clock.advance(float(advance))
        if body.get("unfreeze"):
            clock.unfreeze()
    except ValueError as exc:
        raise ControlPlaneError(400, f"invalid instant: {exc}") from exc
    return clock.to_json()


def register(app: Flask, mock: Mock, surfaces: Surfaces) -> None:
    bp = Blueprint("mockscim_control", __name__, url_prefix=CONTROL_PREFIX)
    surfaces.add(
        Surface(CONTROL_VENDOR, CONTROL_VENDOR, re.compile(rf"^{CONTROL_PREFIX}(/|$)"), _error)
    )

    @bp.errorhandler(ControlPlaneError)
    def _control_error(error: ControlPlaneError) -> Response:
        return _error(error.status, error.message)

    @bp.get("/health")
    def health() -> Response:
        # Which behaviour profile each vendor runs under, so a client can tell what it tests.
        profiles = {
            name: profile
            for name, vendor in VENDORS.items()
            if (profile := vendor.profile(mock.settings)) is not None
        }
        return json_response({"status": "ok", "profiles": profiles})

    @bp.post("/reset")
    def reset() -> Response:
        body = _body()
        unknown = set(body) - {"empty"}
        if unknown:
            raise ControlPlaneError(400, f"unknown reset field(s): {', '.join(sorted(unknown))}")
        return json_response(mock.reset(reseed=not body.get("empty")))

    @bp.get("/faults")
    def faults_get() -> Response:
        return json_response(rules_json(mock.faults))

    @bp.post("/faults")
    def faults_post() -> Response:
        body = _body()
        items = body.get("faults", [body]) if "faults" in body else [body]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ControlPlaneError(400, "'faults' must be a list of fault objects")
        try:
            added = [rule.to_json() for rule in mock.faults.add_many(items)]
        except FaultError as exc:
            raise ControlPlaneError(400, str(exc)) from exc
        return json_response(added[0] if "faults" not in body else {"faults": added}, 201)

    @bp.delete("/faults")
    def faults_delete() -> Response:
        mock.faults.clear()
        return Response(status=204)

    @bp.delete("/faults/<rule_id>")
    def fault_delete(rule_id: str) -> Response:
        if not mock.faults.remove(rule_id):
            raise ControlPlaneError(404, f"no fault {rule_id!r}")
        return Response(status=204)

    @bp.get("/clock")
    def clock_get() -> Response:
        return json_response(mock.clock.to_json())

    @bp.post("/clock")
    def clock_post() -> Response:
        return json_response(apply_clock_change(mock, _body()))

    @bp.get("/requests")
    def requests_get() -> Response:
        args = request.args
        status = args.get("status")
        if status is not None and not status.isdigit():
            raise ControlPlaneError(400, "'status' must be an integer")
        since = args.get("since", "0")
        if not since.isdigit():
            raise ControlPlaneError(400, "'since' must be an integer (a journal seq)")
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
        except PatternError as exc:
            raise ControlPlaneError(400, str(exc)) from exc
        after = int(since)
        items = [e.to_json() for e in entries if e.seq > after]
        return json_response({"requests": items, "count": len(items)})

    @bp.delete("/requests")
    def requests_delete() -> Response:
        mock.journal.clear()
        return Response(status=204)

    @bp.get("/state")
    def state_get() -> Response:
        return json_response(mock.snapshot())

    @bp.put("/state")
    def state_put() -> Response:
        """A snapshot replaces the state; so does a scenario, unless ``?merge=1`` (added to
        the current state). ``?baseline=1`` also makes the result what resets return to."""
        body = _body()
        merge = _flag("merge")
        try:
            report = mock.load(body, merge=merge)
        except ValueError as exc:
            raise ControlPlaneError(400, str(exc)) from exc
        if _flag("baseline"):
            mock.set_baseline()
        return json_response(report)

    app.register_blueprint(bp)
