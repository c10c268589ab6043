"""``/_mockscim``: the mock's own control plane (health, info, reset, clock, faults, journal,
state, webhooks), the server side of :mod:`mockscim.control.client`.

Guarded by :func:`guard` because it can replace every token digest: requests must name a
loopback host, an IP literal or an allowed host (DNS rebinding), writes must be
``application/json`` (no cross-site "simple" POST), and with ``Settings.control_token`` set
every call but health needs the ``X-Mockscim-Control-Token`` header. Errors here are plain
JSON ``{"error": ..., "status": ...}`` with a 4xx status.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, request

from mockscim.control import webhooks as webhook_routes
from mockscim.engine.clock import parse_instant
from mockscim.engine.faults import FaultError, rules_json
from mockscim.engine.mock import Mock
from mockscim.engine.patterns import PatternError
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import json_response, public_url
from mockscim.http.hooks import CONTROL_VENDOR, INTERNAL_KEY
from mockscim.http.surfaces import Surface, Surfaces
from mockscim.settings import Settings
from mockscim.vendors import VENDORS
from mockscim.version import __version__

CONTROL_PREFIX = "/_mockscim"
#: The header that carries ``Settings.control_token``.
CONTROL_TOKEN_HEADER = "X-Mockscim-Control-Token"
#: Paths answered without the control token: liveness, and the dashboard's static files
#: (the dashboard itself sends the token on its API calls).
TOKEN_EXEMPT = (f"{CONTROL_PREFIX}/health", f"{CONTROL_PREFIX}/ui")
#: Methods whose body must be JSON: a browser sends a cross-site POST with a text/plain or
#: form body without asking first, never one with ``application/json``.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: Control-plane endpoints, for the index at ``/`` and ``/_mockscim/``.
ENDPOINTS = {
    "GET /_mockscim/health": "liveness: {'status': 'ok'}",
    "GET /_mockscim/info": "version and the credentials this mock accepts",
    "POST /_mockscim/reset": "back to the loaded scenario ({'empty': true}: empty)",
    "GET|POST /_mockscim/clock": "read or change the mock's clock",
    "GET|POST|DELETE /_mockscim/faults": "list, add or clear injected faults",
    "DELETE /_mockscim/faults/{id}": "remove one fault",
    "GET|DELETE /_mockscim/requests": "the request journal (filters: vendor, surface, method, "
    "path, status, credential, directory_id, since); clear it",
    "GET|PUT /_mockscim/state": "snapshot; restore a snapshot or load a scenario",
    "GET /_mockscim/openapi/": "the OpenAPI documents of every surface",
}


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


#: A journal seq is a counter: 19 digits outlast any run.
MAX_SEQ_DIGITS = 19


def _decimal(text: str, max_digits: int) -> bool:
    """Whether ``text`` is ASCII digits only, at most ``max_digits`` of them."""
    return text.isascii() and text.isdigit() and len(text) <= max_digits


#: How deep :func:`json_chunks` descends before encoding a value whole: to the records of
#: a snapshot (``directories[i].users[j]``, ``vendors.<name>.<kind>[j]``).
STREAM_DEPTH = 4
#: Bytes gathered before a chunk is handed to the server.
CHUNK_BYTES = 256 * 1024


def _pieces(value: Any, depth: int) -> Iterator[str]:
    if depth == 0 or not isinstance(value, dict | list) or not value:
        yield json.dumps(value)
        return
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield (", " if index else "") + json.dumps(key) + ": "
            yield from _pieces(item, depth - 1)
        yield "}"
        return
    yield "["
    for index, item in enumerate(value):
        if index:
            yield ", "
        yield from _pieces(item, depth - 1)
    yield "]"


def json_chunks(value: Any, depth: int = STREAM_DEPTH) -> Iterator[bytes]:
    """``value`` as JSON (the text ``json.dumps`` would give), in chunks of about
    :data:`CHUNK_BYTES`, encoding one record at a time."""
    buffer: list[str] = []
    size = 0
    for piece in _pieces(value, depth):
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def host_allowed(host_header: str, settings: Settings) -> bool:
    """Whether a ``Host`` header names this server: a loopback name, an IP literal (DNS
    rebinding needs a domain name the attacker controls), ``public_url``'s host or one of
    ``Settings.allowed_hosts`` (``*`` allows any)."""
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8765
        name = host[1 : host.find("]")] if "]" in host else host[1:]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    allowed = {h.strip().lower().rstrip(".") for h in settings.allowed_hosts}
    if settings.public_url:
        allowed.add((urlsplit(settings.public_url).hostname or "").lower())
    return "*" in allowed or (bool(name) and name in allowed)


def guard(settings: Settings) -> Response | None:
    """The control plane's admission check (see the module docstring); None admits."""
    path = request.path
    if path != CONTROL_PREFIX and not path.startswith(CONTROL_PREFIX + "/"):
        return None
    if request.environ.get(INTERNAL_KEY):
        return None  # the scenario builder's own calls
    if not host_allowed(request.host, settings):
        return _error(
            403,
            f"Host {request.host!r} is not this mock's address; start it with "
            "--allow-host or --public-url to answer under that name",
        )
    token = settings.control_token
    if token and not path.startswith(TOKEN_EXEMPT):
        sent = request.headers.get(CONTROL_TOKEN_HEADER, "")
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return _error(401, f"the control plane needs the {CONTROL_TOKEN_HEADER} header")
    if request.method in BODY_METHODS and request.mimetype != "application/json":
        return _error(
            415, "control-plane writes need 'Content-Type: application/json' (cross-site guard)"
        )
    return None


