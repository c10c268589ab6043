"""A search ``query`` object needs both ``operator`` and ``operands``.

Stytch's own openapi.yml marks both required (``api_organization_v1_SearchQuery``) and
stytch-python's ``SearchQuery`` model (stytch/b2b/models/organizations.py) declares neither
Optional, so no SDK call can omit them. The mock used to default a missing operator to AND and
missing operands to []; found by fuzzing the mock against Stytch's own document
(contract_tests/test_vendor_openapi.py).
"""

from __future__ import annotations

import pytest

from mockscim.app import create_app
from mockscim.settings import Settings

SETTINGS = Settings()
AUTH = (SETTINGS.stytch_project_id, SETTINGS.stytch_secret)


@pytest.mark.parametrize(
    "path", ["/v1/b2b/organizations/search", "/v1/b2b/organizations/members/search"]
)
@pytest.mark.parametrize(
    ("query", "error_type"),
    [
        ({}, "user_search_invalid_operator"),
        ({"operands": []}, "user_search_invalid_operator"),
        ({"operator": "AND"}, "invalid_argument"),
    ],
)
def test_incomplete_query_is_refused(path: str, query: dict, error_type: str) -> None:
    client = create_app(SETTINGS).test_client()
    org = client.post(
        "/v1/b2b/organizations",
        json={"organization_name": "Acme", "organization_slug": "acme"},
        auth=AUTH,
    )
    assert org.status_code == 200
    body = {"query": query}
    if "members" in path:
        body["organization_ids"] = [org.get_json()["organization"]["organization_id"]]
    r = client.post(path, json=body, auth=AUTH)
    assert r.status_code == 400, r.get_data(as_text=True)
    assert r.get_json()["error_type"] == error_type


def test_complete_query_is_accepted() -> None:
    client = create_app(SETTINGS).test_client()
    r = client.post(
        "/v1/b2b/organizations/search",
        json={"query": {"operator": "AND", "operands": []}},
        auth=AUTH,
    )
    assert r.status_code == 200, r.get_data(as_text=True)
