"""How to: inject a 429 and check that your client retries.

A fault rule answers the next matching requests with 429 Too Many Requests and a
``Retry-After`` header, in the vendor's own error format. Here the "client under test" is a
``requests`` session with urllib3's standard retry policy, which honours ``Retry-After``.
"""

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def test_client_retries_after_a_429(mockscim):
    org = mockscim.stytch.create_org("Acme", users=3)
    mockscim.faults.rate_limit("/v1/b2b/scim/*/Users", retry_after=1, count=1)

    session = requests.Session()
    retry = Retry(total=3, status_forcelist=[429], respect_retry_after_header=True)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    response = session.get(
        org["base_url"] + "/Users", headers={"Authorization": f"Bearer {org['bearer_token']}"}
    )

    assert response.status_code == 200
    assert response.json()["totalResults"] == 3
    statuses = [call.status for call in mockscim.journal.entries("GET", "/v1/b2b/scim/*/Users")]
    assert statuses == [429, 200]
