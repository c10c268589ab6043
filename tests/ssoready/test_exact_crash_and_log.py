"""Crashes and the SCIM request log in the ``exact`` profile (ssoready/ssoready c33d0e0
``cmd/auth/main.go`` (no recovery middleware: sentryhttp ``Repanic: true``), net/http's
``conn.serve``, and ``internal/authservice/scim.go`` ``scimMiddleware`` with
``internal/store/auth_scim.go`` ``AuthCreateSCIMRequest``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .conftest import Tenant, make_tenant, user_body


def scim_log(server: MockServer, tenant: Tenant) -> list[dict]:
    r = requests.get(
        server.url + "/_mockscim/ssoready/scim-requests",
        params={"scimDirectoryId": tenant.directory.id},
        timeout=10,
    )
    assert r.status_code == 200
    return list(r.json()["scimRequests"])


def test_a_crash_closes_the_connection_and_is_journaled(exact: MockServer, xtenant: Tenant) -> None:
    """net/http ``conn.serve`` recovers the panic and closes the connection with no status
    line; the journal keeps the request with ``error_kind`` ``crash:<reason>``."""
    xtenant.crashes("GET", "/Users", params={"filter": 'title eq "x"'})
    entry = exact.mock.journal.entries(surface="ssoready-scim")[-1]
    assert entry.error_kind == "crash:unsupported filter param"
    assert entry.status == 0 and entry.directory_id == xtenant.directory.id
    # The server is fine afterwards.
    assert xtenant.scim("GET", "/Users").status_code == 200


def test_a_crash_changes_nothing(exact: MockServer, xtenant: Tenant) -> None:
    """Postgres rolls the failed request back; the mock checks everything before writing."""
    ada = xtenant.create_user("ada@acme.test")
    group = xtenant.create_group("Eng", [ada["id"]])
    xtenant.crashes(
        "PUT",
        f"/Groups/{group['id']}",
        {"displayName": "Renamed", "members": [{"value": "scim_user_0000000000000000000000000"}]},
    )
    got = xtenant.scim("GET", f"/Groups/{group['id']}").json()
    assert got["displayName"] == "Eng" and got["members"] == [{"value": ada["id"]}]


@pytest.fixture(scope="module")
def proxied() -> Iterator[MockServer]:
    with MockServer(Settings(ssoready_profile="exact", ssoready_crash="502")) as server:
        yield server


def test_crash_502_answers_as_a_proxy_would(proxied: MockServer) -> None:
    """``Settings.ssoready_crash = "502"``: what a reverse proxy in front of the Go server
    (a load balancer, ssoready's own ``cmd/authproxy``) answers for a closed connection."""
    proxied.reset()
    tenant = make_tenant(proxied.ssoready_client())
    r = tenant.scim("GET", "/Users", params={"filter": 'title eq "x"'})
    assert r.status_code == 502 and r.text == "502 Bad Gateway\n"
    entry = proxied.mock.journal.entries(surface="ssoready-scim")[-1]
    assert entry.error_kind == "crash:unsupported filter param" and entry.status == 502


def test_crashed_requests_are_not_in_the_request_log(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimMiddleware`` writes the log row after the handler returns, which a
    panicking handler never does."""
    xtenant.create_user("ada@acme.test")
    xtenant.crashes("GET", "/Users", params={"filter": 'title eq "x"'})
    rows = scim_log(exact, xtenant)
    assert [(r["httpRequestMethod"], r["httpResponseStatusCode"]) for r in rows] == [
        ("SCIM_REQUEST_HTTP_METHOD_POST", 201)
    ]


def test_absent_bodies_read_back_as_empty_objects(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """scim.go ``scimMiddleware`` stores a nil ``structpb.Struct`` for an absent body and
    drops non-JSON response bodies; read back they are ``{}``. ``rfc``: the fields are absent."""
    ptenant.scim("GET", "/Users", token="wrong")
    row = scim_log(profiled, ptenant)[0]
    assert row["httpResponseStatusCode"] == 401 and row["badBearerToken"] == {}
    if profile == "exact":
        assert row["httpRequestBody"] == {} and row["httpResponseBody"] == {}
    else:
        assert "httpRequestBody" not in row and "httpResponseBody" not in row


def test_log_keeps_the_bad_username_and_the_patch_error_body(
    exact: MockServer, xtenant: Tenant
) -> None:
    """scim.go ``scimMiddleware``: ``badUsername`` from ``badUsernameError``; the PATCH 400
    is JSON, so its body is logged."""
    r = xtenant.scim("POST", "/Users", user_body("not-an-email"))
    assert r.status_code == 400
    user = xtenant.create_user("ada@acme.test")
    xtenant.scim("PATCH", f"/Users/{user['id']}", {"Operations": [{"op": "remove"}]})
    patch_row, _, bad = scim_log(exact, xtenant)
    assert bad["badUsername"] == "not-an-email"
    assert patch_row["httpResponseBody"]["scimType"] == "invalidPath"
