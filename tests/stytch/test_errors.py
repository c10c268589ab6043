"""Every Stytch error type the emulation produces, through the SDK (or raw HTTP where the SDK
cannot send the request), each leaving the store exactly as it was."""

from __future__ import annotations

import json
from typing import Any

import requests
import stytch

from mockscim.testing.server import MockServer


def test_unauthorized_credentials(server: MockServer, org: dict[str, Any], fails: Any) -> None:
    bad = stytch.B2BClient(
        project_id=server.settings.stytch_project_id,
        secret="wrong-secret",
        environment=server.url + "/",
    )
    fails(lambda: bad.organizations.get(organization_id="acme"), 401, "unauthorized_credentials")
    fails(
        lambda: bad.scim.connection.create(organization_id="acme"),
        401,
        "unauthorized_credentials",
    )
    response = requests.get(f"{server.url}/v1/b2b/organizations/acme", timeout=5)
    assert response.status_code == 401
    assert response.json()["error_type"] == "unauthorized_credentials"
    kinds = [e.credential for e in server.mock.journal.entries(vendor="stytch")]
    assert kinds == ["invalid", "invalid", "none"]


def test_organization_errors(client: Any, org: dict[str, Any], fails: Any) -> None:
    fails(lambda: client.organizations.get(organization_id="nope"), 404, "organization_not_found")
    fails(
        lambda: client.scim.connection.create(organization_id="nope"),
        404,
        "organization_not_found",
    )
    fails(
        lambda: client.organizations.create(organization_name="Dup", organization_slug="acme"),
        400,
        "organization_slug_already_used",
    )
    fails(
        lambda: client.organizations.create(organization_name="Bad", organization_slug="a b"),
        400,
        "invalid_organization_slug",
    )
    fails(
        lambda: client.organizations.create(organization_name=" "),
        400,
        "organization_name_missing",
    )
    fails(
        lambda: client.organizations.update(organization_id="acme", mfa_policy="SOMETIMES"),
        400,
        "invalid_argument",
    )
    fails(
        lambda: client.organizations.search(
            query={"operator": "AND", "operands": [{"filter_name": "nope", "filter_value": 1}]}
        ),
        400,
        "organization_search_filter_name_not_recognized",
    )
    # Search paging errors are the "Common Error Types" of docs b2b/api/search-organizations.
    fails(lambda: client.organizations.search(limit=1001), 400, "user_search_invalid_limit")
    fails(lambda: client.organizations.search(cursor="garbage"), 400, "user_search_invalid_cursor")


def test_member_errors(client: Any, org: dict[str, Any], fails: Any) -> None:
    org_id = org["organization_id"]
    member = client.organizations.members.create(
        organization_id=org_id, email_address="ada@acme.test"
    ).member
    members = client.organizations.members
    fails(
        lambda: members.create(organization_id=org_id, email_address="ADA@acme.test"),
        400,
        "duplicate_member_email",
    )
    fails(
        lambda: members.create(organization_id=org_id, email_address="not-an-email"),
        400,
        "invalid_email",
    )
    fails(
        lambda: members.create(
            organization_id=org_id, email_address="b@acme.test", roles=["no_such_role"]
        ),
        400,
        "invalid_rbac_role_id",
    )
    fails(
        lambda: members.create(
            organization_id=org_id, email_address="b@acme.test", roles=["stytch_member"]
        ),
        400,
        "cannot_assign_default_rbac_role_id",
    )
    fails(
        lambda: members.get(organization_id=org_id, member_id="member-test-nope"),
        404,
        "member_not_found",
    )
    fails(lambda: members.get(organization_id=org_id), 400, "invalid_member_get_fields")
    fails(
        lambda: members.reactivate(organization_id=org_id, member_id=member.member_id),
        400,
        "no_deleted_member_found_for_reactivation",
    )
    fails(lambda: members.search(organization_ids=[]), 400, "member_search_organization_ids_empty")
    fails(
        lambda: members.search(
            organization_ids=[org_id],
            query={"operator": "AND", "operands": [{"filter_name": "x", "filter_value": []}]},
        ),
        400,
        "member_search_filter_name_not_recognized",
    )


