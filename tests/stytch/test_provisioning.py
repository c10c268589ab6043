"""The SCIM server of a connection, as an IdP uses it, and what the Stytch API shows after:
users become members, deactivation and deletion mark them deleted, re-provisioning
reactivates them, groups feed ``get_groups`` and implicit roles."""

from __future__ import annotations

from typing import Any

from mockscim.testing.server import MockServer

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def member_of(client: Any, member_id: str) -> Any:
    return client.organizations.members.dangerously_get(
        member_id=member_id, include_deleted=True
    ).member


def test_provisioned_user_becomes_a_member(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    user = scim.create_user(
        connection.bearer_token,
        "ada@acme.test",
        externalId="okta-1",
        name={"givenName": "Ada", "familyName": "Lovelace"},
        emails=[{"value": "ada@acme.test", "type": "work", "primary": True}],
        title="Engineer",
        **{ENTERPRISE: {"department": "R&D", "manager": {"value": "m-1"}}},
    )
    assert user["id"].startswith("member-test-")
    member = member_of(client, user["id"])
    assert member.member_id == user["id"]
    assert member.organization_id == org["organization_id"]
    assert member.email_address == "ada@acme.test"
    assert member.name == "Ada Lovelace"
    assert member.status == "active"
    registration = member.scim_registration
    assert registration.connection_id == connection.connection_id
    assert registration.external_id == "okta-1"
    attrs = registration.scim_attributes
    assert attrs.user_name == "ada@acme.test" and attrs.id == user["id"]
    assert attrs.title == "Engineer" and attrs.name.family_name == "Lovelace"
    assert attrs.enterprise_extension.department == "R&D"
    assert attrs.enterprise_extension.manager.value == "m-1"
    found = client.organizations.members.search(
        organization_ids=["acme"],
        query={
            "operator": "AND",
            "operands": [{"filter_name": "member_emails", "filter_value": ["ada@acme.test"]}],
        },
    )
    assert [m.member_id for m in found.members] == [user["id"]]


def test_deactivate_delete_and_reprovision(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    token = connection.bearer_token
    user = scim.create_user(token, "bob@acme.test")
    member_id = user["id"]
    response = scim.request(
        "PATCH",
        f"/Users/{member_id}",
        token,
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert response.status_code == 200, response.text
    assert member_of(client, member_id).status == "deleted"
    deleted = client.organizations.members.search(
        organization_ids=[org["organization_id"]],
        query={
            "operator": "AND",
            "operands": [{"filter_name": "statuses", "filter_value": ["deleted"]}],
        },
    )
    assert [m.member_id for m in deleted.members] == [member_id]

    response = scim.request(
        "PATCH",
        f"/Users/{member_id}",
        token,
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]},
    )
    assert response.status_code == 200
    assert member_of(client, member_id).status == "active"

    assert scim.request("DELETE", f"/Users/{member_id}", token).status_code == 204
    assert scim.request("GET", f"/Users/{member_id}", token).status_code == 404
    assert member_of(client, member_id).status == "deleted"

    again = scim.create_user(token, "bob@acme.test", displayName="Bob Again")
    member = member_of(client, member_id)
    assert member.status == "active" and member.name == "Bob Again"
    assert member.scim_registration.scim_attributes.id == again["id"]
    assert len(client.organizations.members.search(organization_ids=["acme"]).members) == 1


def test_existing_member_is_linked_by_email(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    existing = client.organizations.members.create(
        organization_id=org["organization_id"], email_address="cy@acme.test", roles=["stytch_admin"]
    ).member
    scim.create_user(connection.bearer_token, "cy@acme.test")
    member = member_of(client, existing.member_id)
    assert member.scim_registration.connection_id == connection.connection_id
    assert member.is_admin


def test_user_without_email_is_refused(server: MockServer, connection: Any, scim: Any) -> None:
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "no-email"}
    before = server.mock.store.snapshot()
    response = scim.request("POST", "/Users", connection.bearer_token, body)
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert server.mock.store.snapshot() == before


def test_groups_and_implicit_roles(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    token = connection.bearer_token
    org_id, cid = org["organization_id"], connection.connection_id
    dee = scim.create_user(token, "dee@acme.test")
    eng = scim.create_group(token, "Engineering", [dee["id"]])
    client.scim.connection.update(
        organization_id=org_id,
        connection_id=cid,
        scim_group_implicit_role_assignments=[{"role_id": "stytch_admin", "group_id": eng["id"]}],
    )
    member = member_of(client, dee["id"])
    groups = member.scim_registration.scim_attributes.groups
    assert [(g.value, g.display) for g in groups] == [(eng["id"], "Engineering")]
    roles = {r.role_id: r.sources for r in member.roles}
    assert member.is_admin
    [source] = roles["stytch_admin"]
    assert source.type == "scim_connection_group"
    assert source.details == {"connection_id": cid, "group_id": eng["id"]}

    # Renaming the group shows in group_name; removing the member removes the role.
    response = scim.request(
        "PUT",
        f"/Groups/{eng['id']}",
        token,
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Eng",
            "members": [],
        },
    )
    assert response.status_code == 200, response.text
    got = client.scim.connection.get(organization_id=org_id).connection
    assert got.scim_group_implicit_role_assignments[0].group_name == "Eng"
    assert not member_of(client, dee["id"]).is_admin
    groups = client.scim.connection.get_groups(organization_id=org_id, connection_id=cid)
    assert [(g.group_id, g.group_name) for g in groups.scim_groups] == [(eng["id"], "Eng")]

    # Deleting the group drops it from get_groups and from the assignments.
    assert scim.request("DELETE", f"/Groups/{eng['id']}", token).status_code == 204
    groups = client.scim.connection.get_groups(organization_id=org_id, connection_id=cid)
    assert groups.scim_groups == []
    got = client.scim.connection.get(organization_id=org_id).connection
    assert got.scim_group_implicit_role_assignments == []


def test_journal_records_the_credential_kind(
    server: MockServer, client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    cid = connection.connection_id
    scim.status(connection.bearer_token)
    nxt = client.scim.connection.rotate_start(
        organization_id=org["organization_id"], connection_id=cid
    ).connection.next_bearer_token
    scim.status(nxt)
    scim.status("wrong")
    scim.status(None)
    entries = server.mock.journal.entries(directory_id=cid)
    assert [e.credential for e in entries] == ["current", "next", "invalid", "none"]
    assert all(e.surface == "stytch-scim" for e in entries)
    assert nxt not in str([e.to_json() for e in server.mock.journal.entries()])


def test_state_snapshot_round_trip(
    server: MockServer, client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    scim.create_user(connection.bearer_token, "eve@acme.test")
    snap = server.mock.store.snapshot()
    assert connection.bearer_token not in str(snap)
    server.mock.store.restore(snap)
    assert server.mock.store.snapshot() == snap
    assert scim.status(connection.bearer_token) == 200
