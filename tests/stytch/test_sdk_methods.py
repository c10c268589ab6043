"""Every emulated SDK method, called through the official ``stytch`` SDK: each response must
parse into the SDK's pydantic models and carry what the call did."""

from __future__ import annotations

from typing import Any

from stytch.b2b.models.organizations import SearchQuery

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers


def test_organization_methods(client: Any) -> None:
    created = client.organizations.create(
        organization_name="Acme Corp",
        organization_slug="acme",
        organization_external_id="ext-1",
        email_allowed_domains=["acme.test"],
        trusted_metadata={"tier": "gold"},
    )
    assert created.status_code == 200
    assert created.request_id.startswith("request-id-test-")
    org = created.organization
    assert org.organization_id.startswith("organization-test-")
    assert org.organization_slug == "acme"
    assert org.email_allowed_domains == ["acme.test"]
    assert org.scim_active_connection is None

    for key in (org.organization_id, "acme", "ext-1"):
        assert client.organizations.get(organization_id=key).organization.organization_id == (
            org.organization_id
        )

    updated = client.organizations.update(
        organization_id="acme", organization_name="Acme Inc", mfa_policy="REQUIRED_FOR_ALL"
    ).organization
    assert updated.organization_name == "Acme Inc"
    assert updated.mfa_policy == "REQUIRED_FOR_ALL"
    assert updated.organization_slug == "acme"

    client.organizations.create(organization_name="Globex", organization_slug="globex")
    found = client.organizations.search(
        query=SearchQuery(
            operator="OR",
            operands=[{"filter_name": "organization_slugs", "filter_value": ["acme"]}],
        )
    )
    assert [o.organization_slug for o in found.organizations] == ["acme"]
    assert found.results_metadata.total == 1
    assert found.results_metadata.next_cursor is None
    everything = client.organizations.search(limit=1)
    assert len(everything.organizations) == 1 and everything.results_metadata.total == 2
    rest = client.organizations.search(limit=1, cursor=everything.results_metadata.next_cursor)
    assert rest.organizations[0].organization_id != everything.organizations[0].organization_id
    assert rest.results_metadata.next_cursor is None

    deleted = client.organizations.delete(organization_id=org.organization_id)
    assert deleted.organization_id == org.organization_id
    assert client.organizations.search().results_metadata.total == 1


def test_member_methods(server: MockServer, client: Any, org: dict[str, Any]) -> None:
    org_id = org["organization_id"]
    created = client.organizations.members.create(
        organization_id=org_id,
        email_address="ada@acme.test",
        name="Ada",
        roles=["stytch_admin"],
        external_id="emp-1",
        trusted_metadata={"a": 1},
    )
    member = created.member
    assert member.member_id.startswith("member-test-")
    assert member.status == "active" and member.is_admin
    assert {r.role_id for r in member.roles} == {"stytch_member", "stytch_admin"}
    assert created.organization.organization_id == org_id

    by_email = client.organizations.members.get(
        organization_id="acme", email_address="ada@acme.test"
    )
    assert by_email.member_id == member.member_id
    by_id = client.organizations.members.get(organization_id=org_id, member_id=member.member_id)
    assert by_id.member.external_id == "emp-1"

    updated = client.organizations.members.update(
        organization_id=org_id, member_id=member.member_id, name="Ada L.", roles=[]
    ).member
    assert updated.name == "Ada L." and not updated.is_admin

    client.organizations.members.create(organization_id=org_id, email_address="bob@acme.test")
    search = client.organizations.members.search(
        organization_ids=[org_id],
        query={
            "operator": "AND",
            "operands": [{"filter_name": "member_email_fuzzy", "filter_value": "ada"}],
        },
    )
    assert [m.email_address for m in search.members] == ["ada@acme.test"]
    assert list(search.organizations) == [org_id]
    assert search.results_metadata.total == 1

    assert (
        client.organizations.members.delete(
            organization_id=org_id, member_id=member.member_id
        ).member_id
        == member.member_id
    )
    hidden = client.organizations.members.search(organization_ids=[org_id])
    assert [m.email_address for m in hidden.members] == ["bob@acme.test"]
    shown = client.organizations.members.dangerously_get(
        member_id=member.member_id, include_deleted=True
    )
    assert shown.member.status == "deleted"
    # Reactivation "will only work for Members with at least one verified email" (openapi
    # ..._members_Reactivate); the mock's stand-in for the member's first email login:
    helpers.verify_email(server.mock, member.member_id)
    back = client.organizations.members.reactivate(
        organization_id=org_id, member_id=member.member_id
    )
    assert back.member.status == "active"
    assert client.organizations.members.dangerously_get(member_id=member.member_id).member_id == (
        member.member_id
    )


