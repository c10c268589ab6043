"""Stytch scenarios, written once and run against any target that serves Stytch.

Every named step is recorded (status, error type, fields, shape) for the divergence report.
Assertions are the documented behaviour; where the docs leave a point open (does the pending
token authenticate before rotate/complete?) the step is recorded, not asserted, so a live run
settles it in the report instead of failing.
"""

from __future__ import annotations

from contract_tests.harness.vendors import Stytch


def _users(stytch: Stytch, step: str, base: str, token: str | None) -> int:
    return stytch.scim(step, base, token, "GET", "/Users", params={"count": 1}).status


def test_two_phase_rotation_step_by_step(stytch: Stytch) -> None:
    stytch.scenario = "stytch.rotation"
    org = stytch.create_org()
    org_id = org["organization_id"]
    conn, resp = stytch.create_connection(org_id, identity_provider="okta")
    assert resp.status == 200, resp.text
    conn_id, base = conn["connection_id"], conn["base_url"]
    first = conn["bearer_token"]
    # Create answers SCIMConnectionWithToken (stytch-openapi): the token, not its last four.
    assert "bearer_token_last_four" not in conn and "next_bearer_token_last_four" not in conn
    shown = stytch.call("00-get-after-create", "GET", f"/v1/b2b/scim/{org_id}/connection")
    assert shown.json["connection"]["bearer_token_last_four"] == first[-4:]
    assert shown.json["connection"]["next_bearer_token_last_four"] == ""

    assert _users(stytch, "01-current-token-works", base, first) == 200
    assert _users(stytch, "02-no-token-rejected", base, None) == 401
    assert _users(stytch, "03-wrong-token-rejected", base, first[::-1]) == 401

    started = stytch.rotate("04-rotate-start", org_id, conn_id, "start")
    assert started.status == 200, started.text
    second = started.json["connection"]["next_bearer_token"]
    assert second != first
    got = stytch.call("05-get-while-rotating", "GET", f"/v1/b2b/scim/{org_id}/connection")
    assert got.json["connection"]["next_bearer_token_last_four"] == second[-4:]
    assert "next_bearer_token" not in got.json["connection"]

    assert _users(stytch, "06-old-token-works-while-pending", base, first) == 200
    # Open point (spec: a setting in the mock); recorded for the divergence report.
    _users(stytch, "07-next-token-while-pending", base, second)

    done = stytch.rotate("08-rotate-complete", org_id, conn_id, "complete")
    assert done.status == 200, done.text
    assert done.json["connection"]["bearer_token_last_four"] == second[-4:]
    assert done.json["connection"]["next_bearer_token_last_four"] == ""
    assert _users(stytch, "09-old-token-dead-after-complete", base, first) == 401
    assert _users(stytch, "10-new-token-works-after-complete", base, second) == 200

    again = stytch.rotate("11-complete-without-rotation", org_id, conn_id, "complete")
    assert again.status == 400
    assert again.json["error_type"] == "scim_connection_not_rotating_token"
    cancel = stytch.rotate("12-cancel-without-rotation", org_id, conn_id, "cancel")
    assert cancel.status == 400
    assert cancel.json["error_type"] == "scim_connection_not_rotating_token"

    third = stytch.rotate("13-rotate-start-again", org_id, conn_id, "start")
    assert third.status == 200
    abandoned = third.json["connection"]["next_bearer_token"]
    cancelled = stytch.rotate("14-rotate-cancel", org_id, conn_id, "cancel")
    assert cancelled.status == 200
    assert cancelled.json["connection"]["next_bearer_token_last_four"] == ""
    assert _users(stytch, "15-cancelled-token-dead", base, abandoned) == 401
    assert _users(stytch, "16-current-token-survives-cancel", base, second) == 200


