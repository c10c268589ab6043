"""The exact JSON of the SCIM connection's token-bearing answers and of members, read raw (the
SDK's pydantic models would hide an extra or missing key)."""

from __future__ import annotations

from typing import Any

import requests

from mockscim.testing.server import MockServer

COMMON = {
    "organization_id",
    "connection_id",
    "status",
    "display_name",
    "identity_provider",
    "base_url",
    "scim_group_implicit_role_assignments",
    "bearer_token_expires_at",
}


def _call(server: MockServer, method: str, path: str, body: Any = None) -> dict[str, Any]:
    auth = (server.settings.stytch_project_id, server.settings.stytch_secret)
    response = requests.request(method, server.url + path, json=body, auth=auth, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def test_create_and_rotate_start_answer_exactly_their_schemas(
    server: MockServer, org: dict[str, Any]
) -> None:
    """stytch-openapi ``SCIMConnectionWithToken`` (create: ``bearer_token``, no last-four and
    no next-token fields) and ``SCIMConnectionWithNextToken`` (rotate/start:
    ``bearer_token_last_four``, ``next_bearer_token``, ``next_bearer_token_expires_at``)."""
    org_id = org["organization_id"]
    created = _call(server, "POST", f"/v1/b2b/scim/{org_id}/connection", {})["connection"]
    assert set(created) == COMMON | {"bearer_token"}
    cid = created["connection_id"]
    started = _call(server, "POST", f"/v1/b2b/scim/{org_id}/connection/{cid}/rotate/start", {})
    assert set(started["connection"]) == COMMON | {
        "bearer_token_last_four",
        "next_bearer_token",
        "next_bearer_token_expires_at",
    }
    shown = _call(server, "GET", f"/v1/b2b/scim/{org_id}/connection")["connection"]
    assert shown["next_bearer_token_last_four"] == started["connection"]["next_bearer_token"][-4:]
    assert "next_bearer_token" not in shown and "bearer_token" not in shown


def test_member_strings_are_empty_not_null_and_sources_carry_details(
    server: MockServer, org: dict[str, Any]
) -> None:
    """The SDK types ``member_password_id``, ``totp_registration_id``, ``mfa_phone_number``,
    ``default_mfa_method`` and ``name`` as required ``str`` (stytch-python
    ``b2b/models/organizations.py`` ``Member``), so unset ones are ``""``; a
    ``direct_assignment`` source has "no additional details" (openapi ``MemberRoleSource``)."""
    body = _call(
        server,
        "POST",
        f"/v1/b2b/organizations/{org['organization_id']}/members",
        {"email_address": "ada@acme.test"},
    )
    member = body["member"]
    for key in (
        "member_password_id",
        "totp_registration_id",
        "mfa_phone_number",
        "default_mfa_method",
        "name",
    ):
        assert member[key] == "", key
    assert member["roles"] == [
        {"role_id": "stytch_member", "sources": [{"type": "direct_assignment", "details": {}}]}
    ]
