"""The ``exact`` profile's REST layer: what vanguard-go v0.2.0 (transcoder.go,
protocol_rest.go, params.go) answers before SSOReady's handlers and API-key interceptor run,
and the ordering, body-size and SCIM filter details audited against the Go source."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockscim.settings import DEFAULT_SSOREADY_API_KEY
from mockscim.testing.server import MockServer

from .conftest import Tenant

AUTH = {"Authorization": f"Bearer {DEFAULT_SSOREADY_API_KEY}"}


def send(server: MockServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, server.url + path, timeout=30, **kwargs)


def status(r: requests.Response) -> tuple[int, int, str]:
    body = r.json()
    return r.status_code, body["code"], body["message"]


@pytest.mark.parametrize("content_type", ["application/json; charset=UTF-8", "text/plain"])
def test_other_content_types_are_vanguard_415_before_auth(
    exact: MockServer, content_type: str
) -> None:
    """extractProtocolRequestHeaders compares the type exactly ("charset=utf-8" only)."""
    r = send(exact, "POST", "/v1/organizations", data=b"{}", headers={"Content-Type": content_type})
    assert r.status_code == 415
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.text == f'"{content_type}?" sub-format not supported\n'
    ok = send(
        exact,
        "POST",
        "/v1/organizations",
        data=b"{}",
        headers={**AUTH, "Content-Type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200


def test_undecodable_bodies_are_code_2_before_auth(exact: MockServer) -> None:
    """protojson's error goes through responseWriter.reportError: CodeUnknown, HTTP 500."""
    for raw in (b"{nope", b"[1]", b'{"displayName": 5}', b'{"domains": "a"}', b'{"x": "\\ud800"}'):
        r = send(exact, "POST", "/v1/organizations", data=raw)  # no key: decoding comes first
        code, rpc, message = status(r)
        assert (code, rpc) == (500, 2), raw
        assert message.startswith("proto: "), message


def test_unknown_query_parameters_are_code_2(exact: MockServer) -> None:
    r = send(exact, "GET", "/v1/organizations", params={"limit": "5"})
    assert status(r) == (
        500,
        2,
        'in field path "limit": element "limit" does not correspond to any field of type '
        "ssoready.v1.ListOrganizationsRequest",
    )
    # publicAPICamelToSnake rewrites pageToken on GET /v1/organizations; snake works anywhere.
    assert send(exact, "GET", "/v1/organizations", params={"pageToken": ""}, headers=AUTH).ok
    assert send(exact, "GET", "/v1/organizations", params={"page_token": ""}, headers=AUTH).ok


def test_a_body_on_a_binding_without_one_is_code_2(exact: MockServer, xtenant: Tenant) -> None:
    path = f"/v1/scim-directories/{xtenant.directory.id}/rotate-bearer-token"
    r = send(exact, "POST", path, data=b"{}", headers=AUTH)
    assert status(r) == (500, 2, "request should have no body; instead got 2 bytes")
    assert send(exact, "POST", path, headers=AUTH).status_code == 200


def test_empty_bodies_are_empty_messages(exact: MockServer) -> None:
    """prepareUnmarshalledRequestFromBody: no bytes, no fields; the handler runs."""
    r = send(exact, "POST", "/v1/organizations", headers=AUTH)
    assert r.status_code == 200
    org = r.json()["organization"]
    assert (org["displayName"], org["externalId"], org["domains"]) == ("", "", [])
    patched = send(exact, "PATCH", f"/v1/organizations/{org['id']}", headers=AUTH)
    assert patched.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("HEAD", "/v1/organizations", "GET,POST"),
        ("OPTIONS", "/v1/organizations", "GET,POST"),
        ("OPTIONS", "/v1/scim/users", "GET"),
        ("DELETE", "/v1/saml-connections", "GET,POST"),
    ],
)
def test_head_and_options_are_405(exact: MockServer, method: str, path: str, allow: str) -> None:
    r = send(exact, method, path, headers=AUTH)
    assert r.status_code == 405
    assert sorted(r.headers["Allow"].split(",")) == allow.split(",")
    if method != "HEAD":
        assert r.text == "Method Not Allowed\n"


@pytest.mark.parametrize("path", ["/v1/unknown", "/v1/organizations/x/y", "/v1/setup-urls/x"])
def test_unknown_v1_paths_are_vanguard_404(exact: MockServer, path: str) -> None:
    r = send(exact, "GET", path, headers=AUTH)
    assert (r.status_code, r.headers["Content-Type"], r.text) == (
        404,
        "text/plain; charset=utf-8",
        "Not Found\n",
    )


def test_bodies_over_one_mib_are_accepted(exact: MockServer) -> None:
    """vanguard buffers up to 4 GiB; the mock's own bound for SSOReady is 32 MiB."""
    body = b'{"displayName": "big", "padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = send(exact, "POST", "/v1/organizations", data=body, headers=AUTH)
    assert r.status_code == 200 and r.json()["organization"]["displayName"] == "big"
    too_big = b'{"p": "' + b"x" * (33 * 1024 * 1024) + b'"}'
    refused = send(exact, "POST", "/v1/organizations", data=too_big, headers=AUTH)
    assert refused.status_code == 413
    assert str(32 * 1024 * 1024) in refused.json()["message"]
    # Only SSOReady's surfaces: Stytch's /v1/b2b keeps the app-wide limit.
    stytch = (exact.mock.settings.stytch_project_id, exact.mock.settings.stytch_secret)
    assert send(exact, "POST", "/v1/b2b/organizations", data=body, auth=stytch).status_code == 413


def test_scim_body_over_one_mib(xtenant: Tenant) -> None:
    body = {"userName": "ada@acme.test", "padding": "x" * (2 * 1024 * 1024)}
    assert xtenant.scim("POST", "/Users", body).status_code == 201


def test_empty_display_name_filter_lists_every_group(xtenant: Tenant) -> None:
    """AuthListSCIMGroups treats an empty FilterDisplayName as no filter."""
    for name in ("a", "b"):
        xtenant.create_group(name)
    listed = xtenant.scim("GET", "/Groups", params={"filter": 'displayName eq ""'}).json()
    assert listed["totalResults"] == 2
    one = xtenant.scim("GET", "/Groups", params={"filter": 'displayName eq "a"'}).json()
    assert one["totalResults"] == 1


def test_dashboard_rpcs_are_connect_unimplemented(exact: MockServer) -> None:
    """Not emulated: Connect's unimplemented error, after the interceptor's header check."""
    path = "/ssoready.v1.SSOReadyService/ListAPIKeys"
    r = send(exact, "POST", path, json={}, headers=AUTH)
    assert r.status_code == 501 and r.json()["code"] == "unimplemented"
    bare = send(exact, "POST", path, json={})
    assert bare.status_code == 401
    assert bare.json() == {"code": "unauthenticated", "message": "authorization header is required"}