def test_documented_errors(stytch: Stytch) -> None:
    stytch.scenario = "stytch.errors"
    org = stytch.create_org()
    org_id = org["organization_id"]
    conn, _ = stytch.create_connection(org_id)
    conn_id = conn["connection_id"]

    second = stytch.call(
        "01-second-connection", "POST", f"/v1/b2b/scim/{org_id}/connection", body={}
    )
    assert second.status == 400
    assert second.json["error_type"] == "active_scim_connection_exists"

    missing_org = "organization-test-00000000-0000-4000-8000-000000000000"
    r = stytch.call("02-unknown-organization", "GET", f"/v1/b2b/organizations/{missing_org}")
    assert r.status == 404
    assert r.json["error_type"] == "organization_not_found"

    ghost = "scim-connection-test-00000000-0000-4000-8000-000000000000"
    r = stytch.rotate("03-rotate-unknown-connection", org_id, ghost, "start")
    assert r.status == 404
    assert r.json["error_type"] == "no_active_scim_connection"

    r = stytch.http.request(
        "GET", f"/v1/b2b/organizations/{org_id}", headers={"Authorization": "Basic Zm9vOmJhcg=="}
    )
    stytch.record("04-wrong-credentials", r)
    assert r.status == 401
    assert r.json["error_type"] == "unauthorized_credentials"

    r = stytch.call(
        "05-bad-identity-provider",
        "PUT",
        f"/v1/b2b/scim/{org_id}/connection/{conn_id}",
        body={"identity_provider": "not-an-idp"},
    )
    assert r.status == 400
    assert r.json["error_type"]

    r = stytch.call(
        "06-member-not-found",
        "GET",
        f"/v1/b2b/organizations/{org_id}/member",
        params={"member_id": "member-test-00000000-0000-4000-8000-000000000000"},
    )
    assert r.status == 404
    assert r.json["error_type"] == "member_not_found"


def test_groups_pagination(stytch: Stytch) -> None:
    stytch.scenario = "stytch.pagination"
    org = stytch.create_org()
    org_id = org["organization_id"]
    conn, _ = stytch.create_connection(org_id)
    conn_id, base, token = conn["connection_id"], conn["base_url"], conn["bearer_token"]
    names = set()
    for i in range(3):
        name = stytch.namer.name(f"group{i}")
        names.add(name)
        r = stytch.scim(None, base, token, "POST", "/Groups", {"displayName": name})
        assert r.status == 201, r.text
    seen: list[str] = []
    cursor = None
    for page in range(1, 5):
        r = stytch.call(
            f"0{page}-groups-page",
            "GET",
            f"/v1/b2b/scim/{org_id}/connection/{conn_id}",
            params={"limit": 2, "cursor": cursor},
        )
        assert r.status == 200, r.text
        seen += [g["group_name"] for g in r.json["scim_groups"]]
        cursor = r.json.get("next_cursor")
        if not cursor:
            break
    assert page == 2
    assert sorted(seen) == sorted(names)


def test_provisioning_is_visible_as_members(stytch: Stytch) -> None:
    stytch.scenario = "stytch.provisioning"
    org = stytch.create_org()
    org_id = org["organization_id"]
    conn, _ = stytch.create_connection(org_id)
    base, token = conn["base_url"], conn["bearer_token"]
    email = stytch.namer.email("user", "example.com")
    user = stytch.scim(
        "01-scim-create-user",
        base,
        token,
        "POST",
        "/Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": email,
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": email, "primary": True, "type": "work"}],
            "active": True,
        },
    )
    assert user.status == 201, user.text
    member = stytch.call(
        "02-member-visible",
        "GET",
        f"/v1/b2b/organizations/{org_id}/member",
        params={"email_address": email},
    )
    assert member.status == 200, member.text
    assert member.json["member"]["status"] == "active"
    assert member.json["member"]["scim_registration"]["connection_id"] == conn["connection_id"]
    deactivate = stytch.scim(
        "03-scim-deactivate",
        base,
        token,
        "PATCH",
        f"/Users/{user.json['id']}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        },
    )
    assert deactivate.status in (200, 204)
    gone = stytch.call(
        "04-member-deleted",
        "GET",
        f"/v1/b2b/organizations/{org_id}/member",
        params={"email_address": email},
    )
    assert gone.status == 404
