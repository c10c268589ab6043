"""Retired emails through the official SDK.

Evidence: openapi members ``UpdateRequest.email_address`` ("other Members in the same
Organization cannot use the old email address, although the Member may update back to their old
email address"; "This will clear any existing passwords and require re-verification of the new
email address"; ``unlink_email``), ``Member.retired_email_addresses`` and the
``..._UnlinkRetiredEmail`` description ("A retired email address cannot be used by other Members
in the same Organization. However, unlinking retired email addresses allows them to be
subsequently re-used"; the two ways an address is retired), catalogue ``retired_member_email``,
``retired_email_missing_email_identifiers``."""

from __future__ import annotations

from typing import Any

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers

from .conftest import USER_SCHEMA


def test_email_change_retires_the_old_address_until_unlinked(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any
) -> None:
    org_id = org["organization_id"]
    ada = client.organizations.members.create(
        organization_id=org_id, email_address="ada@acme.test"
    ).member
    helpers.verify_email(server.mock, ada.member_id)
    with server.mock.store.lock:
        server.mock.store.vendor("stytch").members[ada.member_id].member_password_id = "pw-1"

    moved = client.organizations.members.update(
        organization_id=org_id, member_id=ada.member_id, email_address="ada@new.test"
    ).member
    assert moved.email_address == "ada@new.test"
    assert moved.email_address_verified is False
    assert moved.member_password_id == ""
    assert [r.email_address for r in moved.retired_email_addresses] == ["ada@acme.test"]
    email_id = moved.retired_email_addresses[0].email_id

    # Nobody else may take it: neither a new member nor another member's update.
    fails(
        lambda: client.organizations.members.create(
            organization_id=org_id, email_address="ada@acme.test"
        ),
        400,
        "retired_member_email",
    )
    bob = client.organizations.members.create(
        organization_id=org_id, email_address="bob@acme.test"
    ).member
    fails(
        lambda: client.organizations.members.update(
            organization_id=org_id, member_id=bob.member_id, email_address="ADA@acme.test"
        ),
        400,
        "retired_member_email",
    )
    fails(
        lambda: client.organizations.members.unlink_retired_email(
            organization_id=org_id, member_id=ada.member_id
        ),
        400,
        "retired_email_missing_email_identifiers",
    )
    fails(
        lambda: client.organizations.members.unlink_retired_email(
            organization_id=org_id,
            member_id=ada.member_id,
            email_id=email_id,
            email_address="other@acme.test",
        ),
        404,
        "email_not_found",
    )
    unlinked = client.organizations.members.unlink_retired_email(
        organization_id=org_id, member_id=ada.member_id, email_id=email_id
    )
    assert unlinked.organization_id == org_id
    assert unlinked.member.retired_email_addresses == []
    taken = client.organizations.members.update(
        organization_id=org_id, member_id=bob.member_id, email_address="ada@acme.test"
    ).member
    assert taken.email_address == "ada@acme.test"


def test_member_may_return_to_its_retired_address_and_unlink_email_drops_it(
    client: Any, org: dict[str, Any]
) -> None:
    """ "the Member may update back to their old email address"; with ``unlink_email`` the
    previous email "will be deleted instead of retired"."""
    org_id = org["organization_id"]
    member = client.organizations.members.create(
        organization_id=org_id, email_address="a@acme.test"
    ).member
    mid = member.member_id
    client.organizations.members.update(
        organization_id=org_id, member_id=mid, email_address="b@acme.test"
    )
    back = client.organizations.members.update(
        organization_id=org_id, member_id=mid, email_address="a@acme.test"
    ).member
    assert back.email_address == "a@acme.test"
    assert [r.email_address for r in back.retired_email_addresses] == ["b@acme.test"]
    dropped = client.organizations.members.update(
        organization_id=org_id, member_id=mid, email_address="c@acme.test", unlink_email=True
    ).member
    assert [r.email_address for r in dropped.retired_email_addresses] == ["b@acme.test"]
    other = client.organizations.members.create(organization_id=org_id, email_address="a@acme.test")
    assert other.member.email_address == "a@acme.test"


def test_a_deleted_members_retired_address_is_free(client: Any, org: dict[str, Any]) -> None:
    """ "A Member's email address can only be useable again by other Members if the Member is
    deleted" (openapi members UpdateRequest ``email_address``)."""
    org_id = org["organization_id"]
    member = client.organizations.members.create(
        organization_id=org_id, email_address="a@acme.test"
    ).member
    client.organizations.members.update(
        organization_id=org_id, member_id=member.member_id, email_address="b@acme.test"
    )
    client.organizations.members.delete(organization_id=org_id, member_id=member.member_id)
    again = client.organizations.members.create(organization_id=org_id, email_address="a@acme.test")
    assert again.member.status == "active"


def test_scim_cannot_take_a_retired_address_and_does_not_retire(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    """An IdP provisioning a user with a retired address gets SCIM 409 ``uniqueness`` (the
    address "cannot be used by other Members"). A SCIM email change itself retires nothing:
    Stytch names two ways an address is retired, "an explicit Member update" and a new address
    "surfaced by an OAuth, SAML or OIDC provider" (openapi ``..._UnlinkRetiredEmail``), and
    SCIM is neither, so the old address is free at once (decided from that list)."""
    org_id = org["organization_id"]
    token = connection.bearer_token
    member = client.organizations.members.create(
        organization_id=org_id, email_address="old@acme.test"
    ).member
    client.organizations.members.update(
        organization_id=org_id, member_id=member.member_id, email_address="new@acme.test"
    )
    refused = scim.request(
        "POST",
        "/Users",
        token,
        {
            "schemas": [USER_SCHEMA],
            "userName": "old@acme.test",
            "emails": [{"value": "old@acme.test"}],
        },
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["scimType"] == "uniqueness"

    user = scim.create_user(token, "sam@acme.test", emails=[{"value": "sam@acme.test"}])
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "replace", "path": "emails", "value": [{"value": "samuel@acme.test"}]},
            {"op": "replace", "path": "userName", "value": "samuel@acme.test"},
        ],
    }
    assert scim.request("PATCH", f"/Users/{user['id']}", token, patch).status_code == 200
    changed = client.organizations.members.get(organization_id=org_id, member_id=user["id"]).member
    assert changed.email_address == "samuel@acme.test"
    assert changed.retired_email_addresses == []
    reused = client.organizations.members.create(
        organization_id=org_id, email_address="sam@acme.test"
    )
    assert reused.member.email_address == "sam@acme.test"
