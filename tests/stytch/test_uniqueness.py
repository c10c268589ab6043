"""One live member per email per organization, through the API and through SCIM.

Evidence: a Member is "uniquely identified within that Organization by their email address"
(Stytch docs member pages); ``duplicate_member_email`` (Stytch's error catalogue); "A Member's
email address can only be useable again by other Members if the Member is deleted" (openapi
members UpdateRequest ``email_address``)."""

from __future__ import annotations

import json
from typing import Any

from mockscim.testing.server import MockServer

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _emails(value: str) -> dict[str, Any]:
    return {
        "schemas": [PATCH],
        "Operations": [
            {"op": "replace", "path": "emails", "value": [{"value": value, "primary": True}]}
        ],
    }


def test_api_update_to_a_taken_email(client: Any, org: dict[str, Any], fails: Any) -> None:
    """API update that would duplicate a live member's email: ``duplicate_member_email``."""
    org_id = org["organization_id"]
    members = client.organizations.members
    members.create(organization_id=org_id, email_address="ada@acme.test")
    bob = members.create(organization_id=org_id, email_address="bob@acme.test").member
    fails(
        lambda: members.update(
            organization_id=org_id, member_id=bob.member_id, email_address="ADA@acme.test"
        ),
        400,
        "duplicate_member_email",
    )


def test_deleted_members_email_is_free(client: Any, org: dict[str, Any]) -> None:
    """A deleted member's email may be used by a new member."""
    org_id = org["organization_id"]
    members = client.organizations.members
    old = members.create(organization_id=org_id, email_address="ada@acme.test").member
    members.delete(organization_id=org_id, member_id=old.member_id)
    new = members.create(organization_id=org_id, email_address="ada@acme.test").member
    assert new.member_id != old.member_id
    got = members.get(organization_id=org_id, email_address="ada@acme.test")
    assert got.member_id == new.member_id


def snapshot(server: MockServer) -> str:
    return json.dumps(server.mock.store.snapshot(), sort_keys=True)


def _refused(server: MockServer, response: Any, before: str) -> None:
    assert response.status_code == 409, response.text
    assert response.json()["scimType"] == "uniqueness"
    assert snapshot(server) == before


def test_scim_writes_that_would_duplicate_an_email_are_409(
    server: MockServer, client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    """A SCIM write that would give two live members one email is a SCIM 409 ``uniqueness``
    (RFC 7644 3.12) and changes nothing: a second SCIM user with a taken email, a PATCH to
    another member's email, and reactivating a user whose email was taken meanwhile."""
    token = connection.bearer_token
    org_id = org["organization_id"]
    ada = scim.create_user(token, "ada@acme.test")
    before = snapshot(server)
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "ada-2",
        "emails": [{"value": "ada@acme.test", "primary": True}],
    }
    _refused(server, scim.request("POST", "/Users", token, body), before)

    client.organizations.members.create(organization_id=org_id, email_address="cy@acme.test")
    before = snapshot(server)
    _refused(
        server, scim.request("PATCH", f"/Users/{ada['id']}", token, _emails("cy@acme.test")), before
    )

    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    assert scim.request("PATCH", f"/Users/{ada['id']}", token, off).status_code == 200
    client.organizations.members.create(organization_id=org_id, email_address="ada@acme.test")
    before = snapshot(server)
    on = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]}
    _refused(server, scim.request("PATCH", f"/Users/{ada['id']}", token, on), before)


def test_scim_post_for_an_api_members_email_links_that_member(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    """Decided without published evidence (no Stytch doc, SDK or issue states it): a SCIM
    POST whose email belongs to a live member not held by another SCIM user of the connection
    takes that member over (it gets the SCIM registration) instead of failing, so an IdP can
    adopt members that existed before SCIM was switched on; explicit roles are kept."""
    existing = client.organizations.members.create(
        organization_id=org["organization_id"],
        email_address="dee@acme.test",
        roles=["stytch_admin"],
    ).member
    user = scim.create_user(connection.bearer_token, "dee@acme.test")
    member = client.organizations.members.get(
        organization_id=org["organization_id"], member_id=existing.member_id
    ).member
    assert member.scim_registration.scim_attributes.id == user["id"]
    assert member.is_admin
    assert len(client.organizations.members.search(organization_ids=["acme"]).members) == 1
