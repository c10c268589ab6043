"""Every error path of the SSOReady emulation: the status, the body in SSOReady's format
(google.rpc.Status for the APIs, plain text for the SCIM server's own refusals), and the
store left exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from ssoready.core.api_error import ApiError

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .conftest import PATCH_OP, Tenant, make_tenant, user_body


@contextmanager
def unchanged(server: MockServer) -> Iterator[None]:
    before = json.dumps(server.mock.store.snapshot(), sort_keys=True)
    yield
    assert json.dumps(server.mock.store.snapshot(), sort_keys=True) == before


def api_error(server: MockServer, call: Callable[[], Any]) -> ApiError:
    with unchanged(server), pytest.raises(ApiError) as caught:
        call()
    body = caught.value.body
    assert isinstance(body, dict) and set(body) == {"code", "message", "details"}, body
    assert body["details"] == []
    return caught.value


def raw(server: MockServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    with unchanged(server):
        return requests.request(method, server.url + path, timeout=10, **kwargs)


# ------------------------------------------------------------------ API keys
@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "authorization header is required"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "authorization header must be"),
        ({"Authorization": "Bearer ssoready_sk_wrong"}, "invalid api key"),
        # The server trims the value to "Bearer", which fails the "Bearer " prefix cut
        # (ssoready/ssoready internal/authn/authninterceptor/authninterceptor.go, New:
        # strings.CutPrefix after Go's net/textproto trimmed the header value).
        ({"Authorization": "Bearer "}, "authorization header must be"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/organizations"),
        ("POST", "/v1/organizations"),
        ("GET", "/v1/scim-directories?organizationId=org_x"),
        ("POST", "/v1/scim-directories/scim_directory_x/rotate-bearer-token"),
        ("GET", "/v1/scim/users?scimDirectoryId=scim_directory_x"),
        ("GET", "/v1/scim/groups/scim_group_x"),
    ],
)
def test_bad_api_keys_are_401(
    server: MockServer, headers: dict[str, str], message: str, method: str, path: str
) -> None:
    r = raw(server, method, path, headers=headers, json={} if method == "POST" else None)
    assert r.status_code == 401
    assert r.json()["code"] == 16 and r.json()["message"].startswith(message)
    entry = server.mock.journal.entries(path=path.split("?")[0])[-1]
    assert entry.credential == ("none" if not headers else "invalid")


def test_sdk_with_a_wrong_key_gets_401(server: MockServer) -> None:
    from ssoready.client import SSOReady

    wrong = SSOReady(api_key="ssoready_sk_notakey", base_url=server.url)
    error = api_error(server, lambda: wrong.management.organizations.list_organizations())
    assert error.status_code == 401


@pytest.mark.parametrize(
    "call",
    [
        lambda c, t: c.management.organizations.list_organizations(),
        lambda c, t: c.management.organizations.create_organization(external_id="x"),
        lambda c, t: c.management.organizations.get_organization(id=t.org.id),
        lambda c, t: c.management.organizations.update_organization(id_=t.org.id, domains=[]),
        lambda c, t: c.management.scim_directories.list_scim_directories(organization_id=t.org.id),
        lambda c, t: c.management.scim_directories.create_scim_directory(organization_id=t.org.id),
        lambda c, t: c.management.scim_directories.get_scim_directory(id=t.directory.id),
        lambda c, t: c.management.scim_directories.update_scim_directory(
            id_=t.directory.id, primary=False
        ),
        lambda c, t: c.management.scim_directories.rotate_scim_directory_bearer_token(
            id=t.directory.id
        ),
    ],
)
def test_app_key_on_management_api_is_401(
    server: MockServer, app_client: Any, tenant: Tenant, call: Any
) -> None:
    error = api_error(server, lambda: call(app_client, tenant))
    assert error.status_code == 401
    assert error.body == {
        "code": 16,
        "message": "api key is not authorized to access management api",
        "details": [],
    }


def test_no_app_key_configured_means_app_key_is_unknown() -> None:
    with MockServer(Settings(ssoready_app_key=None, ssoready_profile="rfc")) as server:
        r = requests.get(
            server.url + "/v1/scim/users?scimDirectoryId=x",
            headers={"Authorization": f"Bearer {Settings().ssoready_app_key}"},
            timeout=10,
        )
        assert r.status_code == 401 and r.json()["message"] == "invalid api key"


# ------------------------------------------------------------------ management API
def test_unknown_ids_are_404(server: MockServer, client: Any, tenant: Tenant) -> None:
    orgs, dirs = client.management.organizations, client.management.scim_directories
    calls = [
        lambda: orgs.get_organization(id="org_doesnotexist"),
        lambda: orgs.update_organization(id_="org_doesnotexist", domains=["x.test"]),
        lambda: dirs.list_scim_directories(organization_id="org_doesnotexist"),
        lambda: dirs.create_scim_directory(organization_id="org_doesnotexist", primary=True),
        lambda: dirs.get_scim_directory(id="scim_directory_doesnotexist"),
        lambda: dirs.update_scim_directory(id_="scim_directory_doesnotexist", primary=True),
        lambda: dirs.rotate_scim_directory_bearer_token(id="scim_directory_doesnotexist"),
        lambda: client.scim.get_scim_user(id="scim_user_doesnotexist"),
        lambda: client.scim.get_scim_group(id="scim_group_doesnotexist"),
        lambda: client.scim.list_scim_users(scim_directory_id="scim_directory_doesnotexist"),
        lambda: client.scim.list_scim_groups(organization_id="org_doesnotexist"),
    ]
    for call in calls:
        error = api_error(server, call)
        assert (error.status_code, error.body["code"]) == (404, 5), error.body


@pytest.mark.parametrize(
    ("path", "body", "fragment"),
    [
        ("/v1/organizations", "not json", "not valid JSON"),
        ("/v1/organizations", "[1, 2]", "must be a JSON object"),
        ("/v1/organizations", "", "request body is required"),
        ("/v1/organizations", {"domains": "acme.test"}, "domains must be a list"),
        ("/v1/organizations", {"domains": [""]}, "empty string"),
        ("/v1/organizations", {"domains": [1]}, "domains must be a list"),
        ("/v1/organizations", {"externalId": 5}, "externalId must be a string"),
        ("/v1/organizations", {"displayName": ["x"]}, "displayName must be a string"),
        ("/v1/organizations", {"nickname": "x"}, "unknown field 'nickname'"),
        ("/v1/scim-directories", {"primary": True}, "organizationId is required"),
        ("/v1/scim-directories", {"organizationId": "{org}", "primary": "yes"}, "boolean"),
    ],
)
def test_bad_management_bodies_are_400(
    server: MockServer, client: Any, tenant: Tenant, path: str, body: Any, fragment: str
) -> None:
    if isinstance(body, dict):
        body = json.dumps(body).replace("{org}", tenant.org.id)
    r = raw(
        server,
        "POST",
        path,
        data=body,
        headers={
            "Authorization": f"Bearer {server.settings.ssoready_api_key}",
            "Content-Type": "application/json",
        },
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == 3 and fragment in r.json()["message"]


def test_duplicate_external_id_is_409(server: MockServer, client: Any, tenant: Tenant) -> None:
    orgs = client.management.organizations
    error = api_error(server, lambda: orgs.create_organization(external_id="acme"))
    assert (error.status_code, error.body["code"]) == (409, 6)
    other = orgs.create_organization(external_id="globex").organization
    error = api_error(
        server, lambda: orgs.update_organization(id_=other.id, external_id="acme", domains=[])
    )
    assert error.status_code == 409


def test_directory_cannot_change_organization(
    server: MockServer, client: Any, tenant: Tenant
) -> None:
    other = client.management.organizations.create_organization(external_id="g").organization
    error = api_error(
        server,
        lambda: client.management.scim_directories.update_scim_directory(
            id_=tenant.directory.id, organization_id=other.id, primary=True
        ),
    )
    assert error.status_code == 400


def test_list_directories_needs_an_organization(server: MockServer, client: Any) -> None:
    error = api_error(server, lambda: client.management.scim_directories.list_scim_directories())
    assert (error.status_code, error.body["message"]) == (400, "organizationId is required")


@pytest.mark.parametrize("token", ["garbage", "e30", "eyJzIjoib3JnYW5pemF0aW9ucyIsIm8iOi0xfQ"])
def test_bad_page_tokens_are_400(server: MockServer, client: Any, token: str) -> None:
    error = api_error(
        server, lambda: client.management.organizations.list_organizations(page_token=token)
    )
    assert (error.status_code, error.body["message"]) == (400, "invalid page token")


def test_page_token_of_another_listing_is_400(
    server: MockServer, client: Any, tenant: Tenant
) -> None:
    for i in range(11):
        client.management.organizations.create_organization(external_id=f"o{i}")
    token = client.management.organizations.list_organizations().next_page_token
    assert token
    error = api_error(
        server,
        lambda: client.scim.list_scim_users(
            scim_directory_id=tenant.directory.id, page_token=token
        ),
    )
    assert error.status_code == 400


# ------------------------------------------------------------------ app API
def test_list_without_selector_is_400(server: MockServer, client: Any, tenant: Tenant) -> None:
    for call in (client.scim.list_scim_users, client.scim.list_scim_groups):
        error = api_error(server, call)
        assert error.status_code == 400 and error.body["code"] == 3
        assert error.body["message"] == (
            "one of scim_directory_id, organization_id, or organization_external_id must be "
            "provided"
        )


def test_org_selectors_without_primary_directory_are_400(server: MockServer, client: Any) -> None:
    org = client.management.organizations.create_organization(external_id="lone").organization
    client.management.scim_directories.create_scim_directory(organization_id=org.id)
    for selector in ({"organization_id": org.id}, {"organization_external_id": "lone"}):
        error = api_error(server, lambda s=selector: client.scim.list_scim_users(**s))
        assert error.status_code == 400
    error = api_error(
        server, lambda: client.scim.list_scim_groups(organization_external_id="nobody")
    )
    assert error.body["message"].startswith("bad organization_external_id")


# ------------------------------------------------------------------ SCIM server
def test_unknown_directory_is_404_plain_text_before_the_token(
    server: MockServer, tenant: Tenant
) -> None:
    base = tenant.base_url.rsplit("/", 1)[0] + "/scim_directory_doesnotexist"
    for headers in ({}, {"Authorization": f"Bearer {tenant.token}"}):
        r = raw(server, "GET", base.replace(server.url, "") + "/Users", headers=headers)
        assert r.status_code == 404
        assert r.text == "scim directory not found\n"
        assert r.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer ssoready_scim_bearer_token_0000000000000000000000000"},
        {"Authorization": "Basic Zm9vOmJhcg=="},
        {"Authorization": f"Bearer {Settings().ssoready_api_key}"},  # an API key is no token
    ],
)
def test_bad_scim_token_is_401_plain_text(
    server: MockServer, tenant: Tenant, headers: dict[str, str]
) -> None:
    for method, path in (("GET", "/Users"), ("POST", "/Users"), ("DELETE", "/Groups/x")):
        r = raw(
            server,
            method,
            tenant.base_url.replace(server.url, "") + path,
            headers=headers,
            json=user_body("ada@acme.test") if method == "POST" else None,
        )
        assert r.status_code == 401
        assert r.text == "invalid bearer token\n"


def test_username_must_be_an_email(server: MockServer, tenant: Tenant) -> None:
    with unchanged(server):
        r = tenant.scim("POST", "/Users", user_body("not-an-email"))
    assert r.status_code == 400
    assert r.text == "userName is not a valid email address\n"
    assert r.headers["Content-Type"].startswith("text/plain")


def test_username_must_be_in_the_org_domains(server: MockServer, client: Any) -> None:
    tenant = make_tenant(client, domains=("b.test", "a.test"))
    with unchanged(server):
        r = tenant.scim("POST", "/Users", user_body("eve@elsewhere.test"))
    assert r.status_code == 400
    assert r.text == (
        '{"detail":"userName is not from the list of allowed domains: a.test, b.test",'
        '"status":400}\n'
    )
    # A subdomain is another domain.
    with unchanged(server):
        assert tenant.scim("POST", "/Users", user_body("eve@x.a.test")).status_code == 400


def test_put_and_patch_cannot_move_a_user_outside_the_domains(
    server: MockServer, tenant: Tenant
) -> None:
    ada = tenant.create_user("ada@acme.test")
    path = f"/Users/{ada['id']}"
    with unchanged(server):
        r = tenant.scim("PUT", path, user_body("ada@elsewhere.test"))
        assert r.status_code == 400 and "allowed domains" in r.text
        patch = {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "userName", "value": "ada"}],
        }
        r = tenant.scim("PATCH", path, patch)
        assert r.status_code == 400 and r.text == "userName is not a valid email address\n"


def test_scim_errors_of_the_core_keep_scim_json(server: MockServer, tenant: Tenant) -> None:
    with unchanged(server):
        r = tenant.scim("GET", "/Users/scim_user_doesnotexist")
        assert r.status_code == 404 and r.json()["status"] == "404"
        r = tenant.scim("GET", "/Users", params={"filter": "userName eq"})
        assert r.status_code == 400 and r.json()["scimType"] == "invalidFilter"
        r = tenant.scim("DELETE", "/Users/scim_user_doesnotexist")
        assert r.status_code == 404


def test_unknown_api_route_and_wrong_method_answer_in_status_form(server: MockServer) -> None:
    auth = {"Authorization": f"Bearer {server.settings.ssoready_api_key}"}
    r = raw(server, "GET", "/v1/organizations/x/y", headers=auth)
    assert r.status_code == 404 and r.json()["code"] == 5
    r = raw(server, "DELETE", "/v1/organizations/org_x", headers=auth)
    assert r.status_code == 405 and r.json()["code"] == 12
