"""Member-session RBAC on the organization and member endpoints.

Evidence: stytch-openapi declares ``X-Stytch-Member-Session``/``-SessionJWT`` on organization
PUT/DELETE and member create/update/delete/reactivate/search; the required actions come from
its field descriptions (``api_organization_v1_UpdateRequest``,
``api_organization_v1_organizations_members_UpdateRequest``) and the docs pages
delete-organization, delete-member, reactivate-member and search-members; the check order
(tenancy, then permission) mirrors stytch-go ``shared/rbac_local.go``."""

from __future__ import annotations

from typing import Any

import pytest
from stytch.b2b.models import organizations as org_opts
from stytch.b2b.models import organizations_members as member_opts
from stytch.shared.method_options import Authorization

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers


def session(server: MockServer, org_id: str, email: str, roles: list[str]) -> tuple[str, Any]:
    member = helpers.create_member(server.mock, org_id, email, roles=roles)
    minted = helpers.mint_session(server.mock, member["member_id"])
    return member["member_id"], Authorization(session_token=minted["session_token"])


def test_organization_update_needs_each_fields_action(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any
) -> None:
    """organization_name needs ``update.info.name``; email_jit_provisioning needs
    ``update.settings.email-jit-provisioning`` on stytch.organization."""
    org_id = org["organization_id"]
    helpers.define_role(server.mock, "renamer", {"stytch.organization": ["update.info.name"]})
    _, auth = session(server, org_id, "r@acme.test", ["renamer"])
    options = org_opts.UpdateRequestOptions(authorization=auth)
    renamed = client.organizations.update(
        organization_id=org_id, organization_name="Acme 2", method_options=options
    )
    assert renamed.organization.organization_name == "Acme 2"
    fails(
        lambda: client.organizations.update(
            organization_id=org_id, email_jit_provisioning="RESTRICTED", method_options=options
        ),
        403,
        "session_authorization_error",
    )
    fails(
        lambda: client.organizations.update(
            organization_id=org_id, trusted_metadata={"a": 1}, method_options=options
        ),
        400,
        "cannot_update_trusted_metadata",
    )


def test_organization_delete_needs_delete(
    server: MockServer, client: Any, org: dict[str, Any], other_org: dict[str, Any], fails: Any
) -> None:
    """Delete Organization: ``delete`` on stytch.organization; another organization's session
    is a tenancy error."""
    org_id = org["organization_id"]
    _, plain = session(server, org_id, "p@acme.test", [])
    fails(
        lambda: client.organizations.delete(
            organization_id=org_id,
            method_options=org_opts.DeleteRequestOptions(authorization=plain),
        ),
        403,
        "session_authorization_error",
    )
    _, foreign = session(server, other_org["organization_id"], "b@globex.test", ["stytch_admin"])
    fails(
        lambda: client.organizations.delete(
            organization_id=org_id,
            method_options=org_opts.DeleteRequestOptions(authorization=foreign),
        ),
        403,
        "session_authorization_tenancy_error",
    )
    _, admin = session(server, org_id, "a@acme.test", ["stytch_admin"])
    done = client.organizations.delete(
        organization_id=org_id, method_options=org_opts.DeleteRequestOptions(authorization=admin)
    )
    assert done.organization_id == org_id


