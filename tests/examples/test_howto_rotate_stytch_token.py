"""How to: rotate a Stytch SCIM token in the middle of a test.

Stytch rotation is two-phase: ``rotate_start`` mints a *next* token (both tokens work),
``rotate_complete`` makes it current and the old token stops working at that instant.
The journal tells you which token each SCIM request used.
"""

import requests


def test_rotate_a_stytch_scim_token_mid_test(mockscim, stytch_client):
    # One call: an organization, a SCIM connection and two provisioned users.
    org = mockscim.stytch.create_org("Acme", users=2)
    old_token = org["bearer_token"]

    def list_users(token):
        return requests.get(
            org["base_url"] + "/Users", headers={"Authorization": f"Bearer {token}"}
        )

    # Phase 1: start the rotation with the official SDK; both tokens now work.
    started = stytch_client.scim.connection.rotate_start(
        organization_id=org["organization_id"], connection_id=org["connection_id"]
    )
    new_token = started.connection.next_bearer_token
    assert list_users(old_token).status_code == 200
    assert list_users(new_token).status_code == 200

    # Phase 2: complete it; the old token is rejected from now on.
    stytch_client.scim.connection.rotate_complete(
        organization_id=org["organization_id"], connection_id=org["connection_id"]
    )
    assert list_users(old_token).status_code == 401
    assert list_users(new_token).status_code == 200

    # Which credential authenticated each SCIM call, oldest first.
    assert mockscim.journal.credentials("GET", "/v1/b2b/scim/*/Users") == [
        "current",
        "next",
        "invalid",
        "current",
    ]
