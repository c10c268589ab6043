"""Webhook bodies a receiver can act on with nothing but the body.

Evidence: stytch.com/docs/b2b/guides/webhooks ("These segments combine to form the event type
identifier, following the structure source.object_type.action"); the "Supported SCIM Actions"
table (stytch.com/docs/b2b/guides/scim/actions: group memberships are
``scim.idp_group.member_add`` / ``member_delete``; "Member Info Updated" updates the Member
entity and triggers ``scim.member.update``). Where the guide's action list (``CREATE``,
``UPDATE`` or ``DELETE``) and its construction rule disagree for the membership events, the
rule wins: ``action`` is ``MEMBER_ADD`` / ``MEMBER_DELETE`` (see SUPPORTED.md)."""

from __future__ import annotations

from typing import Any

import requests


def _scim(org: dict[str, Any], method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(
        method,
        org["base_url"] + path,
        json=body,
        headers={"Authorization": f"Bearer {org['bearer_token']}"},
        timeout=10,
    )


def _user(email: str) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "emails": [{"value": email, "primary": True}],
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
    }


def _patch(*ops: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list(ops)}


def test_every_body_reconstructs_its_event_type(mockscim: Any, webhook_receiver: Any) -> None:
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    ada = _scim(org, "POST", "/Users", _user("ada@acme.test")).json()["id"]
    group = _scim(
        org,
        "POST",
        "/Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Eng",
            "members": [{"value": ada}],
        },
    ).json()["id"]
    drop = {"op": "remove", "path": f'members[value eq "{ada}"]'}
    assert _scim(org, "PATCH", f"/Groups/{group}", _patch(drop)).status_code in (200, 204)
    webhook_receiver.wait_for("scim.idp_group.member_delete")

    for event in webhook_receiver.events:
        body = event.payload
        rebuilt = f"{body['source']}.{body['object_type']}.{body['action']}".lower()
        assert rebuilt == event.event_type, (rebuilt, event.event_type)
    membership = [e.payload for e in webhook_receiver.events if "member_" in e.event_type]
    assert [(p["action"], p["member_id"]) for p in membership] == [
        ("MEMBER_ADD", ada),
        ("MEMBER_DELETE", ada),
    ]


def test_a_scim_write_that_changes_nothing_sends_no_update(
    mockscim: Any, webhook_receiver: Any, stytch_client: Any
) -> None:
    """An identical PATCH (and an identical PUT) leaves the Member as it was: no
    ``scim.member.update``, and its ``updated_at`` does not move; a real change still sends one."""
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    uid = _scim(org, "POST", "/Users", _user("ada@acme.test")).json()["id"]
    webhook_receiver.wait_for("scim.member.create")
    before = stytch_client.organizations.members.get(
        organization_id=org["organization_id"], member_id=uid
    ).member.updated_at
    mockscim.clock.advance(60)
    same = {"op": "replace", "path": "name.givenName", "value": "Ada"}
    assert _scim(org, "PATCH", f"/Users/{uid}", _patch(same)).status_code == 200
    current = _scim(org, "GET", f"/Users/{uid}").json()
    assert _scim(org, "PUT", f"/Users/{uid}", current).status_code == 200
    after = stytch_client.organizations.members.get(
        organization_id=org["organization_id"], member_id=uid
    ).member.updated_at
    assert after == before
    rename = {"op": "replace", "path": "name.givenName", "value": "Augusta"}
    assert _scim(org, "PATCH", f"/Users/{uid}", _patch(rename)).status_code == 200
    webhook_receiver.wait_for("scim.member.update")
    assert [e.event_type for e in webhook_receiver.events] == [
        "scim.member.create",
        "scim.member.update",
    ]
    assert webhook_receiver.events[1].payload["member"]["name"] == "Augusta Lovelace"