@pytest.mark.parametrize("operation", ["create", "delete", "reactivate", "search", "roles"])
def test_member_operations_denied_to_a_plain_member(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any, operation: str
) -> None:
    """create / delete (of another member) / reactivate (``create``) / search / roles
    (``update.settings.roles``) on stytch.member are not in stytch_member's grants."""
    org_id = org["organization_id"]
    target = helpers.create_member(server.mock, org_id, "t@acme.test", email_address_verified=True)
    if operation == "reactivate":
        client.organizations.members.delete(organization_id=org_id, member_id=target["member_id"])
    _, auth = session(server, org_id, "p@acme.test", [])
    members = client.organizations.members
    calls = {
        "create": lambda: members.create(
            organization_id=org_id,
            email_address="n@acme.test",
            method_options=member_opts.CreateRequestOptions(authorization=auth),
        ),
        "delete": lambda: members.delete(
            organization_id=org_id,
            member_id=target["member_id"],
            method_options=member_opts.DeleteRequestOptions(authorization=auth),
        ),
        "reactivate": lambda: members.reactivate(
            organization_id=org_id,
            member_id=target["member_id"],
            method_options=member_opts.ReactivateRequestOptions(authorization=auth),
        ),
        "search": lambda: members.search(
            organization_ids=[org_id],
            method_options=member_opts.SearchRequestOptions(authorization=auth),
        ),
        "roles": lambda: members.update(
            organization_id=org_id,
            member_id=target["member_id"],
            roles=["stytch_admin"],
            method_options=member_opts.UpdateRequestOptions(authorization=auth),
        ),
    }
    fails(calls[operation], 403, "session_authorization_error")


def test_admin_may_run_member_operations(
    server: MockServer, client: Any, org: dict[str, Any]
) -> None:
    """stytch_admin holds ``*`` on stytch.member."""
    org_id = org["organization_id"]
    _, auth = session(server, org_id, "a@acme.test", ["stytch_admin"])
    members = client.organizations.members
    made = members.create(
        organization_id=org_id,
        email_address="n@acme.test",
        method_options=member_opts.CreateRequestOptions(authorization=auth),
    ).member
    updated = members.update(
        organization_id=org_id,
        member_id=made.member_id,
        roles=["stytch_admin"],
        method_options=member_opts.UpdateRequestOptions(authorization=auth),
    ).member
    assert updated.is_admin
    found = members.search(
        organization_ids=[org_id],
        method_options=member_opts.SearchRequestOptions(authorization=auth),
    )
    assert len(found.members) == 2
    members.delete(
        organization_id=org_id,
        member_id=made.member_id,
        method_options=member_opts.DeleteRequestOptions(authorization=auth),
    )


def test_members_act_on_themselves_through_stytch_self(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any
) -> None:
    """stytch_member grants ``*`` on stytch.self: a member may rename and delete itself, but
    not change its own email (``member_cannot_update_their_email_address``, openapi members
    UpdateRequest ``email_address``)."""
    org_id = org["organization_id"]
    me, auth = session(server, org_id, "me@acme.test", [])
    members = client.organizations.members
    options = member_opts.UpdateRequestOptions(authorization=auth)
    renamed = members.update(
        organization_id=org_id, member_id=me, name="Me", method_options=options
    ).member
    assert renamed.name == "Me"
    fails(
        lambda: members.update(
            organization_id=org_id,
            member_id=me,
            email_address="x@acme.test",
            method_options=options,
        ),
        400,
        "member_cannot_update_their_email_address",
    )
    other = helpers.create_member(server.mock, org_id, "o@acme.test")
    fails(
        lambda: members.update(
            organization_id=org_id, member_id=other["member_id"], name="X", method_options=options
        ),
        403,
        "session_authorization_error",
    )
    members.delete(
        organization_id=org_id,
        member_id=me,
        method_options=member_opts.DeleteRequestOptions(authorization=auth),
    )


def test_member_search_only_in_the_sessions_organization(
    server: MockServer, client: Any, org: dict[str, Any], other_org: dict[str, Any], fails: Any
) -> None:
    """With a session, "organization_ids may only contain the organization_id of the Member
    Session" (docs b2b/api/search-members): otherwise a 403 tenancy error."""
    _, auth = session(server, org["organization_id"], "a@acme.test", ["stytch_admin"])
    fails(
        lambda: client.organizations.members.search(
            organization_ids=[org["organization_id"], other_org["organization_id"]],
            method_options=member_opts.SearchRequestOptions(authorization=auth),
        ),
        403,
        "session_authorization_tenancy_error",
    )
