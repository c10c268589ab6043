"""Groups in the ``exact`` profile: the three PATCH forms, the membership relation kept apart
from the group's attributes, and the response shapes (ssoready/ssoready c33d0e0
``internal/authservice/scim.go`` ``scimPatchGroup``/``scimCreateGroup``/``scimUpdateGroup``/
``scimGetGroup``/``scimDeleteGroup``; ``internal/store/auth_scim.go``; ``sqlc/queries.sql``)."""

from __future__ import annotations

import pytest

from mockscim.testing.server import MockServer

from .conftest import GROUP_SCHEMA, PATCH_OP, Tenant, app_members


def ops(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def member(uid: str) -> dict:
    return {"value": uid}


def app_group(server: MockServer, group_id: str) -> object:
    return server.ssoready_client(app_key=True).scim.get_scim_group(id=group_id).scim_group


def test_post_and_put_answer_members_null_and_no_meta(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """scim.go ``scimCreateGroup``/``scimUpdateGroup``: ``var responseMembers []map...``
    stays nil without members, so ``"members": null``; no ``meta``. ``rfc``: RFC 7644."""
    r = ptenant.scim("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Eng"})
    assert r.status_code == 201
    body = r.json()
    if profile == "exact":
        assert body == {
            "displayName": "Eng",
            "id": body["id"],
            "members": None,
            "schemas": [GROUP_SCHEMA],
        }
        assert "Location" not in r.headers
        put = ptenant.scim("PUT", f"/Groups/{body['id']}", {"displayName": "Ops", "members": None})
        assert put.status_code == 200 and put.json()["members"] is None
    else:
        assert "meta" in body and body.get("members", []) == []


def test_add_takes_only_the_first_value(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimPatchGroup``: ``value[0].(map[string]any)["value"]``: the other values
    are ignored; the group's own ``members`` attribute stays as the last POST/PUT left it."""
    ada = xtenant.create_user("ada@acme.test")
    bob = xtenant.create_user("bob@acme.test")
    group = xtenant.create_group("Eng")
    r = xtenant.scim(
        "PATCH",
        f"/Groups/{group['id']}",
        ops({"op": "Add", "path": "members", "value": [member(ada["id"]), member(bob["id"])]}),
    )
    assert r.status_code == 204 and r.content == b""
    assert app_members(exact, xtenant, group["id"]) == {"ada@acme.test"}
    assert app_group(exact, group["id"]).attributes["members"] == []
    assert "members" in xtenant.scim("GET", f"/Groups/{group['id']}").json()


def test_remove_on_members_with_a_value_works(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimPatchGroup``: ``remove``/``Remove`` on path ``members`` with a value array
    (Entra's form) removes ``value[0]``; removing a non-member is a 204 no-op."""
    ada = xtenant.create_user("ada@acme.test")
    group = xtenant.create_group("Eng", [ada["id"]])
    for _ in range(2):
        r = xtenant.scim(
            "PATCH",
            f"/Groups/{group['id']}",
            ops({"op": "Remove", "path": "members", "value": [member(ada["id"])]}),
        )
        assert r.status_code == 204
    assert app_members(exact, xtenant, group["id"]) == set()


def test_okta_member_removal_crashes(profile: str, profiled: MockServer, ptenant: Tenant) -> None:
    """scim.go ``scimPatchGroup``: Okta's ``members[value eq "..."]`` path matches none of
    the three forms: ``panic("unsupported group PATCH operation type")``. ``rfc``: 204/200."""
    ada = ptenant.create_user("ada@acme.test")
    group = ptenant.create_group("Eng", [ada["id"]])
    body = ops({"op": "remove", "path": f'members[value eq "{ada["id"]}"]'})
    if profile == "exact":
        ptenant.crashes("PATCH", f"/Groups/{group['id']}", body)
        assert app_members(profiled, ptenant, group["id"]) == {"ada@acme.test"}
    else:
        assert ptenant.scim("PATCH", f"/Groups/{group['id']}", body).status_code in (200, 204)
        assert app_members(profiled, ptenant, group["id"]) == set()


@pytest.mark.parametrize(
    "body",
    [
        ops({"op": "Replace", "path": "displayName", "value": "Ops"}),  # Entra's rename
        ops({"op": "Replace", "value": {"displayName": "Ops"}}),  # only lower-case replace
        ops(
            {"op": "replace", "value": {"displayName": "Ops"}},
            {"op": "add", "path": "members", "value": []},
        ),  # several operations
        ops({"op": "add", "path": "members", "value": []}),  # value[0] out of range
        ops(),
    ],
)
def test_everything_else_crashes(xtenant: Tenant, body: dict) -> None:
    """scim.go ``scimPatchGroup``: exactly one operation in one of three forms, else a panic."""
    group = xtenant.create_group("Eng")
    xtenant.crashes("PATCH", f"/Groups/{group['id']}", body)


def test_rename_moves_only_the_column(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimPatchGroup``: a no-path ``replace`` calls
    ``AuthUpdateSCIMGroupDisplayName``; SCIM answers show the column, the app API's
    ``attributes.displayName`` stays as posted."""
    group = xtenant.create_group("Eng")
    r = xtenant.scim(
        "PATCH", f"/Groups/{group['id']}", ops({"op": "replace", "value": {"displayName": "Ops"}})
    )
    assert r.status_code == 204
    assert xtenant.scim("GET", f"/Groups/{group['id']}").json()["displayName"] == "Ops"
    seen = app_group(exact, group["id"])
    assert seen.display_name == "Ops" and seen.attributes["displayName"] == "Eng"


def test_add_with_a_malformed_user_id_is_400_and_unknown_crashes(xtenant: Tenant) -> None:
    """store/auth_scim.go ``AuthAddSCIMGroupMember``: a malformed id is ``ErrBadSCIMUserID``
    (400 ``bad scim user id``); an unknown well-formed one is a store error: a panic."""
    group = xtenant.create_group("Eng")
    r = xtenant.scim(
        "PATCH",
        f"/Groups/{group['id']}",
        ops({"op": "add", "path": "members", "value": [member("nope")]}),
    )
    assert r.status_code == 400 and r.text == "bad scim user id\n"
    unknown = "scim_user_0000000000000000000000000"
    xtenant.crashes(
        "PATCH",
        f"/Groups/{group['id']}",
        ops({"op": "add", "path": "members", "value": [member(unknown)]}),
    )


def test_a_deleted_group_keeps_members_gets_200_and_redeletes_204(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """store/auth_scim.go ``AuthDeleteSCIMGroup`` only sets ``deleted`` (memberships kept, no
    deleted filter on its check); queries.sql ``ListSCIMUsersInSCIMGroup`` has no deleted
    filter; scim.go ``scimGetGroup`` reads with ``AuthGetSCIMGroup`` (no filter either).
    ``rfc``: a deleted group is gone (404) and has no members."""
    ada = ptenant.create_user("ada@acme.test")
    group = ptenant.create_group("Eng", [ada["id"]])
    assert ptenant.scim("DELETE", f"/Groups/{group['id']}").status_code == 204
    again = ptenant.scim("DELETE", f"/Groups/{group['id']}")
    got = ptenant.scim("GET", f"/Groups/{group['id']}")
    members = app_members(profiled, ptenant, group["id"])
    if profile == "exact":
        assert again.status_code == 204 and got.status_code == 200
        assert members == {"ada@acme.test"}
    else:
        assert again.status_code == 404 and got.status_code == 404
        assert members == set()


def test_deleted_members_stay_listed_with_deleted_true(exact: MockServer, xtenant: Tenant) -> None:
    """queries.sql ``ListSCIMUsersInSCIMGroup``: no deleted filter on users; store/auth_scim.go
    ``AuthDeleteSCIMUser`` keeps memberships."""
    ada = xtenant.create_user("ada@acme.test")
    group = xtenant.create_group("Eng", [ada["id"]])
    assert xtenant.scim("DELETE", f"/Users/{ada['id']}").status_code == 204
    page = exact.ssoready_client(app_key=True).scim.list_scim_users(
        scim_directory_id=xtenant.directory.id, scim_group_id=group["id"]
    )
    assert [(u.email, u.deleted) for u in page.scim_users] == [("ada@acme.test", True)]


def test_put_replaces_memberships_and_allows_deleted_members(
    exact: MockServer, xtenant: Tenant
) -> None:
    """scim.go ``scimUpdateGroup``/store ``AuthUpdateSCIMGroup``: members cleared and
    re-inserted (deleted users allowed), the group not undeleted; POST with a deleted member
    crashes (``AuthGetSCIMUser`` filters ``deleted = false``)."""
    ada = xtenant.create_user("ada@acme.test")
    bob = xtenant.create_user("bob@acme.test")
    group = xtenant.create_group("Eng", [ada["id"]])
    assert xtenant.scim("DELETE", f"/Users/{bob['id']}").status_code == 204
    r = xtenant.scim(
        "PUT", f"/Groups/{group['id']}", {"displayName": "Eng", "members": [member(bob["id"])]}
    )
    assert r.status_code == 200 and r.json()["members"] == [member(bob["id"])]
    assert app_members(exact, xtenant, group["id"]) == {"bob@acme.test"}
    xtenant.crashes("POST", "/Groups", {"displayName": "X", "members": [member(bob["id"])]})
