"""Member-session RBAC on the SCIM connection endpoints: allowed and denied per action, the
tenancy check, bad sessions; every denial leaves state unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from stytch.b2b.models import scim_connection as opts
from stytch.shared.method_options import Authorization

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers

ACTIONS = ("create", "get", "get_groups", "update", "delete", "start", "complete", "cancel")
#: The stytch.scim action each SDK method needs, per the API reference.
NEEDED = {
    "create": "create",
    "get": "get",
    "get_groups": "get",
    "update": "update",
    "delete": "delete",
    "start": "update",
    "complete": "update",
    "cancel": "update",
}


def calls(client: Any, org_id: str, connection_id: str, auth: Authorization) -> dict[str, Callable]:
    c = client.scim.connection
    ids = {"organization_id": org_id, "connection_id": connection_id}
    return {
        "create": lambda: c.create(
            organization_id=org_id, method_options=opts.CreateRequestOptions(authorization=auth)
        ),
        "get": lambda: c.get(
            organization_id=org_id, method_options=opts.GetRequestOptions(authorization=auth)
        ),
        "get_groups": lambda: c.get_groups(
            **ids, method_options=opts.GetGroupsRequestOptions(authorization=auth)
        ),
        "update": lambda: c.update(
            **ids, display_name="new", method_options=opts.UpdateRequestOptions(authorization=auth)
        ),
        "delete": lambda: c.delete(
            **ids, method_options=opts.DeleteRequestOptions(authorization=auth)
        ),
        "start": lambda: c.rotate_start(
            **ids, method_options=opts.RotateStartRequestOptions(authorization=auth)
        ),
        "complete": lambda: c.rotate_complete(
            **ids, method_options=opts.RotateCompleteRequestOptions(authorization=auth)
        ),
        "cancel": lambda: c.rotate_cancel(
            **ids, method_options=opts.RotateCancelRequestOptions(authorization=auth)
        ),
    }


def session_for(server: MockServer, org_id: str, email: str, roles: list[str]) -> Authorization:
    member = helpers.create_member(server.mock, org_id, email, roles=roles)
    minted = helpers.mint_session(server.mock, member["member_id"])
    return Authorization(session_token=minted["session_token"])


def prepare(client: Any, org_id: str, action: str) -> str:
    """A connection in the state the action needs (rotating for complete/cancel); for create,
    none at all."""
    if action == "create":
        return "unused"
    connection = client.scim.connection.create(organization_id=org_id).connection
    if action in ("complete", "cancel"):
        client.scim.connection.rotate_start(
            organization_id=org_id, connection_id=connection.connection_id
        )
    return connection.connection_id


@pytest.mark.parametrize("action", ACTIONS)
def test_admin_is_allowed_every_action(
    server: MockServer, client: Any, org: dict[str, Any], action: str
) -> None:
    org_id = org["organization_id"]
    auth = session_for(server, org_id, "admin@acme.test", ["stytch_admin"])
    connection_id = prepare(client, org_id, action)
    response = calls(client, org_id, connection_id, auth)[action]()
    assert response.status_code == 200
    entry = server.mock.journal.entries(vendor="stytch")[-1]
    assert entry.credential == "session" and entry.status == 200


@pytest.mark.parametrize("action", ACTIONS)
def test_plain_member_is_denied_every_action(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any, action: str
) -> None:
    org_id = org["organization_id"]
    auth = session_for(server, org_id, "member@acme.test", [])
    connection_id = prepare(client, org_id, action)
    fails(calls(client, org_id, connection_id, auth)[action], 403, "session_authorization_error")


@pytest.mark.parametrize("granted", ["create", "get", "update", "delete"])
def test_custom_role_grants_exactly_its_actions(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any, granted: str
) -> None:
    org_id = org["organization_id"]
    helpers.define_role(server.mock, f"scim_{granted}", {"stytch.scim": [granted]})
    auth = session_for(server, org_id, "it@acme.test", [f"scim_{granted}"])
    for action in ACTIONS:
        connection_id = prepare(client, org_id, action)
        call = calls(client, org_id, connection_id, auth)[action]
        if NEEDED[action] == granted:
            assert call().status_code == 200
        else:
            fails(call, 403, "session_authorization_error")
        # Start every action from a clean organization (no connection).
        active = server.mock.store.vendor("stytch").active_connection(org_id)
        if active is not None:
            client.scim.connection.delete(
                organization_id=org_id, connection_id=active.connection_id
            )


def test_implicit_scim_group_role_grants_permissions(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any, scim_for: Any
) -> None:
    org_id = org["organization_id"]
    conn = client.scim.connection.create(organization_id=org_id).connection
    scim = scim_for(conn.base_url)
    user = scim.create_user(conn.bearer_token, "ops@acme.test")
    group = scim.create_group(conn.bearer_token, "IT Admins")
    minted = helpers.mint_session(server.mock, user["id"])
    auth = Authorization(session_token=minted["session_token"])
    get = calls(client, org_id, conn.connection_id, auth)["get"]
    fails(get, 403, "session_authorization_error")
    client.scim.connection.update(
        organization_id=org_id,
        connection_id=conn.connection_id,
        scim_group_implicit_role_assignments=[{"role_id": "stytch_admin", "group_id": group["id"]}],
    )
    fails(get, 403, "session_authorization_error")  # assigned to the group, not yet a member
    response = scim.request(
        "PATCH",
        f"/Groups/{group['id']}",
        conn.bearer_token,
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}],
        },
    )
    assert response.status_code == 200, response.text
    assert get().status_code == 200


def test_cross_organization_session_is_a_tenancy_error(
    server: MockServer, client: Any, org: dict[str, Any], other_org: dict[str, Any], fails: Any
) -> None:
    auth = session_for(server, other_org["organization_id"], "boss@globex.test", ["stytch_admin"])
    org_id = org["organization_id"]
    for action in ACTIONS:
        connection_id = prepare(client, org_id, action)
        fails(
            calls(client, org_id, connection_id, auth)[action],
            403,
            "session_authorization_tenancy_error",
        )
        active = server.mock.store.vendor("stytch").active_connection(org_id)
        if active is not None:
            client.scim.connection.delete(
                organization_id=org_id, connection_id=active.connection_id
            )


def test_bad_sessions(server: MockServer, client: Any, org: dict[str, Any], fails: Any) -> None:
    org_id = org["organization_id"]
    get = lambda auth: calls(client, org_id, "x", auth)["get"]  # noqa: E731
    fails(get(Authorization(session_token="nope")), 404, "session_not_found")
    fails(get(Authorization(session_jwt="not-a-jwt")), 401, "unable_to_parse_session_jwt")
    member = helpers.create_member(server.mock, org_id, "a@acme.test", roles=["stytch_admin"])
    minted = helpers.mint_session(server.mock, member["member_id"], duration_minutes=5)
    jwt = Authorization(session_jwt=minted["session_jwt"])
    fails(get(jwt), 404, "no_active_scim_connection")  # the session itself is fine
    server.mock.clock.advance(5 * 60)
    fails(get(jwt), 404, "session_not_found")
    fails(get(Authorization(session_token=minted["session_token"])), 404, "session_not_found")
    fresh = helpers.mint_session(server.mock, member["member_id"])
    client.organizations.members.delete(organization_id=org_id, member_id=member["member_id"])
    fails(get(Authorization(session_token=fresh["session_token"])), 404, "session_not_found")


def test_admin_http_endpoints(server: MockServer, org: dict[str, Any]) -> None:
    import requests

    base = server.url + "/_mockscim/stytch"
    role = requests.post(
        base + "/roles",
        json={"role_id": "scim_reader", "permissions": {"stytch.scim": ["get"]}},
        timeout=5,
    )
    assert role.status_code == 200
    member = requests.post(
        base + "/members",
        json={
            "organization_id": org["organization_id"],
            "email_address": "r@acme.test",
            "roles": ["scim_reader"],
        },
        timeout=5,
    ).json()["member"]
    assert {r["role_id"] for r in member["roles"]} == {"stytch_member", "scim_reader"}
    session = requests.post(base + "/sessions", json={"member_id": member["member_id"]}, timeout=5)
    assert session.status_code == 200
    assert set(session.json()) >= {"session_token", "session_jwt", "expires_at"}
    bad = requests.post(base + "/sessions", json={"member_id": "member-test-nope"}, timeout=5)
    assert bad.status_code == 404 and bad.json()["error_type"] == "member_not_found"
