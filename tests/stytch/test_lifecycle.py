"""The member lifecycle under SCIM, as Stytch's "Supported SCIM actions" table states it
(stytch.com docs b2b/guides/scim/actions; multi-tenant-auth/enterprise-ready/scim/overview):
provisioned, info updated, deprovisioned, reactivated, and group membership granting and
revoking SCIM-group implicit roles. Read back through the official SDK (sync and async)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
import stytch
from stytch.b2b.models import scim_connection as opts
from stytch.core.response_base import StytchError
from stytch.shared.method_options import Authorization

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _active(value: bool) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": value}]}


def member_of(client: Any, member_id: str) -> Any:
    return client.organizations.members.dangerously_get(
        member_id=member_id, include_deleted=True
    ).member


def roles_of(member: Any) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    return {r.role_id: [(s.type, s.details) for s in r.sources] for r in member.roles}


@pytest.fixture
def world(server: MockServer, client: Any) -> dict[str, Any]:
    """An organization granting ``auditor`` to @acme.test emails, a connection granting
    ``engineer`` to its Engineering group, and Ada provisioned into that group."""
    helpers.define_role(server.mock, "auditor", {"stytch.member": ["search"]})
    helpers.define_role(server.mock, "engineer", {"stytch.scim": ["get"]})
    org = client.organizations.create(
        organization_name="Acme",
        organization_slug="acme",
        rbac_email_implicit_role_assignments=[{"domain": "acme.test", "role_id": "auditor"}],
    ).organization
    conn = client.scim.connection.create(organization_id=org.organization_id).connection
    return {"org_id": org.organization_id, "conn": conn}


def _provision(scim_for: Any, world: dict[str, Any], client: Any) -> tuple[Any, str, str]:
    conn = world["conn"]
    scim = scim_for(conn.base_url)
    ada = scim.create_user(conn.bearer_token, "ada@acme.test", displayName="Ada")
    eng = scim.create_group(conn.bearer_token, "Engineering", [ada["id"]])
    client.scim.connection.update(
        organization_id=world["org_id"],
        connection_id=conn.connection_id,
        scim_group_implicit_role_assignments=[{"role_id": "engineer", "group_id": eng["id"]}],
    )
    return scim, ada["id"], eng["id"]


def _scim_get(client: Any, org_id: str, token: str) -> Any:
    """A session-authorized call (``get`` on stytch.scim)."""
    return client.scim.connection.get(
        organization_id=org_id,
        method_options=opts.GetRequestOptions(authorization=Authorization(session_token=token)),
    )


def test_provisioned_member_gets_email_and_group_implicit_roles(
    client: Any, world: dict[str, Any], scim_for: Any
) -> None:
    """Member Provisioned: "Assigns any email domain Implicit Role Grants"; Member Added to
    Group: "Applys any IdP Group Implicit Role Grants" (SCIM actions table). Source shapes per
    stytch-openapi ``api_organization_v1_MemberRoleSource``: email_assignment carries
    ``email_domain``, scim_connection_group ``connection_id`` and ``group_id``."""
    _scim, ada, eng = _provision(scim_for, world, client)
    member = member_of(client, ada)
    assert member.status == "active"
    assert roles_of(member) == {
        "stytch_member": [("direct_assignment", {})],
        "auditor": [("email_assignment", {"email_domain": "acme.test"})],
        "engineer": [
            (
                "scim_connection_group",
                {"connection_id": world["conn"].connection_id, "group_id": eng},
            )
        ],
    }


def test_deprovision_revokes_roles_and_sessions_reactivation_restores_implicit_only(
    server: MockServer, client: Any, world: dict[str, Any], scim_for: Any
) -> None:
    """Member Deprovisioned: "Revokes all current Roles", "Revokes all current Sessions";
    Member Reactivated: status active, "Apply any qualified Implicit Role Grants (Explicit
    Roles Grants must be re-assigned)" (SCIM actions table). Status value ``deleted``: the
    Member status enum (stytch-openapi ``api_organization_v1_Member.status``: pending, invited,
    active, deleted) and Stytch's Admin Portal (stytch-browser ``MemberStatus.ts``)."""
    scim, ada, _eng = _provision(scim_for, world, client)
    org_id, token = world["org_id"], world["conn"].bearer_token
    client.organizations.members.update(
        organization_id=org_id, member_id=ada, roles=["stytch_admin"]
    )
    session = helpers.mint_session(server.mock, ada)["session_token"]
    assert _scim_get(client, org_id, session).connection is not None

    assert scim.request("PATCH", f"/Users/{ada}", token, _active(False)).status_code == 200
    gone = member_of(client, ada)
    assert gone.status == "deleted"
    assert gone.roles == [] and gone.is_admin is False
    with pytest.raises(StytchError) as info:
        _scim_get(client, org_id, session)
    assert info.value.details.error_type == "session_not_found"

    assert scim.request("PATCH", f"/Users/{ada}", token, _active(True)).status_code == 200
    back = member_of(client, ada)
    assert back.status == "active"
    assert set(roles_of(back)) == {"stytch_member", "auditor", "engineer"}
    assert back.is_admin is False  # the explicit stytch_admin grant is not restored
    with pytest.raises(StytchError) as info:
        _scim_get(client, org_id, session)  # nor is the revoked session
    assert info.value.details.error_type == "session_not_found"


