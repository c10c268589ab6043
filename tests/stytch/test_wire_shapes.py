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


def test_unset_optional_fields_are_absent_not_null(server: MockServer, org: dict[str, Any]) -> None:
    """One rule (mockscim/vendors/stytch/models.py): an Optional field without a value is
    omitted, as Stytch's examples omit them: the Svix catalogue's member payloads carry no
    ``scim_registration``, ``external_id`` or ``lock_*``; docs scim-connection-object and
    rotate-token-complete show ``next_bearer_token_expires_at`` "only during token rotation".
    The exception is a field a Stytch example shows as ``null``: ``sso_default_connection_id``
    (docs b2b/api/create-organization response). The SDK's models default all of them to None,
    so its parsing is unchanged (stytch-python ``b2b/models/organizations.py``)."""
    org_id = org["organization_id"]
    plain = _call(server, "POST", "/v1/b2b/organizations", {"organization_name": "Plain"})
    organization = plain["organization"]
    assert organization["sso_default_connection_id"] is None
    for key in ("organization_external_id", "scim_active_connection"):
        assert key not in organization, key
    assert None not in [v for k, v in organization.items() if k != "sso_default_connection_id"]
    member = _call(
        server, "POST", f"/v1/b2b/organizations/{org_id}/members", {"email_address": "a@acme.test"}
    )["member"]
    for key in ("scim_registration", "external_id", "lock_created_at", "lock_expires_at"):
        assert key not in member, key
    assert None not in member.values()
    created = _call(server, "POST", f"/v1/b2b/scim/{org_id}/connection", {})["connection"]
    shown = _call(server, "GET", f"/v1/b2b/scim/{org_id}/connection")["connection"]
    assert "next_bearer_token_expires_at" not in shown
    assert shown["next_bearer_token_last_four"] == ""  # required str in the SDK
    assert created["connection_id"] == shown["connection_id"]


def test_scim_unknown_path_answers_in_the_scim_error_shape(
    server: MockServer, org: dict[str, Any]
) -> None:
    """Below a connection's ``base_url`` every answer is Stytch's SCIM error JSON (``schemas``,
    ``status``, ``detail``), never werkzeug's English page text."""
    org_id = org["organization_id"]
    created = _call(server, "POST", f"/v1/b2b/scim/{org_id}/connection", {})["connection"]
    headers = {"Authorization": f"Bearer {created['bearer_token']}"}
    for path in ("/Nope", "/Users/x/y"):
        response = requests.get(created["base_url"] + path, headers=headers, timeout=5)
        assert response.status_code == 404
        body = response.json()
        assert body == {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": "404",
            "detail": "The requested SCIM endpoint does not exist.",
        }
