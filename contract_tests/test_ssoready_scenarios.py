"""SSOReady scenarios, written once and run against any target that serves SSOReady.

One-step rotation (the new token works and the old one is dead the moment the call returns),
the documented failures, the app API's pagination, and what provisioning makes visible.
"""

from __future__ import annotations

from typing import Any

from contract_tests.harness.vendors import SSOReady

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def _setup(ssoready: SSOReady) -> tuple[dict[str, Any], dict[str, Any]]:
    org = ssoready.create_org()
    directory = ssoready.create_directory(org["id"])
    return org, directory


def _users(ssoready: SSOReady, step: str, base: str, token: str | None) -> int:
    return ssoready.scim(step, base, token, "GET", "/Users").status


def _user(ssoready: SSOReady, email: str) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": email,
        "name": {"givenName": "Grace", "familyName": "Hopper"},
        "emails": [{"value": email, "primary": True, "type": "work"}],
        "active": True,
    }


def test_one_step_rotation_step_by_step(ssoready: SSOReady) -> None:
    ssoready.scenario = "ssoready.rotation"
    _org, directory = _setup(ssoready)
    dir_id, base = directory["id"], directory["scimBaseUrl"]
    assert not directory.get("hasClientBearerToken")
    assert not directory.get("clientBearerToken")

    assert _users(ssoready, "01-no-token-before-first-rotation", base, None) == 401
    first = ssoready.rotate("02-first-rotation", dir_id)
    assert first.status == 200, first.text
    token1 = first.json["bearerToken"]
    assert token1.startswith("ssoready_scim_bearer_token_")
    assert _users(ssoready, "03-first-token-works", base, token1) == 200

    second = ssoready.rotate("04-second-rotation", dir_id)
    assert second.status == 200
    token2 = second.json["bearerToken"]
    assert token2 != token1
    assert _users(ssoready, "05-old-token-dead-at-once", base, token1) == 401
    assert _users(ssoready, "06-new-token-works", base, token2) == 200

    got = ssoready.call("07-directory-has-token", "GET", f"/v1/scim-directories/{dir_id}")
    assert got.status == 200
    assert got.json["scimDirectory"]["hasClientBearerToken"] is True
    assert not got.json["scimDirectory"].get("clientBearerToken")


def test_documented_errors(ssoready: SSOReady) -> None:
    ssoready.scenario = "ssoready.errors"
    _org, directory = _setup(ssoready)
    token = ssoready.rotate(None, directory["id"]).json["bearerToken"]
    base = directory["scimBaseUrl"]

    r = ssoready.call("01-unknown-organization", "GET", "/v1/organizations/org_doesnotexist")
    assert r.status in (400, 404)
    r = ssoready.call("02-wrong-api-key", "GET", "/v1/organizations", key="ssoready_sk_wrong")
    assert r.status == 401
    r = ssoready.call("03-list-users-without-selector", "GET", "/v1/scim/users")
    assert r.status == 400
    unknown = base.rsplit("/", 1)[0] + "/scim_directory_doesnotexist"
    r = ssoready.scim("04-unknown-directory", unknown, token, "GET", "/Users")
    assert r.status == 404
    r = ssoready.scim(
        "05-username-outside-domains",
        base,
        token,
        "POST",
        "/Users",
        _user(ssoready, "someone@not-this-org.example.org"),
    )
    assert r.status == 400
    r = ssoready.scim(
        "06-username-not-an-email", base, token, "POST", "/Users", _user(ssoready, "x")
    )
    assert r.status == 400


def test_app_api_pagination(ssoready: SSOReady) -> None:
    ssoready.scenario = "ssoready.pagination"
    org, directory = _setup(ssoready)
    token = ssoready.rotate(None, directory["id"]).json["bearerToken"]
    base = directory["scimBaseUrl"]
    domain = org["domains"][0]
    emails = set()
    for i in range(12):
        email = ssoready.namer.email(f"user{i}", domain)
        emails.add(email)
        r = ssoready.scim(None, base, token, "POST", "/Users", _user(ssoready, email))
        assert r.status in (200, 201), r.text
    seen: list[str] = []
    page_token = None
    for page in range(1, 5):
        r = ssoready.call(
            f"0{page}-users-page",
            "GET",
            "/v1/scim/users",
            params={"scimDirectoryId": directory["id"], "pageToken": page_token},
        )
        assert r.status == 200, r.text
        seen += [u["email"] for u in r.json.get("scimUsers", [])]
        page_token = r.json.get("nextPageToken")
        if not page_token:
            break
    assert page == 2
    assert sorted(seen) == sorted(emails)


def test_provisioning_is_visible_in_the_app_api(ssoready: SSOReady) -> None:
    ssoready.scenario = "ssoready.provisioning"
    org, directory = _setup(ssoready)
    token = ssoready.rotate(None, directory["id"]).json["bearerToken"]
    base = directory["scimBaseUrl"]
    email = ssoready.namer.email("user", org["domains"][0])
    created = ssoready.scim(
        "01-scim-create-user", base, token, "POST", "/Users", _user(ssoready, email)
    )
    assert created.status == 201, created.text
    user_id = created.json["id"]
    got = ssoready.call("02-app-api-user", "GET", f"/v1/scim/users/{user_id}")
    assert got.status == 200
    assert got.json["scimUser"]["email"] == email
    assert not got.json["scimUser"].get("deleted")
    deleted = ssoready.scim("03-scim-delete-user", base, token, "DELETE", f"/Users/{user_id}")
    assert deleted.status == 204
    gone = ssoready.call("04-app-api-user-deleted", "GET", f"/v1/scim/users/{user_id}")
    assert gone.status == 200
    assert gone.json["scimUser"]["deleted"] is True