def test_scim_delete_hides_the_member_from_lookups(
    client: Any, world: dict[str, Any], scim_for: Any
) -> None:
    """SCIM DELETE deprovisions like ``active: false``. Search: "By default, this endpoint will
    not return deleted Members ... explicitly include the deleted status" (docs
    api-reference b2b members search-members). members.get: decided — not found, as the
    lookups' ``include_deleted`` default (openapi ``..._DangerouslyGetRequest``) implies."""
    scim, ada, _eng = _provision(scim_for, world, client)
    org_id = world["org_id"]
    assert scim.request("DELETE", f"/Users/{ada}", world["conn"].bearer_token).status_code == 204
    with pytest.raises(StytchError) as info:
        client.organizations.members.get(organization_id=org_id, member_id=ada)
    assert info.value.details.error_type == "member_not_found"
    with pytest.raises(StytchError):
        client.organizations.members.get(organization_id=org_id, email_address="ada@acme.test")
    assert client.organizations.members.search(organization_ids=[org_id]).members == []
    deleted = client.organizations.members.search(
        organization_ids=[org_id],
        query={
            "operator": "AND",
            "operands": [{"filter_name": "statuses", "filter_value": ["deleted"]}],
        },
    )
    assert [m.member_id for m in deleted.members] == [ada]
    assert deleted.members[0].roles == []


def test_group_membership_grants_and_revokes_group_roles(
    client: Any, world: dict[str, Any], scim_for: Any
) -> None:
    """Member Added to Group / Removed from Group / Group Deleted apply and remove the IdP
    group implicit role grants (SCIM actions table)."""
    scim, ada, eng = _provision(scim_for, world, client)
    token = world["conn"].bearer_token
    bob = scim.create_user(token, "bob@acme.test")["id"]
    assert "engineer" not in roles_of(member_of(client, bob))
    add = {
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": bob}]}],
    }
    assert scim.request("PATCH", f"/Groups/{eng}", token, add).status_code in (200, 204)
    assert "engineer" in roles_of(member_of(client, bob))
    remove = {
        "schemas": [PATCH],
        "Operations": [{"op": "remove", "path": f'members[value eq "{bob}"]'}],
    }
    assert scim.request("PATCH", f"/Groups/{eng}", token, remove).status_code in (200, 204)
    assert "engineer" not in roles_of(member_of(client, bob))
    assert "engineer" in roles_of(member_of(client, ada))
    assert scim.request("DELETE", f"/Groups/{eng}", token).status_code == 204
    assert "engineer" not in roles_of(member_of(client, ada))
    conn = client.scim.connection.get(organization_id=world["org_id"]).connection
    assert conn.scim_group_implicit_role_assignments == []


