"""User PATCH in the ``exact`` profile: SSOReady's own PATCH engine, not RFC 7644's
(ssoready/ssoready c33d0e0 ``internal/authservice/scim.go`` ``scimPatchUser`` and
``internal/scimpatch/scimpatch.go``). Where the profiles differ the test runs both."""

from __future__ import annotations

import pytest

from mockscim.testing.server import MockServer

from .conftest import ENTERPRISE, PATCH_OP, Tenant, app_user

INVALID_PATH_REMOVE = (
    '{"detail":"Unsupported PATCH operation: unsupported SCIM PATCH operation: \\"remove\\"",'
    '"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidPath",'
    '"status":"400"}\n'
)


def ops(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def test_remove_is_refused_with_invalid_path(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """scimpatch.go ``applyOp``: only replace/Replace and add/Add; scim.go ``scimPatchUser``
    answers any scimpatch error with a 400 ``invalidPath`` whose ``status`` is the string
    "400" and whose detail repeats the prefix. ``rfc``: RFC 7644 ``remove`` works."""
    user = ptenant.create_user("ada@acme.test", title="CTO")
    r = ptenant.scim("PATCH", f"/Users/{user['id']}", ops({"op": "remove", "path": "title"}))
    if profile == "exact":
        assert r.status_code == 400
        assert r.headers["Content-Type"] == "application/scim+json"
        assert r.text == INVALID_PATH_REMOVE
        assert app_user(profiled, user["id"]).attributes["title"] == "CTO"
    else:
        assert r.status_code == 200 and "title" not in r.json()


@pytest.mark.parametrize("op", ["REPLACE", "Remove", "move", ""])
def test_only_four_op_spellings_are_accepted(xtenant: Tenant, op: str) -> None:
    """scimpatch.go ``applyOp``: ``op.Op == "replace" || op.Op == "Replace"`` (and add/Add)."""
    user = xtenant.create_user("ada@acme.test")
    r = xtenant.scim(
        "PATCH", f"/Users/{user['id']}", ops({"op": op, "path": "title", "value": "x"})
    )
    assert r.status_code == 400
    assert r.json()["detail"] == (
        f'Unsupported PATCH operation: unsupported SCIM PATCH operation: "{op}"'
    )


def test_okta_deactivate_replaces_the_whole_resource(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """scimpatch.go ``applyOp``: a no-path replace is ``*obj = val``, so Okta's
    ``{"active": false}`` leaves only that; scim.go ``scimPatchUser`` restores the email column
    (``if patchedSCIMUser.Email == ""``) and answers 204 with no body. ``rfc``: a merge, 200."""
    user = ptenant.create_user("ada@acme.test", title="CTO")
    r = ptenant.scim(
        "PATCH", f"/Users/{user['id']}", ops({"op": "replace", "value": {"active": False}})
    )
    seen = app_user(profiled, user["id"])
    assert seen.deleted is True and seen.email == "ada@acme.test"
    if profile == "exact":
        assert r.status_code == 204 and r.content == b""
        assert "Content-Type" not in r.headers
        assert seen.attributes == {"active": False}
    else:
        assert r.status_code == 200 and r.json()["title"] == "CTO"
        assert seen.attributes["title"] == "CTO"

    # Okta's reactivation: the attributes now hold only what the PATCH said.
    r = ptenant.scim(
        "PATCH", f"/Users/{user['id']}", ops({"op": "replace", "value": {"active": True}})
    )
    seen = app_user(profiled, user["id"])
    assert seen.deleted is False
    if profile == "exact":
        assert seen.attributes == {"active": True}


def test_any_patch_deactivates_a_user_without_a_boolean_active(
    exact: MockServer, xtenant: Tenant
) -> None:
    """scim.go ``scimUserFromResource``: ``active, _ := r["active"].(bool)`` and
    ``Deleted: !active``: a user created without ``active`` (or with ``"true"``) is deleted
    by a PATCH that never mentions it; a PATCH setting ``active`` true revives it."""
    user = xtenant.create_user("ada@acme.test", active="true")
    assert app_user(exact, user["id"]).deleted is False  # POST always stores deleted = false
    r = xtenant.scim(
        "PATCH", f"/Users/{user['id']}", ops({"op": "replace", "path": "title", "value": "CTO"})
    )
    assert r.status_code == 204
    seen = app_user(exact, user["id"])
    assert seen.deleted is True and seen.attributes["title"] == "CTO"
    assert xtenant.scim("GET", f"/Users/{user['id']}").status_code == 404

    r = xtenant.scim(
        "PATCH", f"/Users/{user['id']}", ops({"op": "replace", "path": "active", "value": True})
    )
    assert r.status_code == 204 and app_user(exact, user["id"]).deleted is False


def test_entra_true_false_strings_are_normalised(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimUserFromResource``: ``"True"``/``"False"`` become booleans before
    ``Deleted: !active`` is read."""
    user = xtenant.create_user("ada@acme.test")
    r = xtenant.scim(
        "PATCH",
        f"/Users/{user['id']}",
        ops({"op": "Replace", "path": "active", "value": "False"}),
    )
    assert r.status_code == 204
    seen = app_user(exact, user["id"])
    assert seen.deleted is True and seen.attributes["active"] is False


def test_paths_dotted_filtered_and_enterprise(exact: MockServer, xtenant: Tenant) -> None:
    """scimpatch.go ``splitPath``/``applyOpToFiltered``/``applyAdd``: a dotted path sets
    a sub-attribute, ``add`` with an ``eq`` filter and one sub-attribute appends an element when
    none matches, and Entra's ``...:enterprise:2.0:User:manager`` lands in the extension."""
    user = xtenant.create_user("ada@acme.test")
    uid = user["id"]
    assert (
        xtenant.scim(
            "PATCH",
            f"/Users/{uid}",
            ops(
                {"op": "replace", "path": "name.familyName", "value": "King"},
                {"op": "add", "path": 'phoneNumbers[type eq "work"].value', "value": "555"},
                {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "boss"},
                {"op": "add", "path": "emails", "value": [{"value": "x@acme.test"}]},
            ),
        ).status_code
        == 204
    )
    attrs = app_user(exact, uid).attributes
    assert attrs["name"] == {"givenName": "Grace", "familyName": "King"}
    assert attrs["phoneNumbers"] == [{"type": "work", "value": "555"}]
    assert attrs[ENTERPRISE] == {"manager": "boss"}
    assert [e["value"] for e in attrs["emails"]] == ["ada@acme.test", "x@acme.test"]
    # scimUserToResource turns the bare-string manager into {"value"} on the way out.
    got = xtenant.scim("GET", f"/Users/{uid}").json()
    assert got[ENTERPRISE]["manager"] == {"value": "boss"}


@pytest.mark.parametrize(
    ("operation", "detail"),
    [
        ({"op": "add", "value": {"title": "x"}}, "unsupported 'add' operation on top-level object"),
        (
            {"op": "replace", "value": "x"},
            "top-level 'replace' operation must have an object value",
        ),
        ({"op": "replace", "path": "nick.name", "value": "x"}, "invalid path: nick.name"),
        (
            {"op": "replace", "path": 'emails[type eq "home"].value', "value": "x"},
            'no matching element found for filter "emails[type eq \\"home\\"]"',
        ),
        ({"op": "replace", "path": ENTERPRISE, "value": {}}, f'invalid path: "{ENTERPRISE}"'),
    ],
)
def test_engine_errors_are_400_invalid_path(
    exact: MockServer, xtenant: Tenant, operation: dict, detail: str
) -> None:
    """scimpatch.go ``applyOp``/``applyOpToFiltered`` error texts, behind scim.go
    ``scimPatchUser``'s prefix; the first error aborts the whole PATCH (nothing stored)."""
    user = xtenant.create_user("ada@acme.test")
    r = xtenant.scim(
        "PATCH",
        f"/Users/{user['id']}",
        ops({"op": "replace", "path": "title", "value": "set first"}, operation),
    )
    assert r.status_code == 400 and r.json()["scimType"] == "invalidPath"
    assert r.json()["detail"] == f"Unsupported PATCH operation: {detail}"
    assert "title" not in app_user(exact, user["id"]).attributes


def test_renaming_to_an_invalid_email_is_refused_like_post(xtenant: Tenant) -> None:
    """scim.go ``scimPatchUser``: the patched email is validated as on POST (plain text)."""
    user = xtenant.create_user("ada@acme.test")
    r = xtenant.scim(
        "PATCH",
        f"/Users/{user['id']}",
        ops({"op": "replace", "path": "userName", "value": "ada@elsewhere.test"}),
    )
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "allowed domains: acme.test" in r.text


def test_operations_key_is_case_insensitive_and_patch_reaches_deleted_users(
    exact: MockServer, xtenant: Tenant
) -> None:
    """scim.go ``scimPatchUser`` decodes with encoding/json (field names match
    case-insensitively) and reads the user with ``AuthGetSCIMUserIncludeDeleted``."""
    user = xtenant.create_user("ada@acme.test")
    assert xtenant.scim("DELETE", f"/Users/{user['id']}").status_code == 204
    body = {"OPERATIONS": [{"OP": "replace", "PATH": "active", "VALUE": True}]}
    assert xtenant.scim("PATCH", f"/Users/{user['id']}", body).status_code == 204
    assert app_user(exact, user["id"]).deleted is False


@pytest.mark.parametrize(
    "user_id", ["scim_user_0000000000000000000000000", "not-an-id", "scim_user_ZZ"]
)
def test_patch_of_an_unknown_or_malformed_user_crashes(xtenant: Tenant, user_id: str) -> None:
    """scim.go ``scimPatchUser``: ``panic(fmt.Errorf("store: get scim user for patch"...))``."""
    xtenant.crashes("PATCH", f"/Users/{user_id}", ops({"op": "replace", "value": {}}))
