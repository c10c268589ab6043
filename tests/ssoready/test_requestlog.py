"""The per-directory SCIM request log (SSOReady's dashboard view), read from the journal:
URL, method, bodies, status and error kind, newest first, secrets redacted."""

from __future__ import annotations

from typing import Any

import requests

from mockscim.testing.server import MockServer
from mockscim.vendors.ssoready.requestlog import scim_requests

from .conftest import Tenant, make_tenant, user_body


def log(server: MockServer, directory_id: str) -> list[dict[str, Any]]:
    r = requests.get(
        server.url + "/_mockscim/ssoready/scim-requests",
        params={"scimDirectoryId": directory_id},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    items = r.json()["scimRequests"]
    assert items == scim_requests(server.mock, directory_id)
    return list(items)


def test_each_scim_request_is_logged_with_its_error_kind(server: MockServer, client: Any) -> None:
    tenant = make_tenant(client, token=False)
    dir_id = tenant.directory.id
    tenant.scim("GET", "/Users")  # no token yet
    token = client.management.scim_directories.rotate_scim_directory_bearer_token(
        id=dir_id
    ).bearer_token
    tenant = Tenant(tenant.org, tenant.directory, token)
    created = tenant.create_user("ada@acme.test")
    tenant.scim("POST", "/Users", user_body("nope"))
    tenant.scim("POST", "/Users", user_body("eve@elsewhere.test"))
    tenant.scim("GET", "/Users", params={"filter": 'userName eq "ada@acme.test"'})
    tenant.scim("DELETE", f"/Users/{created['id']}")
    # Not logged for this directory: another directory, and an unknown one.
    other = make_tenant(client, external_id="g", domains=("g.test",))
    other.scim("GET", "/Users")
    requests.get(tenant.base_url + "x/Users", timeout=10)

    items = log(server, dir_id)
    assert [(i["httpRequestMethod"], i["httpResponseStatus"]) for i in items] == [
        ("SCIM_REQUEST_HTTP_METHOD_DELETE", "SCIM_REQUEST_HTTP_STATUS_204"),
        ("SCIM_REQUEST_HTTP_METHOD_GET", "SCIM_REQUEST_HTTP_STATUS_200"),
        ("SCIM_REQUEST_HTTP_METHOD_POST", "SCIM_REQUEST_HTTP_STATUS_400"),
        ("SCIM_REQUEST_HTTP_METHOD_POST", "SCIM_REQUEST_HTTP_STATUS_400"),
        ("SCIM_REQUEST_HTTP_METHOD_POST", "SCIM_REQUEST_HTTP_STATUS_201"),
        ("SCIM_REQUEST_HTTP_METHOD_GET", "SCIM_REQUEST_HTTP_STATUS_401"),
    ]
    delete, search, outside, bad_name, create, unauthorized = items
    assert all(i["scimDirectoryId"] == dir_id for i in items)
    assert all(i["id"].startswith("scim_request_") for i in items)
    assert len({i["id"] for i in items}) == len(items)
    assert unauthorized["badBearerToken"] == {}
    assert bad_name["badUsername"] == "nope"
    assert outside["emailOutsideOrganizationDomains"] == "eve@elsewhere.test"
    assert outside["httpResponseBody"]["detail"].startswith("userName is not from the list")
    for plain in (create, search, delete):
        assert not {"badBearerToken", "badUsername", "emailOutsideOrganizationDomains"} & set(plain)
    assert create["httpRequestBody"]["userName"] == "ada@acme.test"
    assert create["httpResponseBody"]["id"] == created["id"]
    assert "httpResponseBody" not in delete and "httpRequestBody" not in delete
    assert search["httpRequestUrl"].startswith(f"/v1/scim/{dir_id}/Users?filter=")
    assert create["httpRequestUrl"] == f"/v1/scim/{dir_id}/Users"

    assert [i["httpRequestMethod"] for i in log(server, other.directory.id)] == [
        "SCIM_REQUEST_HTTP_METHOD_GET"
    ]


def test_journal_records_error_kinds_and_credentials(server: MockServer, tenant: Tenant) -> None:
    tenant.scim("POST", "/Users", user_body("nope"))
    tenant.scim("GET", "/Users", token="ssoready_scim_bearer_token_bad")
    entries = server.mock.journal.entries(surface="ssoready-scim", directory_id=tenant.directory.id)
    assert [(e.error_kind, e.credential) for e in entries] == [
        ("bad_username", "current"),
        ("bad_bearer_token", "invalid"),
    ]
    assert entries[0].extra == {"offending_value": "nope"}
    api = server.mock.journal.entries(surface="ssoready")
    assert api and {e.credential for e in api} == {"api_key"}


def test_secrets_never_reach_the_log(server: MockServer, tenant: Tenant) -> None:
    assert tenant.token
    tenant.scim("GET", "/Users", token=tenant.token + "x")
    tenant.scim("POST", "/Users", user_body("ada@acme.test", password="hunter2-secret"))
    text = repr(log(server, tenant.directory.id))
    assert tenant.token not in text and "hunter2-secret" not in text


def test_unknown_directory_has_no_log(server: MockServer) -> None:
    r = requests.get(
        server.url + "/_mockscim/ssoready/scim-requests",
        params={"scimDirectoryId": "scim_directory_nope"},
        timeout=10,
    )
    assert r.status_code == 404 and r.json()["code"] == 5