def test_info_update_reevaluates_email_domain_roles(
    client: Any, world: dict[str, Any], scim_for: Any
) -> None:
    """Member Info Updated: "Revokes or Assigns any email domain Implicit Role Grants"."""
    scim, ada, _eng = _provision(scim_for, world, client)
    token = world["conn"].bearer_token
    move = {
        "schemas": [PATCH],
        "Operations": [
            {
                "op": "replace",
                "path": "emails",
                "value": [{"value": "ada@elsewhere.test", "primary": True}],
            }
        ],
    }
    assert scim.request("PATCH", f"/Users/{ada}", token, move).status_code == 200
    member = member_of(client, ada)
    assert member.email_address == "ada@elsewhere.test"
    assert "auditor" not in roles_of(member)


def test_api_delete_and_reactivate_follow_the_same_rules(
    server: MockServer, client: Any, world: dict[str, Any]
) -> None:
    """API delete deactivates (Admin Portal: "all active sessions will be revoked ... Role
    assignments will not be restored"); reactivate needs a verified email (openapi
    ``..._members_Reactivate``) and brings back only the implicit roles."""
    org_id = world["org_id"]
    member = helpers.create_member(
        server.mock, org_id, "cy@acme.test", roles=["stytch_admin"], email_address_verified=True
    )
    session = helpers.mint_session(server.mock, member["member_id"])["session_token"]
    client.organizations.members.delete(organization_id=org_id, member_id=member["member_id"])
    assert member_of(client, member["member_id"]).roles == []
    with pytest.raises(StytchError):
        _scim_get(client, org_id, session)
    back = client.organizations.members.reactivate(
        organization_id=org_id, member_id=member["member_id"]
    ).member
    assert back.status == "active"
    assert set(roles_of(back)) == {"stytch_member", "auditor"}


def test_lifecycle_through_the_async_sdk(
    server: MockServer, world: dict[str, Any], scim_for: Any, client: Any
) -> None:
    """The same deprovision/reactivate rules read through the SDK's ``*_async`` methods
    (aiohttp), as an async integration sees them."""
    scim, ada, _eng = _provision(scim_for, world, client)
    token, org_id = world["conn"].bearer_token, world["org_id"]

    async def flow() -> None:
        async with aiohttp.ClientSession() as session:
            aclient = stytch.B2BClient(
                project_id=server.settings.stytch_project_id,
                secret=server.settings.stytch_secret,
                environment=server.url + "/",
                async_session=session,
            )
            members = aclient.organizations.members
            before = await members.get_async(organization_id=org_id, member_id=ada)
            assert before.member.status == "active"
            assert scim.request("PATCH", f"/Users/{ada}", token, _active(False)).status_code == 200
            with pytest.raises(StytchError) as info:
                await members.get_async(organization_id=org_id, member_id=ada)
            assert info.value.details.error_type == "member_not_found"
            # (dangerously_get_async cannot send include_deleted=True: aiohttp's URL builder
            # refuses a bool query value, so the deleted member is read through search.)
            gone = await members.search_async(
                organization_ids=[org_id],
                query={
                    "operator": "AND",
                    "operands": [{"filter_name": "statuses", "filter_value": ["deleted"]}],
                },
            )
            assert [(m.member_id, m.roles) for m in gone.members] == [(ada, [])]
            assert scim.request("PATCH", f"/Users/{ada}", token, _active(True)).status_code == 200
            back = await members.get_async(organization_id=org_id, member_id=ada)
            assert back.member.status == "active"
            assert {r.role_id for r in back.member.roles} == {
                "stytch_member",
                "auditor",
                "engineer",
            }

    asyncio.run(flow())
