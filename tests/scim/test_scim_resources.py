"""Users and Groups over HTTP: CRUD, PUT, PATCH, DELETE, Location and meta, as RFC 7644 says."""

from __future__ import annotations

import json

from mockscim.scim.schemas import ENTERPRISE_USER, USER

CUSTOM = "urn:example:params:scim:schemas:extension:acme:2.0:User"


def test_create_user_returns_201_location_and_meta(scim):
    response = scim.post(
        "/Users", {"schemas": [USER], "userName": "ada@example.com", "active": True}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/scim/v2/dir1/Users/{body['id']}")
    assert response.headers["Content-Type"] == "application/scim+json"
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["location"] == response.headers["Location"]
    assert body["meta"]["created"].endswith("Z")
    assert body["schemas"] == [USER]
    assert body["active"] is True


def test_get_put_patch_delete_round_trip(scim):
    user = scim.create_user("grace@example.com", name={"givenName": "Grace"})
    uid = user["id"]
    assert scim.get(f"/Users/{uid}").get_json()["name"] == {"givenName": "Grace"}

    replaced = scim.put(
        f"/Users/{uid}",
        {"schemas": [USER], "userName": "grace@example.com", "displayName": "Grace H"},
    )
    assert replaced.status_code == 200
    assert "name" not in replaced.get_json()  # PUT replaces every writable attribute
    assert replaced.get_json()["meta"]["version"] != user["meta"]["version"]

    patched = scim.patch(
        f"/Users/{uid}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        },
    )
    assert patched.status_code == 200
    assert patched.get_json()["active"] is False

    assert scim.delete(f"/Users/{uid}").status_code == 204
    gone = scim.get(f"/Users/{uid}")
    assert gone.status_code == 404
    assert gone.get_json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert gone.get_json()["status"] == "404"


def test_duplicate_username_is_409_case_insensitively(scim):
    scim.create_user("Dup@Example.com")
    response = scim.post("/Users", {"schemas": [USER], "userName": "dup@example.com"})
    assert response.status_code == 409
    assert response.get_json()["scimType"] == "uniqueness"


def test_username_may_be_reused_after_delete(scim):
    first = scim.create_user("again@example.com")
    scim.delete(f"/Users/{first['id']}")
    second = scim.create_user("again@example.com")
    assert second["id"] != first["id"]


def test_unknown_extension_attributes_are_kept_verbatim(scim):
    user = scim.create_user(
        "ext@example.com",
        **{
            "schemas": [USER, ENTERPRISE_USER, CUSTOM],
            ENTERPRISE_USER: {"department": "R&D", "manager": {"value": "boss-1"}},
            CUSTOM: {"badge": {"colour": "blue", "level": 3}, "tags": ["a", "b"]},
        },
    )
    fetched = scim.get(f"/Users/{user['id']}").get_json()
    assert fetched[CUSTOM] == {"badge": {"colour": "blue", "level": 3}, "tags": ["a", "b"]}
    assert fetched[ENTERPRISE_USER]["department"] == "R&D"
    assert set(fetched["schemas"]) == {USER, ENTERPRISE_USER, CUSTOM}


def test_password_is_accepted_but_never_returned_or_stored(scim, mock):
    user = scim.create_user("pw@example.com", password="hunter2!")
    assert "password" not in user
    assert "password" not in scim.get(f"/Users/{user['id']}").get_json()
    replaced = scim.put(
        f"/Users/{user['id']}", {"userName": "pw@example.com", "password": "again!"}
    )
    assert replaced.status_code == 200
    assert "hunter2!" not in json.dumps(mock.store.snapshot())
    assert "again!" not in json.dumps(mock.store.snapshot())


def test_read_only_attributes_in_a_body_are_ignored(scim):
    user = scim.create_user(
        "ro@example.com", id="chosen-by-client", meta={"created": "1999-01-01T00:00:00Z"}
    )
    assert user["id"] != "chosen-by-client"
    assert not user["meta"]["created"].startswith("1999")


def test_group_members_and_user_groups_attribute(scim):
    alice = scim.create_user("alice@example.com")
    bob = scim.create_user("bob@example.com")
    group = scim.create_group("Engineering", [alice["id"], bob["id"]])
    members = group["members"]
    assert {m["value"] for m in members} == {alice["id"], bob["id"]}
    assert all(m["$ref"].endswith(f"/Users/{m['value']}") for m in members)
    alice_now = scim.get(f"/Users/{alice['id']}").get_json()
    assert alice_now["groups"] == [
        {
            "value": group["id"],
            "display": "Engineering",
            "$ref": group["meta"]["location"],
            "type": "direct",
        }
    ]
    # Deleting a user removes it from every group.
    scim.delete(f"/Users/{bob['id']}")
    after = scim.get(f"/Groups/{group['id']}").get_json()
    assert [m["value"] for m in after["members"]] == [alice["id"]]


def test_group_with_unknown_member_is_rejected(scim):
    response = scim.post("/Groups", {"displayName": "Ghosts", "members": [{"value": "nobody"}]})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"
    assert scim.get("/Groups").get_json()["totalResults"] == 0


def test_group_patch_okta_and_entra_membership(scim):
    a = scim.create_user("a@example.com")
    b = scim.create_user("b@example.com")
    group = scim.create_group("Sales")
    gid = group["id"]
    okta_add = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {
                "op": "add",
                "path": "members",
                "value": [{"value": a["id"], "display": "a"}, {"value": b["id"]}],
            }
        ],
    }
    assert scim.patch(f"/Groups/{gid}", okta_add).status_code == 200
    okta_remove = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "remove", "path": f'members[value eq "{a["id"]}"]'}],
    }
    body = scim.patch(f"/Groups/{gid}", okta_remove).get_json()
    assert [m["value"] for m in body["members"]] == [b["id"]]
    entra_remove = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Remove", "path": "members", "value": [{"value": b["id"]}]}],
    }
    body = scim.patch(f"/Groups/{gid}", entra_remove).get_json()
    assert body.get("members", []) == []
    assert "groups" not in scim.get(f"/Users/{b['id']}").get_json()