def info(settings: Settings) -> dict[str, Any]:
    """``GET /_mockscim/info``: the version and, per vendor, every credential setting without
    its vendor prefix (``{"stytch": {"project_id": ..., "secret": ...}}``), so a client of
    a running mock (the contract harness, a dashboard) needs no vendor variables."""
    out: dict[str, Any] = {"version": __version__}
    for vendor in VENDORS.values():
        prefix = vendor.name + "_"
        out[vendor.name] = {
            option.field.removeprefix(prefix): getattr(settings, option.field)
            for option in vendor.options
            if option.credential
        }
    # Which behaviour profile each vendor runs under, so a client can tell what it tests.
    out["profiles"] = {
        vendor.name: profile
        for vendor in VENDORS.values()
        if (profile := vendor.profile(settings)) is not None
    }
    out["control_token_required"] = bool(settings.control_token)
    return out


def index(root: str) -> dict[str, Any]:
    """What ``GET /`` and ``GET /_mockscim/`` answer: every surface and control endpoint."""
    return {
        "name": "mockscim",
        "version": __version__,
        "surfaces": [
            {
                "name": surface.name,
                "vendor": vendor.name,
                "title": surface.title,
                "base": root + surface.prefix,
                "openapi": f"{root}{CONTROL_PREFIX}/openapi/{surface.name}.json",
            }
            for vendor in VENDORS.values()
            for surface in vendor.openapi_surfaces()
        ],
        "control": {"base": root + CONTROL_PREFIX, "endpoints": ENDPOINTS},
    }


#: The latest instant the clock may show: far enough for any test, early enough that every
#: expiry computed from it (tokens live at most a few years) still fits a ``datetime``.
LATEST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)
#: The earliest: before it, "minus a token lifetime" would underflow.
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)


def _check_instant(at: datetime, what: str) -> datetime:
    if not EARLIEST_INSTANT <= at <= LATEST_INSTANT:
        raise ControlPlaneError(
            400,
            f"{what} {at.isoformat()} is outside the supported range "
            f"{EARLIEST_INSTANT.date()} .. {LATEST_INSTANT.date()}",
        )
    return at


