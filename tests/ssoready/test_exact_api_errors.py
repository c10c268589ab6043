"""Management and app API errors and wire details per profile: ``exact`` answers store
failures as the real server does (a plain Go error becomes connect code 2, HTTP 500, with its
text), ``rfc`` keeps the friendlier 401/404/409 (ssoready/ssoready c33d0e0
``internal/authn/authninterceptor/authninterceptor.go``, ``internal/store/*_mgmt.go``,
``internal/store/scim.go``, ``internal/pagetoken/pagetoken.go``; connectrpc/vanguard-go
v0.2.0 ``codec.go`` ``NewJSONCodec``)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockscim.settings import DEFAULT_SSOREADY_API_KEY
from mockscim.testing.server import MockServer

from .conftest import Tenant

MISSING_ORG = "org_0000000000000000000000000"
MISSING_DIR = "scim_directory_0000000000000000000000000"


def call(
    server: MockServer, method: str, path: str, body: Any = None, key: str | None = None
) -> requests.Response:
    headers = {"Authorization": f"Bearer {key or DEFAULT_SSOREADY_API_KEY}"}
    return requests.request(method, server.url + path, json=body, headers=headers, timeout=10)


def status(r: requests.Response) -> tuple[int, int, str]:
    body = r.json()
    return r.status_code, body["code"], body["message"]


@pytest.mark.parametrize(
    ("method", "path", "exact", "rfc"),
    [
        ("GET", f"/v1/organizations/{MISSING_ORG}", "store: no rows in result set", 404),
        (
            "GET",
            "/v1/organizations/x",
            'store: "x" does not have expected prefix "org_"',
            404,
        ),
        (
            "GET",
            f"/v1/scim-directories/{MISSING_DIR}",
            "get scim directory: no rows in result set",
            404,
        ),
        (
            "POST",
            "/v1/scim-directories/scim_directory_x/rotate-bearer-token",
            'parse scim directory id: "scim_directory_x" does not have expected length 40',
            404,
        ),
        (
            "GET",
            "/v1/scim-directories",
            '"" does not have expected prefix "org_"',
            400,
        ),
        (
            "GET",
            "/v1/scim/users/scim_user_0000000000000000000000000",
            "no rows in result set",
            404,
        ),
        (
            "GET",
            f"/v1/scim/users?scimDirectoryId={MISSING_DIR}",
            "no rows in result set",
            404,
        ),
    ],
)
def test_store_failures(
    profile: str, profiled: MockServer, method: str, path: str, exact: str, rfc: int
) -> None:
    """store/*_mgmt.go and store/scim.go return the store's error (``no rows in result set``,
    prettyuuid's parse error); connect makes it code 2, vanguard HTTP 500."""
    r = call(profiled, method, path)
    if profile == "exact":
        assert status(r) == (500, 2, exact)
        assert r.json()["details"] == []
    else:
        assert r.status_code == rfc


def test_create_directory_without_organization(profile: str, profiled: MockServer) -> None:
    """store/scim_directories_mgmt.go ``CreateSCIMDirectory``: ``parse organization id``."""
    r = call(profiled, "POST", "/v1/scim-directories", {"primary": True})
    if profile == "exact":
        assert status(r) == (
            500,
            2,
            'parse organization id: "" does not have expected prefix "org_"',
        )
    else:
        assert status(r) == (400, 3, "organizationId is required")


def test_duplicate_external_id(profile: str, profiled: MockServer, ptenant: Tenant) -> None:
    """The unique constraint ``organizations_environment_id_external_id_key``, unwrapped."""
    r = call(profiled, "POST", "/v1/organizations", {"externalId": "acme"})
    if profile == "exact":
        assert r.status_code == 500 and r.json()["code"] == 2
        assert "organizations_environment_id_external_id_key" in r.json()["message"]
        assert r.json()["message"].endswith("(SQLSTATE 23505)")
    else:
        assert r.status_code == 409 and r.json()["code"] == 6


@pytest.mark.parametrize(
    ("key", "exact"),
    [
        (
            "ssoready_sk_0000000000000000000000000",
            "get api key by secret value: no rows in result set",
        ),
        (
            "ssoready_sk_x",
            'parse api secret key: "ssoready_sk_x" does not have expected length 37',
        ),
        (
            "xyz",
            "appauthinterceptor: store: get app session: parse session token: "
            "encoding/hex: invalid byte: U+0078 'x'",
        ),
    ],
)
def test_unknown_keys(profile: str, profiled: MockServer, key: str, exact: str) -> None:
    """authninterceptor.go returns ``GetAPIKeyBySecretToken``'s (or the app session lookup's)
    error unwrapped: code 2, 500. ``rfc``: 401 code 16."""
    r = call(profiled, "GET", "/v1/organizations", key=key)
    if profile == "exact":
        assert status(r) == (500, 2, exact)
    else:
        assert r.status_code == 401 and r.json()["code"] == 16


def test_wrong_scheme_has_an_empty_message(profile: str, profiled: MockServer) -> None:
    """authninterceptor.go: ``connect.NewError(connect.CodeUnauthenticated, nil)``."""
    r = requests.get(
        profiled.url + "/v1/organizations",
        headers={"Authorization": f"Basic {DEFAULT_SSOREADY_API_KEY}"},
        timeout=10,
    )
    assert r.status_code == 401 and r.json()["code"] == 16
    assert (r.json()["message"] == "") == (profile == "exact")


def test_bad_page_token(profile: str, profiled: MockServer) -> None:
    """pagetoken.go: ``connect.NewError(CodeInvalidArgument, nil)`` with a
    ``BadRequest.FieldViolation`` detail."""
    r = call(profiled, "GET", "/v1/organizations?pageToken=garbage")
    assert r.status_code == 400 and r.json()["code"] == 3
    if profile == "exact":
        assert r.json() == {
            "code": 3,
            "message": "",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest.FieldViolation",
                    "field": "page_token",
                    "description": "invalid pagination token",
                }
            ],
        }


def test_org_without_primary_directory(profile: str, profiled: MockServer) -> None:
    """store/scim.go: ``organization_id`` resolves the primary directory with a query that
    finds no row: code 2, 500 (``organization_external_id`` says so in a 400 instead)."""
    org = call(profiled, "POST", "/v1/organizations", {"externalId": "lonely"}).json()
    r = call(profiled, "GET", f"/v1/scim/users?organizationId={org['organization']['id']}")
    if profile == "exact":
        assert status(r) == (500, 2, "no rows in result set")
    else:
        assert r.status_code == 400


def test_unknown_fields_ignored_and_domains_stored_as_sent(
    profile: str, profiled: MockServer
) -> None:
    """vanguard-go codec.go ``NewJSONCodec``: ``DiscardUnknown: true``; store/
    organizations_mgmt.go inserts the domains as sent (responses sort them). ``rfc``: 400."""
    r = call(
        profiled,
        "POST",
        "/v1/organizations",
        {"externalId": "a", "domains": ["b.test", " a.test", "b.test"], "colour": "red"},
    )
    if profile == "exact":
        assert r.status_code == 200
        assert r.json()["organization"]["domains"] == [" a.test", "b.test", "b.test"]
    else:
        assert r.status_code == 400


def test_snake_case_query_parameters(profiled: MockServer, ptenant: Tenant) -> None:
    """vanguard resolves query parameters by proto field name, so ``scim_directory_id``
    works as well as the camelCase name ssoready's shim rewrites (both profiles)."""
    ptenant.create_user("ada@acme.test")
    r = call(profiled, "GET", f"/v1/scim/users?scim_directory_id={ptenant.directory.id}")
    assert r.status_code == 200 and len(r.json()["scimUsers"]) == 1


def test_unknown_route_and_wrong_method(profile: str, profiled: MockServer) -> None:
    """vanguard-go v0.2.0 ``transcoder.go``: ``errNotFound`` and the method-mismatch
    ``httpError`` are written with ``http.Error`` (plain text), the 405 with ``Allow``.
    ``rfc``: google.rpc.Status JSON."""
    missing = call(profiled, "GET", f"/v1/organizations/{MISSING_ORG}/nothing")
    wrong = call(profiled, "DELETE", f"/v1/organizations/{MISSING_ORG}")
    if profile == "exact":
        assert missing.status_code == 404 and missing.text == "Not Found\n"
        assert missing.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert wrong.status_code == 405 and wrong.text == "Method Not Allowed\n"
        assert set(wrong.headers["Allow"].split(",")) == {"GET", "PATCH"}
    else:
        assert missing.status_code == 404 and missing.json()["code"] == 5
        assert wrong.status_code == 405 and wrong.json()["code"] == 12