def test_group_rename_okta_style_with_id_in_value(scim):
    group = scim.create_group("Old")
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"id": group["id"], "displayName": "New"}}],
    }
    assert scim.patch(f"/Groups/{group['id']}", body).get_json()["displayName"] == "New"
    found = scim.get("/Groups", query_string={"filter": 'displayName eq "new"'}).get_json()
    assert [g["id"] for g in found["Resources"]] == [group["id"]]


def test_entra_user_patch_with_string_booleans_and_enterprise_urn(scim):
    user = scim.create_user("entra@example.com", active=True)
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Add", "path": f"{ENTERPRISE_USER}:department", "value": "Finance"},
            {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": "mgr-42"},
            {"op": "Replace", "value": {"name.givenName": "Eve"}},
        ],
    }
    result = scim.patch(f"/Users/{user['id']}", body)
    assert result.status_code == 200, result.get_data(as_text=True)
    out = result.get_json()
    assert out["active"] is False
    assert out[ENTERPRISE_USER]["department"] == "Finance"
    assert out[ENTERPRISE_USER]["manager"]["value"] == "mgr-42"
    assert out["name"]["givenName"] == "Eve"


def test_post_entra_string_boolean_active_is_normalised(scim):
    user = scim.create_user("s@example.com", active="True")
    assert user["active"] is True


def test_search_via_post(scim):
    scim.create_user("one@example.com")
    scim.create_user("two@example.com")
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName sw "t"',
        "startIndex": 1,
        "count": 10,
    }
    response = scim.post("/Users/.search", body)
    assert response.status_code == 200
    assert [u["userName"] for u in response.get_json()["Resources"]] == ["two@example.com"]


def test_attributes_and_excluded_attributes(scim):
    user = scim.create_user(
        "proj@example.com",
        name={"givenName": "P", "familyName": "Q"},
        displayName="PQ",
        emails=[{"value": "proj@example.com", "type": "work"}],
    )
    only = scim.get(f"/Users/{user['id']}", query_string={"attributes": "userName,name.givenName"})
    body = only.get_json()
    assert set(body) == {"schemas", "id", "userName", "name"}
    assert body["name"] == {"givenName": "P"}
    excluded = scim.get(f"/Users/{user['id']}", query_string={"excludedAttributes": "emails,name"})
    assert "emails" not in excluded.get_json() and "name" not in excluded.get_json()
    assert excluded.get_json()["displayName"] == "PQ"


def test_group_listing_excluding_members_omits_them(scim):
    u = scim.create_user("m@example.com")
    scim.create_group("G", [u["id"]])
    listed = scim.get("/Groups", query_string={"excludedAttributes": "members"}).get_json()
    assert listed["Resources"][0]["displayName"] == "G"
    assert "members" not in listed["Resources"][0]
    full = scim.get("/Groups").get_json()
    assert full["Resources"][0]["members"][0]["value"] == u["id"]


def test_auth_is_required_and_checked(scim):
    assert scim.get("/Users", token="wrong").status_code == 401
    response = scim.client.get("/scim/v2/dir1/Users")
    assert response.status_code == 401
    assert response.get_json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert scim.client.get("/scim/v2/nope/Users").status_code == 404
