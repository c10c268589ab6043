"""How to: freeze the mock's clock and move it to expire a token.

Every expiry in the mock reads one clock. Freeze it, advance it past a token's lifetime,
and the token stops working; the per-test reset puts the clock back to real time.
"""

import requests


def test_a_scim_token_expires_when_the_clock_moves_past_its_lifetime(mockscim):
    mockscim.clock.freeze("2030-01-01T00:00:00Z")
    org = mockscim.stytch.create_org("Acme", users=1)
    headers = {"Authorization": f"Bearer {org['bearer_token']}"}

    assert requests.get(org["base_url"] + "/Users", headers=headers).status_code == 200

    # Stytch SCIM tokens live 365 days in the mock (Settings.stytch_token_lifetime_seconds).
    mockscim.clock.advance(days=366)
    assert requests.get(org["base_url"] + "/Users", headers=headers).status_code == 401
    assert mockscim.journal.last().credential == "invalid"
