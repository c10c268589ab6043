"""The hostile-input catalogue, over every surface: the Stytch API, Stytch's SCIM server, the
SSOReady API, SSOReady's SCIM server and the mockscim control plane.

Every case must be answered with a 4xx in that surface's own error format, log no traceback
(``mock.server_errors`` stays empty), leave the server healthy, and leave the state snapshot,
the clock and the fault list exactly as they were. Each case was a 500, a hang or a silent
change before it was fixed (see CHANGELOG.md, "Unreleased").

SSOReady runs in its ``rfc`` profile here: in ``exact`` the real server's handlers panic on
much of this input and the mock reproduces that on purpose (the connection closes, see
SUPPORTED.md and ``tests/ssoready/test_exact_crash_and_log.py``).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from mockscim.app import create_app
from mockscim.engine.faults import rules_json
from mockscim.http.context import mock_of
from mockscim.settings import Settings

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
DEEP = ("[" * 10_000 + "]" * 10_000).encode()
FROZEN = "2030-01-01T00:00:00Z"


def stytch_format(status: int, body: Any) -> bool:
    """Stytch: ``status_code``, ``request_id``, ``error_type``, ``error_message``."""
    return (
        isinstance(body, dict)
        and body.get("status_code") == status
        and isinstance(body.get("error_type"), str)
        and isinstance(body.get("error_message"), str)
    )


def scim_format(status: int, body: Any) -> bool:
    """RFC 7644 3.12: the Error schema, ``status`` as a string, a ``detail``."""
    return (
        isinstance(body, dict)
        and body.get("schemas") == [SCIM_ERROR]
        and body.get("status") == str(status)
        and bool(body.get("detail"))
    )


def ssoready_format(status: int, body: Any) -> bool:
    """SSOReady (Connect behind vanguard): ``code``, ``message``, ``details``."""
    return isinstance(body, dict) and set(body) == {"code", "message", "details"}


def control_format(status: int, body: Any) -> bool:
    return isinstance(body, dict) and body.get("status") == status and bool(body.get("error"))


@dataclass
class Surface:
    name: str
    #: A route that takes a JSON body and writes (the body cases go here).
    write_path: str
    #: A path prefix below which an over-long id lands on this surface.
    base: str
    headers: dict[str, str]
    check: Callable[[int, Any], bool]
    content_type: str = "application/json"


@dataclass
class World:
    app: Flask
    surfaces: dict[str, Surface]
    report: dict[str, Any]


@pytest.fixture(scope="module")
def world() -> World:
    app = create_app(Settings(scenario="demo", frozen_at=FROZEN, ssoready_profile="rfc"))
    mock = mock_of(app)
    mock.open()
    report = mock.scenario_report or {}
    settings = mock.settings
    acme = report["stytch"]["organizations"][0]
    initech = report["ssoready"]["organizations"][0]["scim_directories"][0]
    basic = base64.b64encode(f"{settings.stytch_project_id}:{settings.stytch_secret}".encode())
    surfaces = {
        "stytch": Surface(
            "stytch",
            "/v1/b2b/organizations",
            "/v1/b2b/organizations/",
            {"Authorization": "Basic " + basic.decode()},
            stytch_format,
        ),
        "stytch-scim": Surface(
            "stytch-scim",
            acme["scim_base_path"] + "/Users",
            acme["scim_base_path"] + "/Users/",
            {"Authorization": "Bearer " + acme["bearer_token"]},
            scim_format,
            "application/scim+json",
        ),
        "ssoready": Surface(
            "ssoready",
            "/v1/organizations",
            "/v1/organizations/",
            {"Authorization": "Bearer " + settings.ssoready_api_key},
            ssoready_format,
        ),
        "ssoready-scim": Surface(
            "ssoready-scim",
            initech["scim_base_path"] + "/Users",
            initech["scim_base_path"] + "/Users/",
            {"Authorization": "Bearer " + initech["bearer_token"]},
            scim_format,
            "application/scim+json",
        ),
        "control": Surface(
            "control", "/_mockscim/faults", "/_mockscim/faults/", {}, control_format
        ),
    }
    return World(app, surfaces, report)


@dataclass
class Case:
    surface: str
    label: str
    method: str
    #: A path, or a callable of the world giving one (ids differ per load).
    path: str | Callable[[World], str] | None
    body: bytes | Any = None
    #: Headers added to the surface's own (e.g. a member session).
    headers: dict[str, str] | None = None


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _member(world: World) -> str:
    return next(iter(world.report["stytch"]["organizations"][0]["members"].values()))


def _rotate_path(world: World) -> str:
    acme = world.report["stytch"]["organizations"][0]
    return f"/v1/b2b/scim/{acme['organization_id']}/connection/{acme['connection_id']}/rotate/start"


def _nested(depth: int) -> dict[str, Any]:
    query: dict[str, Any] = {"filter_name": "organization_ids", "filter_value": ["x"]}
    for _ in range(depth):
        query = {"operator": "OR", "operands": [query]}
    return query


def _member_search(limit: bytes) -> Callable[[World], bytes]:
    def body(world: World) -> bytes:
        org_id = world.report["stytch"]["organizations"][0]["organization_id"]
        return b'{"organization_ids": ["' + org_id.encode() + b'"], "limit": ' + limit + b"}"

    return body


def _connection_path(world: World) -> str:
    return (
        f"/v1/b2b/scim/{world.report['stytch']['organizations'][0]['organization_id']}/connection"
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


#: A session JWT whose payload nests 50,000 deep: json.loads raised RecursionError.
DEEP_JWT = ".".join(
    [_b64(b'{"alg":"RS256","typ":"JWT"}'), _b64(b"[" * 50_000 + b"]" * 50_000), "sig"]
)

TERMS_201 = " or ".join(f'id eq "{i}"' for i in range(201))

# Every surface: the same generic attacks on its own write route and id space.
GENERIC = [
    ("JSON nested 10,000 deep", "POST", None, DEEP),
    ("malformed JSON", "POST", None, b'{"a": '),
    ("JSON that is not an object", "POST", None, b"[1, 2]"),
    ("a 100k-character id", "GET", "LONG", None),
]
CASES = [
    Case(s, label, m, p, b)
    for s in ("stytch", "stytch-scim", "ssoready", "ssoready-scim", "control")
    for label, m, p, b in GENERIC
] + [
    # Control plane: the clock.
    Case("control", "advance 1e308", "POST", "/_mockscim/clock", _json({"advance": 1e308})),
    Case("control", "advance Infinity", "POST", "/_mockscim/clock", b'{"advance": Infinity}'),
    Case("control", "advance NaN", "POST", "/_mockscim/clock", b'{"advance": NaN}'),
    Case("control", "advance -1e12", "POST", "/_mockscim/clock", _json({"advance": -1e12})),
    Case(
        "control",
        "advance 10**400",
        "POST",
        "/_mockscim/clock",
        b'{"advance": 1' + b"0" * 400 + b"}",
    ),
    Case(
        "control",
        "freeze 9999-12-31",
        "POST",
        "/_mockscim/clock",
        _json({"freeze": "9999-12-31T00:00:00Z"}),
    ),
    Case("control", "freeze a number", "POST", "/_mockscim/clock", _json({"freeze": 5})),
    Case(
        "control",
        "set then bad advance",
        "POST",
        "/_mockscim/clock",
        _json({"set": "2031-01-01T00:00:00Z", "advance": "soon"}),
    ),
    # Control plane: state, journal, faults.
    Case(
        "control",
        "state vendors.stytch = 5",
        "PUT",
        "/_mockscim/state",
        _json({"version": 1, "vendors": {"stytch": 5}}),
    ),
    Case(
        "control",
        "state vendors = []",
        "PUT",
        "/_mockscim/state",
        _json({"version": 1, "vendors": []}),
    ),
    Case(
        "control",
        "state directories = 'x'",
        "PUT",
        "/_mockscim/state",
        _json({"version": 1, "directories": "x"}),
    ),
    Case(
        "control",
        "state directory without id",
        "PUT",
        "/_mockscim/state",
        _json({"version": 1, "directories": [{}]}),
    ),
    Case("control", "journal since=²", "GET", "/_mockscim/requests?since=%C2%B2", None),
    Case("control", "journal status=٣", "GET", "/_mockscim/requests?status=%D9%A3", None),
    Case("control", "journal path (a+)+", "GET", "/_mockscim/requests?path=%5E(a%2B)%2B%24", None),
    Case(
        "control",
        "fault path (a|aa)*",
        "POST",
        "/_mockscim/faults",
        _json({"path": "^(a|aa)*$", "status": 500}),
    ),
    Case(
        "control",
        "fault path .*.*.*",
        "POST",
        "/_mockscim/faults",
        _json({"path": "^.*.*.*x", "status": 500}),
    ),
    # Stytch.
    Case(
        "stytch",
        "session for 10**30 minutes",
        "POST",
        "/_mockscim/stytch/sessions",
        lambda w: _json({"member_id": _member(w), "session_duration_minutes": 10**30}),
    ),
    Case(
        "stytch",
        "search nested 40 deep",
        "POST",
        "/v1/b2b/organizations/search",
        _json({"query": _nested(40)}),
    ),
    Case(
        "stytch",
        "search limit 10**30",
        "POST",
        "/v1/b2b/organizations/search",
        _json({"limit": 10**30}),
    ),
    # Stytch: limits json.loads reads as floats (OverflowError in int()).
    *(
        Case("stytch", f"{what} search limit {raw.decode()}", "POST", path, body)
        for raw in (b"1e999", b"Infinity", b"-1e999", b"NaN")
        for what, path, body in (
            ("organization", "/v1/b2b/organizations/search", b'{"limit": ' + raw + b"}"),
            ("member", "/v1/b2b/organizations/members/search", _member_search(raw)),
        )
    ),
    Case(
        "stytch",
        "session JWT payload nested 50,000 deep",
        "GET",
        _connection_path,
        None,
        {"X-Stytch-Member-SessionJWT": DEEP_JWT},
    ),
    Case(
        "ssoready",
        "pageToken nested 50,000 deep",
        "GET",
        "/v1/organizations?pageToken=" + _b64(b"[" * 50_000 + b"]" * 50_000),
    ),
    # Control plane: webhooks, journal, fault latency.
    *(
        Case(
            "control",
            f"webhook endpoint events {raw.decode()}",
            "POST",
            "/_mockscim/webhooks/endpoints",
            b'{"url": "http://127.0.0.1:9/hook", "events": ' + raw + b"}",
        )
        for raw in (b"5", b"true", b"1.5", b'{"a": 1}')
    ),
    Case(
        "control", "journal since of 5,000 digits", "GET", "/_mockscim/requests?since=" + "9" * 5000
    ),
    Case(
        "control",
        "journal status of 5,000 digits",
        "GET",
        "/_mockscim/requests?status=" + "4" * 5000,
    ),
    *(
        Case(
            "control",
            f"fault latency_ms {raw.decode()}",
            "POST",
            "/_mockscim/faults",
            b'{"path": "/v1/**", "latency_ms": ' + raw + b"}",
        )
        for raw in (b"NaN", b"Infinity", b"-1", b"1e999", b"-Infinity")
    ),
    # SCIM servers.
    *(
        c
        for s in ("stytch-scim", "ssoready-scim")
        for c in (
            Case(s, "search schemas 123", "POST", "SEARCH", _json({"schemas": 123})),
            Case(s, "filter of 201 terms", "GET", "FILTER", None),
            Case(s, "filter of 5,000 characters", "GET", "LONGFILTER", None),
            Case(s, "PATCH nested 100 deep", "PATCH", "ITEM", _json({"Operations": _nested(100)})),
            *(
                Case(s, f"search {key} {raw.decode()}", "POST", "SEARCH", body)
                for key in ("count", "startIndex")
                for raw in (b"1e999", b"Infinity", b"-Infinity", b"NaN")
                for body in (b'{"' + key.encode() + b'": ' + raw + b"}",)
            ),
        )
    ),
]


def _resolve(world: World, case: Case, surface: Surface) -> tuple[str, bytes | None]:
    body = case.body(world) if callable(case.body) else case.body
    path = case.path(world) if callable(case.path) else case.path
    scim_base = surface.write_path.removesuffix("/Users")
    if path is None:
        path = surface.write_path
    elif path == "LONG":
        path = surface.base + "x" * 100_000
    elif path == "SEARCH":
        path = scim_base + "/Users/.search"
    elif path == "FILTER":
        path = scim_base + "/Users?filter=" + TERMS_201
    elif path == "LONGFILTER":
        path = scim_base + '/Users?filter=userName eq "' + "x" * 5000 + '"'
    elif path == "ITEM":
        path = scim_base + "/Users/" + next(iter(_users(world, surface.name)))
    return path, body


def _users(world: World, surface: str) -> list[str]:
    if surface == "stytch-scim":
        return list(world.report["stytch"]["organizations"][0]["users"].values())
    return list(
        world.report["ssoready"]["organizations"][0]["scim_directories"][0]["users"].values()
    )


def _fingerprint(world: World) -> str:
    mock = mock_of(world.app)
    snapshot = mock.snapshot()
    return json.dumps([snapshot, rules_json(mock.faults)], sort_keys=True)


@pytest.fixture
def clean_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO)
    yield caplog


@pytest.mark.parametrize("case", CASES, ids=[f"{c.surface}: {c.label}" for c in CASES])
def test_hostile_input_is_a_4xx_in_the_surface_format_and_changes_nothing(
    world: World, case: Case, clean_log: pytest.LogCaptureFixture
) -> None:
    mock = mock_of(world.app)
    mock.server_errors.clear()
    surface = world.surfaces[case.surface]
    path, body = _resolve(world, case, surface)
    before = _fingerprint(world)
    client = world.app.test_client()
    headers = {**surface.headers, **(case.headers or {})}
    if body is not None:
        headers["Content-Type"] = surface.content_type
    response = client.open(path, method=case.method, data=body, headers=headers)

    text = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (response.status_code, text[:300])
    if case.path == "LONG":  # the surface's own 414, not a 404 or werkzeug's HTML page
        assert response.status_code == 414
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    assert surface.check(response.status_code, parsed), text[:300]
    assert not mock.server_errors, mock.server_errors[-1]
    assert "Traceback" not in clean_log.text
    assert client.get("/_mockscim/health").status_code == 200
    assert _fingerprint(world) == before
    # The journal still reads (a hostile body must not poison it).
    assert client.get("/_mockscim/requests").status_code == 200


@pytest.mark.parametrize("surface", ["stytch-scim", "ssoready-scim"])
@pytest.mark.parametrize("method", ["collection", "item"])
def test_head_with_a_write_body_never_writes(world: World, surface: str, method: str) -> None:
    """HEAD is a GET without a body: a JSON body (a user, a PatchOp) must not be applied."""
    mock = mock_of(world.app)
    s = world.surfaces[surface]
    scim_base = s.write_path.removesuffix("/Users")
    if method == "collection":
        path = scim_base + "/Users"
        body = {
            "userName": "head-created@example.test",
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        }
    else:
        path = scim_base + "/Users/" + _users(world, surface)[0]
        body = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": False}],
        }
    before = _fingerprint(world)
    response = world.app.test_client().open(
        path,
        method="HEAD",
        data=json.dumps(body),
        headers={**s.headers, "Content-Type": "application/scim+json"},
    )
    assert response.status_code == 200
    assert response.get_data() == b""
    assert _fingerprint(world) == before
    assert not mock.server_errors


@pytest.mark.parametrize("method", ["collection", "item"])
def test_head_on_ssoready_exact_is_gorillas_405_and_never_writes(method: str) -> None:
    """SSOReady's own router matches methods exactly (gorilla/mux ``Methods("GET")``): a HEAD
    is 405 with an empty body, and its JSON body is never applied (internal/authservice
    scim.go route table)."""
    app = create_app(Settings(scenario="demo"))
    mock = mock_of(app)
    mock.open()
    report = mock.scenario_report or {}
    directory = report["ssoready"]["organizations"][0]["scim_directories"][0]
    base, token = directory["scim_base_path"], directory["bearer_token"]
    user_id = next(iter(directory["users"].values()))
    path = base + "/Users" + ("" if method == "collection" else f"/{user_id}")
    body = (
        {"userName": "head-created@initech.test"}
        if method == "collection"
        else {"Operations": [{"op": "replace", "path": "active", "value": False}]}
    )
    before = mock.store.snapshot()
    response = app.test_client().open(
        path, method="HEAD", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 405
    assert response.get_data() == b""
    assert mock.store.snapshot() == before
    assert not mock.server_errors


def test_a_clock_at_the_end_of_time_makes_stytch_rotation_a_400() -> None:
    """A clock frozen on 9999-12-31 (possible through Settings.frozen_at or a state file) has
    no "one year later" for a new token's expiry: rotate/start answers Stytch's 400 and the
    connection keeps its tokens."""
    from mockscim.engine.clock import parse_instant

    app = create_app(Settings(scenario="demo"))
    mock = mock_of(app)
    mock.open()
    mock.clock.freeze(parse_instant("9999-12-31T00:00:00Z"))  # as Settings.frozen_at would
    world = World(app, {}, mock.scenario_report or {})
    settings = mock.settings
    basic = base64.b64encode(f"{settings.stytch_project_id}:{settings.stytch_secret}".encode())
    before = json.dumps(mock.snapshot(), sort_keys=True)
    response = app.test_client().post(
        _rotate_path(world), headers={"Authorization": "Basic " + basic.decode()}, json={}
    )
    assert response.status_code == 400
    assert stytch_format(400, response.get_json())
    assert "9999" in response.get_json()["error_message"]
    assert json.dumps(mock.snapshot(), sort_keys=True) == before
    assert not mock.server_errors


def test_one_poisoned_journal_entry_does_not_break_reading_it() -> None:
    """A body nested 1,000 deep was kept as JSON text and made every journal read a 500."""
    from mockscim.engine.journal import JournalEntry

    deep = "[" * 1000 + "]" * 1000
    entry = JournalEntry(
        1,
        "t",
        "stytch",
        "stytch",
        "POST",
        "/p",
        "",
        401,
        0.0,
        "none",
        request_text=deep,
        request_is_json=True,
    )
    assert entry.to_json()["request_body"] == deep
