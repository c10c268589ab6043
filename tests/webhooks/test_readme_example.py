"""The README's "Test your webhook handler" example, verbatim, so the documentation keeps working.

Vendor sources: stytch.com/docs/b2b/guides/scim/actions (deprovisioning sends
``scim.member.delete``), docs.svix.com "Verifying webhooks manually".
"""

import requests
from svix.webhooks import Webhook


def test_deprovisioning_reaches_my_handler(mockscim, webhook_receiver):
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    auth = {"Authorization": f"Bearer {org['bearer_token']}"}
    user = {"userName": "ada@acme.test", "emails": [{"value": "ada@acme.test", "primary": True}]}
    uid = requests.post(org["base_url"] + "/Users", json=user, headers=auth).json()["id"]
    off = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    requests.patch(org["base_url"] + f"/Users/{uid}", json=off, headers=auth)

    event = webhook_receiver.wait_for("scim.member.delete")  # verified with svix on arrival
    assert event.payload["id"] == uid and event.payload["source"] == "SCIM"
    assert webhook_receiver.event_types() == ["scim.member.create", "scim.member.delete"]

    # Feed the exact delivery to your own handler code:
    Webhook(webhook_receiver.secret).verify(event.body, event.headers)
