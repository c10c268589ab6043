"""How to: assert on the requests your code made.

The journal records every request to a vendor surface with method, path, status, latency
and which credential authenticated it (``current``, ``next``, ``api_key``, ``session``,
``none``, ``invalid``). Secrets never appear in it.
"""

import requests


def sync_directory(base_url, token):
    """Stand-in for the code under test: reads the users of a SCIM directory."""
    response = requests.get(base_url + "/Users", headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return response.json()["Resources"]


def test_the_sync_read_users_once_with_the_current_token(mockscim):
    org = mockscim.stytch.create_org("Acme", users=2)

    users = sync_directory(org["base_url"], org["bearer_token"])

    assert len(users) == 2
    mockscim.journal.assert_called("GET", "/v1/b2b/scim/*/Users", times=1, credential="current")
    mockscim.journal.assert_not_called("POST")
    call = mockscim.journal.last()
    assert call.status == 200 and call.vendor == "stytch"
    assert org["bearer_token"] not in str(call)
