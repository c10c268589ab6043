"""The per-request log line names what the WSGI server's line cannot: the surface, the
credential that authenticated the request and the error kind; secrets never appear."""

from __future__ import annotations

import logging

from mockscim.app import create_app
from mockscim.control.client import Control
from mockscim.http.context import mock_of
from mockscim.settings import Settings


def _lines(caplog) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.getMessage() for r in caplog.records if r.name == "mockscim.requests"]


def test_request_lines_name_surface_credential_and_error_kind(caplog):
    caplog.set_level(logging.INFO, logger="mockscim.requests")
    app = create_app(Settings())
    mock_of(app).open()
    org = Control(app).stytch.create_org("Acme", users=1)
    client = app.test_client()
    token = org["bearer_token"]
    ok = client.get(
        org["scim_base_path"] + f"/Users?count=1&code={token}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert ok.status_code == 200
    denied = client.get(org["scim_base_path"] + "/Users", headers={"Authorization": "Bearer no"})
    assert denied.status_code == 401
    lines = _lines(caplog)
    assert any(
        "200 stytch-scim credential=current error=-" in line and "count=1" in line for line in lines
    ), lines
    assert any("401 stytch-scim credential=invalid" in line for line in lines), lines
    assert all(token not in line for line in lines)
    assert any("code=[redacted]" in line for line in lines)


def test_quiet_settings_log_no_request_lines(caplog):
    caplog.set_level(logging.INFO, logger="mockscim.requests")
    app = create_app(Settings(log_requests=False))
    assert app.test_client().get("/v1/organizations").status_code == 401
    assert _lines(caplog) == []
