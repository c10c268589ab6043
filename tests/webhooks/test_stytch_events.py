"""Stytch's webhook events as a customer's handler receives them, verified by ``svix``.

Vendor sources: stytch.com/docs/b2b/guides/webhooks ("Overview": type ``source.object_type.
action``; "Payload structure": project_id, event_id, action, object_type, source, id, timestamp,
and the object under the ``object_type`` key for CREATE/UPDATE); the Svix event catalogue for
Stytch (svix.com/event-types/us/org_2XtyUqbN4SKO3pqtd1Yp5eNLYas: ``webhook-event-test-<uuid>``
ids, ``"vertical": "B2B"``, a DELETE carries no object); stytch.com/docs/b2b/guides/scim/actions
("Supported SCIM Actions": which SCIM action triggers which ``scim.*`` event).
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
import requests
from svix.webhooks import Webhook

from mockscim.vendors.stytch.seeding import verify_email

EVENT_ID = re.compile(r"^webhook-event-test-[0-9a-f-]{36}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
MESSAGE_ID = re.compile(r"^msg_[0-9A-Za-z]{27}$")
ENVELOPE = ["project_id", "event_id", "action", "object_type", "source", "id", "timestamp"]


def scim(org: dict[str, Any], method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(
        method,
        org["base_url"] + path,
        json=body,
        headers={"Authorization": f"Bearer {org['bearer_token']}"},
        timeout=10,
    )


def user(email: str, given: str, active: bool = True) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "emails": [{"value": email, "primary": True, "type": "work"}],
        "name": {"givenName": given, "familyName": "Lovelace"},
        "active": active,
    }


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": list(operations),
    }


def assert_envelope(payload: dict[str, Any], source: str, action: str, object_type: str) -> None:
    for key in ENVELOPE:
        assert key in payload, key
    assert payload["source"] == source
    assert payload["action"] == action
    assert payload["object_type"] == object_type
    assert payload["vertical"] == "B2B"
    assert EVENT_ID.match(payload["event_id"]), payload["event_id"]
    assert TIMESTAMP.match(payload["timestamp"]), payload["timestamp"]


def test_scim_member_lifecycle_arrives_in_order_and_verified(mockscim, webhook_receiver):
    """Provision, update, deprovision, reactivate, delete and re-provision one user over
    SCIM: Stytch's table maps them to scim.member.create / update / delete / update / delete /
    update (a reactivation is an update; a deprovisioned Member stays, so the re-provisioning
    by email reactivates it)."""
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    assert mockscim.webhooks.messages() == []  # seeding is not an API call: no events

    created = scim(org, "POST", "/Users", user("ada@acme.test", "Ada"))
    assert created.status_code == 201
    uid = created.json()["id"]
    webhook_receiver.wait_for("scim.member.create")
    rename = {"op": "replace", "path": "name.givenName", "value": "Augusta"}
    assert scim(org, "PATCH", f"/Users/{uid}", patch(rename)).status_code == 200
    webhook_receiver.wait_for("scim.member.update")
    off = {"op": "replace", "path": "active", "value": False}
    assert scim(org, "PATCH", f"/Users/{uid}", patch(off)).status_code == 200
    webhook_receiver.wait_for("scim.member.delete")
    on = {"op": "replace", "path": "active", "value": True}
    assert scim(org, "PATCH", f"/Users/{uid}", patch(on)).status_code == 200
    webhook_receiver.wait_for("scim.member.update", count=2)
    assert scim(org, "DELETE", f"/Users/{uid}").status_code == 204
    webhook_receiver.wait_for("scim.member.delete", count=2)
    again = scim(org, "POST", "/Users", user("ada@acme.test", "Ada"))
    assert again.status_code == 201
    webhook_receiver.wait_for("scim.member.update", count=3)

    events = webhook_receiver.events
    assert [e.event_type for e in events] == [
        "scim.member.create",
        "scim.member.update",
        "scim.member.delete",
        "scim.member.update",
        "scim.member.delete",
        "scim.member.update",
    ]
    member_id = events[0].payload["id"]
    for event in events:
        Webhook(webhook_receiver.secret).verify(event.body, event.headers)  # raises if bad
        assert MESSAGE_ID.match(event.id)
        assert event.payload["id"] == member_id
        assert event.payload["project_id"] == mockscim.settings.stytch_project_id
    assert len({e.payload["event_id"] for e in events}) == len(events)

    create, update, deprovision, reactivate = events[0], events[1], events[2], events[3]
    assert_envelope(create.payload, "SCIM", "CREATE", "member")
    assert create.payload["member"]["email_address"] == "ada@acme.test"
    assert create.payload["member"]["member_id"] == member_id
    assert create.payload["member"]["status"] == "active"
    assert_envelope(update.payload, "SCIM", "UPDATE", "member")
    assert update.payload["member"]["name"] == "Augusta Lovelace"
    assert_envelope(deprovision.payload, "SCIM", "DELETE", "member")
    assert "member" not in deprovision.payload
    assert reactivate.payload["member"]["status"] == "active"


def test_scim_group_and_membership_events(mockscim, webhook_receiver):
    """Groups: scim.idp_group.create / update (a rename) / delete, memberships
    scim.idp_group.member_add / member_delete (stytch.com/docs/b2b/guides/scim/actions and the
    API reference's SCIM overview, "Handle webhooks"). The group object is the API's SCIMGroup
    (group_id, group_name, organization_id, connection_id)."""
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    ada = scim(org, "POST", "/Users", user("ada@acme.test", "Ada")).json()["id"]
    bob = scim(org, "POST", "/Users", user("bob@acme.test", "Bob")).json()["id"]
    group = scim(
        org,
        "POST",
        "/Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Engineering",
            "members": [{"value": ada}],
        },
    )
    assert group.status_code == 201
    gid = group.json()["id"]
    add_bob = {"op": "add", "path": "members", "value": [{"value": bob}]}
    assert scim(org, "PATCH", f"/Groups/{gid}", patch(add_bob)).status_code in (200, 204)
    drop_ada = {"op": "remove", "path": f'members[value eq "{ada}"]'}
    assert scim(org, "PATCH", f"/Groups/{gid}", patch(drop_ada)).status_code in (200, 204)
    rename = {"op": "replace", "path": "displayName", "value": "Platform"}
    assert scim(org, "PATCH", f"/Groups/{gid}", patch(rename)).status_code in (200, 204)
    assert scim(org, "DELETE", f"/Groups/{gid}").status_code == 204
    webhook_receiver.wait_for("scim.idp_group.delete")

    group_events = [e for e in webhook_receiver.events if ".idp_group." in str(e.event_type)]
    assert [(e.event_type, e.payload.get("member_id")) for e in group_events] == [
        ("scim.idp_group.create", None),
        ("scim.idp_group.member_add", ada),
        ("scim.idp_group.member_add", bob),
        ("scim.idp_group.member_delete", ada),
        ("scim.idp_group.update", None),
        ("scim.idp_group.delete", None),
    ]
    created = group_events[0].payload
    assert_envelope(created, "SCIM", "CREATE", "idp_group")
    assert created["id"] == gid
    assert created["idp_group"] == {
        "group_id": gid,
        "group_name": "Engineering",
        "organization_id": org["organization_id"],
        "connection_id": org["connection_id"],
    }
    assert group_events[4].payload["idp_group"]["group_name"] == "Platform"
    assert "idp_group" not in group_events[5].payload


def test_direct_events_from_sdk_calls(mockscim, webhook_receiver, stytch_client):
    """API calls through the official SDK emit direct.* events (the guide's example:
    direct.organization.create "when an Organization is created via API or SDK call"), each
    carrying the object as the API returned it in that call."""
    org = stytch_client.organizations.create(organization_name="Acme").organization
    stytch_client.organizations.update(
        organization_id=org.organization_id, organization_name="Acme2"
    )
    member = stytch_client.organizations.members.create(
        organization_id=org.organization_id, email_address="ada@acme.test", name="Ada"
    ).member
    stytch_client.organizations.members.update(
        organization_id=org.organization_id, member_id=member.member_id, name="Ada L"
    )
    stytch_client.organizations.members.delete(
        organization_id=org.organization_id, member_id=member.member_id
    )
    verify_email(mockscim.mock, member.member_id)  # Stytch reactivates verified emails only
    stytch_client.organizations.members.reactivate(
        organization_id=org.organization_id, member_id=member.member_id
    )
    connection = stytch_client.scim.connection.create(
        organization_id=org.organization_id, display_name="Okta"
    ).connection
    stytch_client.scim.connection.update(
        organization_id=org.organization_id,
        connection_id=connection.connection_id,
        display_name="Okta 2",
    )
    stytch_client.scim.connection.delete(
        organization_id=org.organization_id, connection_id=connection.connection_id
    )
    stytch_client.organizations.delete(organization_id=org.organization_id)
    webhook_receiver.wait_for("direct.organization.delete")

    events = webhook_receiver.events
    assert [e.event_type for e in events] == [
        "direct.organization.create",
        "direct.organization.update",
        "direct.member.create",
        "direct.member.update",
        "direct.member.delete",
        "direct.member.update",
        "direct.scim_connection.create",
        "direct.scim_connection.update",
        "direct.scim_connection.delete",
        "direct.organization.delete",
    ]
    for event in events:
        Webhook(webhook_receiver.secret).verify(event.body, event.headers)
        assert event.payload["source"] == "DIRECT"
    org_create = events[0].payload
    assert_envelope(org_create, "DIRECT", "CREATE", "organization")
    assert org_create["id"] == org.organization_id
    assert org_create["organization"]["organization_name"] == "Acme"
    assert events[1].payload["organization"]["organization_name"] == "Acme2"
    assert events[2].payload["member"]["name"] == "Ada"
    assert events[3].payload["member"]["name"] == "Ada L"
    assert "member" not in events[4].payload
    assert events[5].payload["member"]["status"] == "active"
    conn = events[6].payload
    assert_envelope(conn, "DIRECT", "CREATE", "scim_connection")
    assert conn["scim_connection"]["connection_id"] == connection.connection_id
    assert "bearer_token" not in conn["scim_connection"]  # the token is shown once, to the caller
    assert events[7].payload["scim_connection"]["display_name"] == "Okta 2"
    assert events[9].payload["id"] == org.organization_id


def test_endpoint_filter_receives_only_its_event_types(mockscim, webhook_receiver, stytch_client):
    """An endpoint subscribed to some event types gets only those (Stytch: "specifying a URL(s)
    ... and the type of events you wish to receive"); the other endpoint gets everything."""
    from mockscim.testing.webhooks import WebhookReceiver

    with WebhookReceiver(mockscim, events=["direct.member.create"]) as narrow:
        org = stytch_client.organizations.create(organization_name="Acme").organization
        stytch_client.organizations.members.create(
            organization_id=org.organization_id, email_address="ada@acme.test"
        )
        narrow.wait_for("direct.member.create")
        webhook_receiver.wait_for("direct.member.create")
        assert narrow.event_types() == ["direct.member.create"]
        assert webhook_receiver.event_types() == [
            "direct.organization.create",
            "direct.member.create",
        ]


def test_ssoready_emits_nothing(mockscim, webhook_receiver):
    """SSOReady has no webhooks: applications fetch users and groups through its SDKs or HTTP
    API (ssoready.com/docs/ssoready-concepts/scim-directories); its SCIM writes emit nothing."""
    org = mockscim.ssoready.create_org(domains=["initech.test"])
    token = org["bearer_token"]
    response = requests.post(
        org["base_url"] + "/Users",
        json=user("ada@initech.test", "Ada"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text
    mockscim.webhooks.flush()
    assert mockscim.webhooks.messages() == []
    assert webhook_receiver.deliveries == []


@pytest.mark.parametrize("event_type", ["scim.member.create"])
def test_control_wait_for_returns_the_delivered_message(mockscim, webhook_receiver, event_type):
    """``mockscim.webhooks.wait_for`` answers with the message once every endpoint took it."""
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    scim(org, "POST", "/Users", user("ada@acme.test", "Ada"))
    message = mockscim.webhooks.wait_for(event_type)
    assert message.event_type == event_type
    assert message.delivered
    assert [a["status"] for a in message.attempts] == [204]
    assert message.payload == webhook_receiver.wait_for(event_type).payload


def test_events_are_recorded_without_any_endpoint(mockscim_app):
    """Like a Svix application, the mock keeps the messages it emitted even when no endpoint
    is subscribed, so a test can assert on them through any control handle."""
    settings = mockscim_app.settings
    auth = base64.b64encode(f"{settings.stytch_project_id}:{settings.stytch_secret}".encode())
    response = mockscim_app.post(
        "/v1/b2b/organizations",
        json={"organization_name": "Acme"},
        headers={"Authorization": f"Basic {auth.decode()}"},
    )
    assert response.status_code == 200
    messages = mockscim_app.webhooks.messages()
    assert [m.event_type for m in messages] == ["direct.organization.create"]
    assert messages[0].deliveries == [] and messages[0].delivered
    organization = response.get_json()["organization"]
    assert messages[0].payload["organization"] == organization
