"""The redaction catalogue: secrets clients put where no hint word marks them, over every
surface. Each case is one request; afterwards the secret must appear nowhere in the journal
(as served by ``GET /_mockscim/requests``), in the ``mockscim.requests`` log line, or in the
WSGI server's request line as the log filter leaves it.

Each case leaked before it was fixed (issue 20, "Secrets that survive redaction"): the token
shape was only applied next to a hint word (``token``, ``key``, ...), the journal's ``path``
was never redacted, JSON was redacted as text when its key was escaped or its Content-Type
was not JSON. Kept apart from ``test_hostile_catalogue.py`` (which checks status codes and
error formats) because the oracle differs: here every request may succeed, yet nothing it
carried may be written down.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask

from mockscim.app import create_app
from mockscim.engine.redaction import RedactingFilter
from mockscim.engine.tokens import random_alphanumeric
from mockscim.http.context import mock_of
from mockscim.settings import Settings

PASSWORD = "Hunter2-correct-horse-battery"
FROZEN = "2030-01-01T00:00:00Z"


@dataclass
class Secrets:
    """The credentials of one fresh mock (``demo`` scenario plus a minted Stytch session)."""

    app: Flask
    stytch_scim: str
    stytch_base: str
    stytch_org: str
    ssoready_scim: str
    ssoready_base: str
    session_token: str
    session_jwt: str
    basic: dict[str, str]
    api_key: dict[str, str]


def _fresh() -> Secrets:
    app = create_app(Settings(scenario="demo", frozen_at=FROZEN, log_requests=True))
    mock = mock_of(app)
    mock.open()
    report = mock.scenario_report or {}
    settings = mock.settings
    acme = report["stytch"]["organizations"][0]
    initech = report["ssoready"]["organizations"][0]["scim_directories"][0]
    client = app.test_client()
    member = next(iter(acme["members"].values()))
    session = client.post("/_mockscim/stytch/sessions", json={"member_id": member}).get_json()
    basic = base64.b64encode(f"{settings.stytch_project_id}:{settings.stytch_secret}".encode())
    basic_auth = {"Authorization": "Basic " + basic.decode()}
    # A random token, as Stytch mints them (the demo's pinned one contains the word "Token").
    conn = f"/v1/b2b/scim/{acme['organization_id']}/connection/{acme['connection_id']}"
    started = client.post(conn + "/rotate/start", json={}, headers=basic_auth).get_json()
    assert client.post(conn + "/rotate/complete", json={}, headers=basic_auth).status_code == 200
    return Secrets(
        app=app,
        stytch_scim=started["connection"]["next_bearer_token"],
        stytch_base=acme["scim_base_path"],
        stytch_org=acme["organization_id"],
        ssoready_scim=initech["bearer_token"],
        ssoready_base=initech["scim_base_path"],
        session_token=session["session_token"],
        session_jwt=session["session_jwt"],
        basic=basic_auth,
        api_key={"Authorization": "Bearer " + settings.ssoready_api_key},
    )


@dataclass
class Case:
    label: str
    #: Which secret the request carries (a :class:`Secrets` attribute).
    secret: str
    #: ``(s, secret) -> (method, path, query, headers, body bytes or None, content type)``
    build: Callable[[Secrets, str], tuple[str, str, dict[str, str], dict[str, str], Any, Any]]
    notes: list[str] = field(default_factory=list)


def _scim(s: Secrets) -> dict[str, str]:
    return {"Authorization": "Bearer " + s.stytch_scim}


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


CASES = [
    Case(
        "stytch scim token in ?filter=userName eq",
        "stytch_scim",
        lambda s, t: (
            "GET",
            s.stytch_base + "/Users",
            {"filter": f'userName eq "{t}"'},
            _scim(s),
            None,
            None,
        ),
    ),
    Case(
        "stytch scim token as a SCIM path segment",
        "stytch_scim",
        lambda s, t: ("GET", f"{s.stytch_base}/Users/{t}", {}, _scim(s), None, None),
    ),
    Case(
        "stytch scim token as externalId",
        "stytch_scim",
        lambda s, t: (
            "POST",
            s.stytch_base + "/Users",
            {},
            _scim(s),
            _json_bytes({"userName": "ext@acme.test", "externalId": t}),
            "application/scim+json",
        ),
    ),
    Case(
        "stytch scim token as a search filter_value",
        "stytch_scim",
        lambda s, t: (
            "POST",
            "/v1/b2b/organizations/search",
            {},
            s.basic,
            _json_bytes(
                {
                    "query": {
                        "operator": "AND",
                        "operands": [{"filter_name": "organization_ids", "filter_value": [t]}],
                    }
                }
            ),
            "application/json",
        ),
    ),
    Case(
        "ssoready scim token as an app-API path segment",
        "ssoready_scim",
        lambda s, t: ("GET", f"/v1/scim-directories/{t}", {}, s.api_key, None, None),
    ),
    Case(
        "stytch session token in ?cursor=",
        "session_token",
        lambda s, t: (
            "GET",
            f"/v1/b2b/organizations/{s.stytch_org}",
            {"cursor": t},
            s.basic,
            None,
            None,
        ),
    ),
    Case(
        "stytch session token as a path segment",
        "session_token",
        lambda s, t: ("GET", f"/v1/b2b/organizations/{t}", {}, s.basic, None, None),
    ),
    Case(
        "stytch session JWT in ?pageToken=",
        "session_jwt",
        lambda s, t: ("GET", "/v1/organizations", {"pageToken": t}, s.api_key, None, None),
    ),
    Case(
        "stytch session token in a body field",
        "session_token",
        lambda s, t: (
            "POST",
            s.stytch_base + "/Users",
            {},
            _scim(s),
            _json_bytes({"userName": "nick@acme.test", "nickName": t}),
            "application/scim+json",
        ),
    ),
    Case(
        "stytch session JWT in a body field",
        "session_jwt",
        lambda s, t: (
            "POST",
            s.stytch_base + "/Users",
            {},
            _scim(s),
            _json_bytes({"userName": "jwt@acme.test", "title": t}),
            "application/scim+json",
        ),
    ),
    Case(
        "password under a JSON-escaped key",
        "password",
        lambda s, t: (
            "POST",
            s.stytch_base + "/Users",
            {},
            _scim(s),
            ('{"userName": "esc@acme.test", "pass\\u0077ord": ' + json.dumps(t) + "}").encode(),
            "application/scim+json",
        ),
    ),
    Case(
        "password in a JSON body sent as text/plain",
        "password",
        lambda s, t: (
            "POST",
            s.stytch_base + "/Users",
            {},
            _scim(s),
            _json_bytes({"userName": "plain@acme.test", "password": t}),
            "text/plain",
        ),
    ),
    Case(
        "password in a JSON body sent without a Content-Type",
        "password",
        lambda s, t: (
            "POST",
            s.stytch_base + "/Users",
            {},
            _scim(s),
            _json_bytes({"userName": "none@acme.test", "password": t}),
            None,
        ),
    ),
    Case(
        "password under an escaped key in a text/plain body",
        "password",
        lambda s, t: (
            "POST",
            s.ssoready_base + "/Users",
            {},
            {"Authorization": "Bearer " + s.ssoready_scim},
            ('{"userName": "esc2@acme.test", "pass\\u0077ord": ' + json.dumps(t) + "}").encode(),
            "text/plain",
        ),
    ),
]


def _secret(s: Secrets, name: str) -> str:
    return PASSWORD if name == "password" else getattr(s, name)


def _leaks(text: str, secret: str) -> bool:
    return secret in text or quote(secret, safe="") in text or quote(secret) in text


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_secret_is_in_no_journal_entry_or_log_line(
    case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    """The request reaches the mock; afterwards the secret is nowhere the mock wrote."""
    s = _fresh()
    secret = _secret(s, case.secret)
    method, path, query, headers, body, content_type = case.build(s, secret)
    client = s.app.test_client()
    mock_of(s.app).journal.clear()
    caplog.set_level(logging.INFO, logger="mockscim")
    kwargs: dict[str, Any] = {"headers": headers, "query_string": query}
    if body is not None:
        kwargs["data"] = body
        if content_type is not None:
            kwargs["content_type"] = content_type
    response = client.open(path, method=method, **kwargs)
    # Answered by the handler (SSOReady answers a malformed id with its own 500, code 2).
    assert response.status_code and not mock_of(s.app).server_errors
    assert secret in json.dumps({"path": path, "query": query, "body": (body or b"").decode()}) or (
        "\\u0077" in (body or b"").decode()
    )  # the case really carries the secret

    journal = client.get("/_mockscim/requests").get_data(as_text=True)
    assert len(json.loads(journal)["requests"]) == 1
    assert not _leaks(journal, secret), journal

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "mockscim" in {r.name.split(".")[0] for r in caplog.records}
    assert not _leaks(logged, secret), logged

    # The WSGI server's own request line (werkzeug prints the raw, percent-encoded target).
    target = quote(path) + ("?" + urlencode(query) if query else "")
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - "%s %s HTTP/1.1" 200 -', None, None
    )
    record.args = ("127.0.0.1", method, target)
    carried = _leaks(record.getMessage(), secret)
    RedactingFilter().filter(record)
    line = record.getMessage()
    assert not _leaks(line, secret), line
    assert not carried or "[redacted]" in line or "%5Bredacted%5D" in line, line


def test_ids_and_ordinary_values_stay_readable() -> None:
    """Shape redaction must not eat the ids users filter the journal by: Stytch ids (a
    prefix, ``test`` and a UUID), SSOReady ids (a prefix and base-36), emails, names."""
    s = _fresh()
    client = s.app.test_client()
    mock_of(s.app).journal.clear()
    member_path = f"/v1/b2b/organizations/{s.stytch_org}"
    client.get(member_path, headers=s.basic, query_string={"cursor": "page-2"})
    body = {"userName": "ada.lovelace@acme.test", "name": {"givenName": "Ada"}}
    client.post(s.stytch_base + "/Users", json=body, headers=_scim(s))
    entries = client.get("/_mockscim/requests").get_json()["requests"]
    assert entries[0]["path"] == member_path
    assert entries[0]["query"] == "cursor=page-2"
    assert entries[1]["path"] == s.stytch_base + "/Users"
    assert entries[1]["request_body"] == body
    created = entries[1]["response_body"]
    assert created["id"].startswith("member-test-") and "[redacted]" not in json.dumps(created)


def test_an_unexpected_error_quoting_a_secret_is_kept_and_logged_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The traceback the pytest plugin prints (``mock.server_errors``) and the error log line
    may quote the input that broke a handler: both are redacted."""
    app = create_app(Settings(frozen_at=FROZEN))
    mock = mock_of(app)
    mock.open()
    token = random_alphanumeric(48)  # a Stytch SCIM token's shape

    def boom(value: str) -> Any:
        raise RuntimeError(f"cannot handle {value}")

    app.add_url_rule("/v1/b2b/boom/<value>", view_func=boom)
    caplog.set_level(logging.ERROR, logger="mockscim")
    response = app.test_client().get(f"/v1/b2b/boom/{token}")
    assert response.status_code == 500
    errors = mock.take_server_errors()
    assert len(errors) == 1 and "cannot handle [redacted]" in errors[0]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "cannot handle" in logged and token not in logged