def apply_clock_change(mock: Mock, body: dict[str, Any]) -> dict[str, Any]:
    """Apply ``{"freeze": true|instant, "set": instant, "advance": seconds, "unfreeze": true,
    "reset": true}`` (any combination, in that order) and return the clock's new reading.

    Everything is validated first, on a simulated reading, so a bad field changes nothing:
    an instant outside :data:`EARLIEST_INSTANT`..:data:`LATEST_INSTANT` or a non-finite
    advance is a 400 and the clock keeps its reading."""
    known = {"freeze", "set", "advance", "unfreeze", "reset"}
    unknown = set(body) - known
    if unknown:
        raise ControlPlaneError(400, f"unknown clock field(s): {', '.join(sorted(unknown))}")
    clock = mock.clock
    freeze = body.get("freeze")
    if freeze is not None and not isinstance(freeze, bool | str):
        raise ControlPlaneError(400, "'freeze' must be true or an RFC 3339 instant")
    try:
        freeze_at = parse_instant(freeze) if isinstance(freeze, str) else None
        if body.get("set") is not None:
            if not isinstance(body["set"], str):
                raise ControlPlaneError(400, "'set' must be an RFC 3339 instant")
            set_at: datetime | None = parse_instant(body["set"])
        else:
            set_at = None
    except (ValueError, OverflowError) as exc:
        raise ControlPlaneError(400, f"invalid instant: {exc}") from exc
    advance: float | None = None
    if body.get("advance") is not None:
        raw = body["advance"]
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ControlPlaneError(400, "'advance' must be a number of seconds")
        try:
            advance = float(raw)
        except OverflowError as exc:  # an int too large for a float
            raise ControlPlaneError(400, "'advance' is out of range") from exc
        if not math.isfinite(advance):
            raise ControlPlaneError(400, "'advance' must be a finite number of seconds")
    # Simulate: where will the clock read once every step is applied?
    reading = datetime.now(UTC) if body.get("reset") else clock.now()
    if freeze_at is not None:
        reading = _check_instant(freeze_at, "'freeze'")
    if set_at is not None:
        reading = _check_instant(set_at, "'set'")
    if advance is not None:
        span = (LATEST_INSTANT - EARLIEST_INSTANT).total_seconds()
        if abs(advance) > span:
            raise ControlPlaneError(400, "'advance' is out of range")
        _check_instant(reading + timedelta(seconds=advance), "the advanced clock")
    with mock.store.lock:
        if body.get("reset"):
            clock.reset()
        if freeze:
            clock.freeze(freeze_at)
        if set_at is not None:
            clock.set(set_at)
        if advance is not None:
            clock.advance(advance)
        if body.get("unfreeze"):
            clock.unfreeze()
    return clock.to_json()


def register(app: Flask, mock: Mock, surfaces: Surfaces) -> None:
    bp = Blueprint("mockscim_control", __name__, url_prefix=CONTROL_PREFIX)
    surfaces.add(
        Surface(CONTROL_VENDOR, CONTROL_VENDOR, re.compile(rf"^{CONTROL_PREFIX}(/|$)"), _error)
    )

    @bp.errorhandler(ControlPlaneError)
    def _control_error(error: ControlPlaneError) -> Response:
        return _error(error.status, error.message)

    settings = mock.settings
    app.before_request(lambda: guard(settings))

    @app.get("/")
    @bp.get("/")
    def root_index() -> Response:
        return json_response(index(public_url()))

    @bp.get("/health")
    def health() -> Response:
        return json_response({"status": "ok"})

    @bp.get("/info")
    def info_get() -> Response:
        # It carries the mock's credentials: never cached by the browser or a proxy.
        response = json_response(info(settings))
        response.headers["Cache-Control"] = "no-store"
        return response

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
        reading = apply_clock_change(mock, _body())
        mock.webhooks.wake()  # retries the move made due go out now, not at the next poll
        return json_response(reading)

    @bp.get("/requests")
    def requests_get() -> Response:
        args = request.args
        status = args.get("status")
        if status is not None and not _decimal(status, 3):
            raise ControlPlaneError(400, "'status' must be an HTTP status (an integer)")
        since = args.get("since", "0")
        # int() refuses 5,000 digits (ValueError: the int string conversion limit).
        if not _decimal(since, MAX_SEQ_DIGITS):
            raise ControlPlaneError(
                400, f"'since' must be an integer of at most {MAX_SEQ_DIGITS} digits (a seq)"
            )
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
        # Streamed record by record: at 50k users the snapshot is ~84 MB of JSON, which as
        # one string (plus its bytes) more than doubled the memory a snapshot takes.
        return Response(json_chunks(mock.snapshot()), content_type="application/json")

    @bp.put("/state")
    def state_put() -> Response:
        """A snapshot replaces the state; so does a scenario, unless ``?merge=1`` (added to
        the current state). ``?baseline=1`` also makes the result what resets return to.
        Its body may be as large as ``Settings.max_state_bytes``: a snapshot of 600 users is
        already past ``max_body_bytes``, and the mock must take back what it gives out."""
        request.max_content_length = settings.max_state_bytes
        body = _body()
        merge = _flag("merge")
        try:
            report = mock.load(body, merge=merge)
        except ValueError as exc:
            raise ControlPlaneError(400, str(exc)) from exc
        if _flag("baseline"):
            mock.set_baseline()
        return json_response(report)

    webhook_routes.register(bp, mock, _body, ControlPlaneError)
    app.register_blueprint(bp)