def test_scim_connection_methods(
    server: MockServer, client: Any, org: dict[str, Any], scim_for: Any
) -> None:
    org_id = org["organization_id"]
    conn = client.scim.connection.create(
        organization_id="acme", display_name="Entra", identity_provider="microsoft-entra"
    ).connection
    assert conn.connection_id.startswith("scim-connection-test-")
    assert conn.organization_id == org_id
    assert conn.status == "active"
    assert conn.base_url == f"{server.url}/v1/b2b/scim/{conn.connection_id}?aadOptscim062020"
    assert conn.bearer_token_expires_at is not None

    got = client.scim.connection.get(organization_id="ext-acme").connection
    assert got.connection_id == conn.connection_id
    assert got.display_name == "Entra" and got.identity_provider == "microsoft-entra"
    assert got.bearer_token_last_four == conn.bearer_token[-4:]

    org_view = client.organizations.get(organization_id=org_id).organization
    assert org_view.scim_active_connection.connection_id == conn.connection_id
    assert org_view.scim_active_connection.bearer_token_last_four == conn.bearer_token[-4:]

    scim = scim_for(conn.base_url)
    engineers = scim.create_group(conn.bearer_token, "Engineers")
    scim.create_group(conn.bearer_token, "Sales")

    updated = client.scim.connection.update(
        organization_id=org_id,
        connection_id=conn.connection_id,
        display_name="Entra ID",
        identity_provider="okta",
        scim_group_implicit_role_assignments=[
            {"role_id": "stytch_admin", "group_id": engineers["id"]}
        ],
    ).connection
    assert updated.display_name == "Entra ID"
    assert updated.base_url.endswith(conn.connection_id)
    [assignment] = updated.scim_group_implicit_role_assignments
    assert (assignment.role_id, assignment.group_id, assignment.group_name) == (
        "stytch_admin",
        engineers["id"],
        "Engineers",
    )

    page = client.scim.connection.get_groups(
        organization_id=org_id, connection_id=conn.connection_id, limit=1
    )
    assert [g.group_name for g in page.scim_groups] == ["Engineers"]
    assert page.scim_groups[0].group_id.startswith("scim-group-test-")
    assert page.scim_groups[0].organization_id == org_id
    assert page.scim_groups[0].connection_id == conn.connection_id
    assert page.next_cursor
    rest = client.scim.connection.get_groups(
        organization_id=org_id, connection_id=conn.connection_id, cursor=page.next_cursor
    )
    assert [g.group_name for g in rest.scim_groups] == ["Sales"]
    assert rest.next_cursor is None

    started = client.scim.connection.rotate_start(
        organization_id=org_id, connection_id=conn.connection_id
    )
    assert started.connection.next_bearer_token
    assert (
        client.scim.connection.rotate_cancel(
            organization_id=org_id, connection_id=conn.connection_id
        ).connection.next_bearer_token_last_four
        == ""
    )
    client.scim.connection.rotate_start(organization_id=org_id, connection_id=conn.connection_id)
    completed = client.scim.connection.rotate_complete(
        organization_id=org_id, connection_id=conn.connection_id
    )
    assert completed.connection.status == "active"

    deleted = client.scim.connection.delete(
        organization_id=org_id, connection_id=conn.connection_id
    )
    assert deleted.connection_id == conn.connection_id
    again = client.scim.connection.create(organization_id=org_id)
    assert again.connection.connection_id != conn.connection_id
    assert again.connection.identity_provider == "generic"
    assert again.connection.display_name == ""


def test_session_headers_work_with_token_and_jwt(
    server: MockServer, client: Any, org: dict[str, Any]
) -> None:
    from stytch.b2b.models.scim_connection import CreateRequestOptions, GetRequestOptions
    from stytch.shared.method_options import Authorization

    from mockscim.vendors.stytch import seeding as helpers

    admin = helpers.create_member(
        server.mock, org["organization_id"], "root@acme.test", roles=["stytch_admin"]
    )
    session = helpers.mint_session(server.mock, admin["member_id"])
    assert session["session_jwt"].count(".") == 2
    created = client.scim.connection.create(
        organization_id=org["organization_id"],
        method_options=CreateRequestOptions(
            authorization=Authorization(session_token=session["session_token"])
        ),
    )
    got = client.scim.connection.get(
        organization_id=org["organization_id"],
        method_options=GetRequestOptions(
            authorization=Authorization(session_jwt=session["session_jwt"])
        ),
    )
    assert got.connection.connection_id == created.connection.connection_id
    credentials = [e.credential for e in server.mock.journal.entries(path="**/connection")]
    assert credentials[-2:] == ["session", "session"]