def test_scim_connection_errors(
    client: Any, org: dict[str, Any], other_org: dict[str, Any], fails: Any, scim_for: Any
) -> None:
    connections = client.scim.connection
    org_id = org["organization_id"]
    fails(lambda: connections.get(organization_id=org_id), 404, "no_active_scim_connection")
    fails(
        lambda: connections.create(organization_id=org_id, identity_provider="azure"),
        400,
        "invalid_scim_idp",
    )
    conn = connections.create(organization_id=org_id).connection
    cid = conn.connection_id
    fails(lambda: connections.create(organization_id=org_id), 400, "active_scim_connection_exists")
    other = connections.create(organization_id=other_org["organization_id"]).connection
    for call in (
        lambda: connections.rotate_start(organization_id=org_id, connection_id="scim-x"),
        lambda: connections.get_groups(organization_id=org_id, connection_id="scim-x"),
        lambda: connections.delete(organization_id=org_id, connection_id="scim-x"),
        # Another organization's connection is not reachable through this organization.
        lambda: connections.rotate_start(organization_id=org_id, connection_id=other.connection_id),
        lambda: connections.update(
            organization_id=org_id, connection_id=other.connection_id, display_name="x"
        ),
    ):
        fails(call, 404, "no_active_scim_connection")
    for call in (connections.rotate_complete, connections.rotate_cancel):
        fails(
            lambda call=call: call(organization_id=org_id, connection_id=cid),
            400,
            "scim_connection_not_rotating_token",
        )
    fails(
        lambda: connections.update(
            organization_id=org_id, connection_id=cid, identity_provider="x"
        ),
        400,
        "invalid_scim_idp",
    )
    group = scim_for(conn.base_url).create_group(conn.bearer_token, "Eng")
    fails(
        lambda: connections.update(
            organization_id=org_id,
            connection_id=cid,
            display_name="renamed",
            scim_group_implicit_role_assignments=[{"role_id": "stytch_admin", "group_id": ""}],
        ),
        400,
        "scim_group_role_assignment_does_not_contain_group_id",
    )
    fails(
        lambda: connections.update(
            organization_id=org_id,
            connection_id=cid,
            scim_group_implicit_role_assignments=[
                {"role_id": "stytch_admin", "group_id": group["id"]},
                {"role_id": "stytch_admin", "group_id": "scim-group-test-nope"},
            ],
        ),
        400,
        "scim_group_role_assignment_group_does_not_exist",
    )
    fails(
        lambda: connections.update(
            organization_id=org_id,
            connection_id=cid,
            scim_group_implicit_role_assignments=[{"role_id": "ghost", "group_id": group["id"]}],
        ),
        400,
        "invalid_rbac_role_id",
    )
    # limit has "minimum: 0" in stytch-openapi (GetGroups), so 0 is accepted; -1 is not.
    connections.get_groups(organization_id=org_id, connection_id=cid, limit=0)
    fails(
        lambda: connections.get_groups(organization_id=org_id, connection_id=cid, limit=-1),
        400,
        "invalid_argument",
    )
    connections.delete(organization_id=org_id, connection_id=cid)
    fails(
        lambda: connections.rotate_start(organization_id=org_id, connection_id=cid),
        404,
        "no_active_scim_connection",
    )
    fails(lambda: connections.get(organization_id=org_id), 404, "no_active_scim_connection")


def _raw(server: MockServer, method: str, path: str, body: bytes | None = None) -> Any:
    auth = (server.settings.stytch_project_id, server.settings.stytch_secret)
    headers = {"Content-Type": "application/json"}
    return requests.request(
        method, server.url + path, data=body, auth=auth, headers=headers, timeout=5
    )


def test_http_level_errors_are_stytch_json(server: MockServer, org: dict[str, Any]) -> None:
    cases = [
        ("GET", "/v1/b2b/nothing/here", None, 404, "route_not_found"),
        ("PATCH", "/v1/b2b/organizations/acme", None, 405, "method_not_allowed"),
        ("POST", "/v1/b2b/organizations", b"{not json", 400, "bad_request"),
        ("POST", "/v1/b2b/organizations", b"[1, 2]", 400, "bad_request"),
        ("POST", "/v1/b2b/scim/acme/connection", b'{"display_name": 5}', 400, "invalid_argument"),
    ]
    before = json.dumps(server.mock.store.snapshot(), sort_keys=True)
    for method, path, body, status, error_type in cases:
        response = _raw(server, method, path, body)
        assert response.status_code == status, (path, response.text)
        data = response.json()
        assert data["status_code"] == status and data["error_type"] == error_type
        assert data["request_id"].startswith("request-id-test-")
        assert set(data) == {
            "status_code",
            "request_id",
            "error_type",
            "error_message",
            "error_url",
        }
    assert json.dumps(server.mock.store.snapshot(), sort_keys=True) == before


def test_delete_with_json_content_type_and_empty_body(
    server: MockServer, org: dict[str, Any]
) -> None:
    response = _raw(server, "DELETE", f"/v1/b2b/organizations/{org['organization_id']}", b"")
    assert response.status_code == 200
    assert response.json()["organization_id"] == org["organization_id"]


def test_scim_server_errors_are_scim_json(server: MockServer, connection: Any) -> None:
    base = connection.base_url
    response = requests.get(base + "/Users", timeout=5)
    assert response.status_code == 401
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    headers = {"Authorization": f"Bearer {connection.bearer_token}"}
    response = requests.patch(base + "/Users", headers=headers, timeout=5)
    assert response.status_code == 405
    assert response.json()["status"] == "405"
    response = requests.get(base + "/Users/member-test-nope", headers=headers, timeout=5)
    assert response.status_code == 404
    assert response.json()["status"] == "404"
