"""``dangerously_get``'s ``include_deleted`` is a boolean query parameter (Stytch's openapi.yml,
``api_organization_v1_organizations_members_DangerouslyGet``): Go's ``strconv.ParseBool``
spellings are read, anything else is a 400 instead of silently meaning false. Found by
``schemathesis run`` (ST201) against the served document."""

from __future__ import annotations

import pytest

from mockscim.app import create_app
from mockscim.settings import Settings

SETTINGS = Settings()
AUTH = (SETTINGS.stytch_project_id, SETTINGS.stytch_secret)


@pytest.fixture
def deleted_member():
    client = create_app(SETTINGS).test_client()
    org = client.post(
        "/v1/b2b/organizations",
        json={"organization_name": "Acme", "organization_slug": "acme"},
        auth=AUTH,
    ).get_json()["organization"]["organization_id"]
    member = client.post(
        f"/v1/b2b/organizations/{org}/members", json={"email_address": "a@acme.com"}, auth=AUTH
    ).get_json()["member_id"]
    assert (
        client.delete(f"/v1/b2b/organizations/{org}/members/{member}", auth=AUTH).status_code == 200
    )
    return client, member


@pytest.mark.parametrize(
    ("value", "status"), [("True", 200), ("1", 200), ("false", 404), ("", 404)]
)
def test_parse_bool_spellings(deleted_member, value: str, status: int) -> None:
    client, member = deleted_member
    url = f"/v1/b2b/organizations/members/dangerously_get/{member}?include_deleted={value}"
    assert client.get(url, auth=AUTH).status_code == status


@pytest.mark.parametrize("value", ["yes", "vX.\u00ed", "2"])
def test_anything_else_is_a_400(deleted_member, value: str) -> None:
    client, member = deleted_member
    r = client.get(
        f"/v1/b2b/organizations/members/dangerously_get/{member}",
        query_string={"include_deleted": value},
        auth=AUTH,
    )
    assert r.status_code == 400 and r.get_json()["error_type"] == "invalid_argument"


@pytest.mark.parametrize("route", ["oidc_providers", "oauth_providers/github"])
def test_include_refresh_token_is_read_the_same_way(route: str) -> None:
    """``include_refresh_token`` (openapi ``..._OIDCProviders`` / ``..._oauth_providers_*``)
    is boolean too: ``true`` answers, ``2`` is the same 400 (schemathesis ST201 found it)."""
    client = create_app(SETTINGS).test_client()
    org = client.post(
        "/v1/b2b/organizations",
        json={"organization_name": "Acme", "organization_slug": "acme"},
        auth=AUTH,
    ).get_json()["organization"]["organization_id"]
    member = client.post(
        f"/v1/b2b/organizations/{org}/members", json={"email_address": "a@acme.com"}, auth=AUTH
    ).get_json()["member_id"]
    url = f"/v1/b2b/organizations/{org}/members/{member}/{route}"
    assert (
        client.get(url, query_string={"include_refresh_token": "true"}, auth=AUTH).status_code
        == 200
    )
    bad = client.get(url, query_string={"include_refresh_token": "2"}, auth=AUTH)
    assert bad.status_code == 400 and bad.get_json()["error_type"] == "invalid_argument"
