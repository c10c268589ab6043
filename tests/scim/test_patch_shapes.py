"""Every PATCH shape real IdPs send, applied to stored data (then validated as the server does)."""

from __future__ import annotations

import copy

import pytest

from mockscim.scim.errors import ScimError
from mockscim.scim.patch import apply_patch
from mockscim.scim.schemas import ENTERPRISE_USER, GROUP_TYPE, PATCH_OP, USER_TYPE
from mockscim.scim.validate import normalize_resource

CUSTOM = "urn:example:params:scim:schemas:extension:acme:2.0:User"


def user():
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER],
        "userName": "ada@example.com",
        "active": True,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "ada@example.com", "type": "work", "primary": True}],
        ENTERPRISE_USER: {"department": "Math", "manager": {"value": "m1"}},
    }


def group():
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Eng",
        "members": [{"value": "u1"}, {"value": "u2"}],
    }


def patch(resource, *ops, resource_type=USER_TYPE, resource_id="r1"):
    body = {"schemas": [PATCH_OP], "Operations": list(ops)}
    return normalize_resource(
        apply_patch(resource, body, resource_type, resource_id=resource_id), resource_type
    )


def test_okta_deactivate_and_reactivate():
    out = patch(user(), {"op": "replace", "value": {"active": False}})
    assert out["active"] is False
    assert patch(out, {"op": "replace", "value": {"active": True}})["active"] is True


def test_entra_capitalised_ops_and_string_booleans():
    out = patch(
        user(),
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "path": "title", "value": "Countess"},
    )
    assert out["active"] is False and out["title"] == "Countess"


def test_entra_no_path_replace_with_dotted_keys():
    out = patch(user(), {"op": "Replace", "value": {"name.givenName": "Augusta", "active": "True"}})
    assert out["name"] == {"givenName": "Augusta", "familyName": "Lovelace"}
    assert out["active"] is True


def test_entra_enterprise_paths_by_full_urn_and_bare_manager():
    out = patch(
        user(),
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:department", "value": "CS"},
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": "m2"},
    )
    assert out[ENTERPRISE_USER]["department"] == "CS"
    assert out[ENTERPRISE_USER]["manager"] == {"value": "m2"}
    removed = patch(out, {"op": "Remove", "path": f"{ENTERPRISE_USER}:manager"})
    assert "manager" not in removed[ENTERPRISE_USER]


def test_no_path_value_with_extension_object_and_urn_keys():
    out = patch(
        user(),
        {
            "op": "replace",
            "value": {
                ENTERPRISE_USER: {"costCenter": "42"},
                f"{ENTERPRISE_USER}:division": "West",
                CUSTOM: {"badge": "gold"},
            },
        },
    )
    assert out[ENTERPRISE_USER]["costCenter"] == "42"
    assert out[ENTERPRISE_USER]["division"] == "West"
    assert out[ENTERPRISE_USER]["department"] == "Math"  # merged, not replaced
    assert out[CUSTOM] == {"badge": "gold"}
    assert CUSTOM in out["schemas"]


def test_value_filter_paths_update_and_create_the_work_email():
    out = patch(
        user(), {"op": "replace", "path": 'emails[type eq "work"].value', "value": "a@new.com"}
    )
    assert out["emails"] == [{"value": "a@new.com", "type": "work", "primary": True}]
    bare = user()
    del bare["emails"]
    created = patch(
        bare, {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "w@x.com"}
    )
    assert created["emails"] == [{"type": "work", "value": "w@x.com"}]


def test_replace_multi_valued_replaces_the_list_and_add_appends():
    out = patch(
        user(), {"op": "add", "path": "emails", "value": [{"value": "h@x.com", "type": "home"}]}
    )
    assert [e["value"] for e in out["emails"]] == ["ada@example.com", "h@x.com"]
    out = patch(out, {"op": "replace", "path": "emails", "value": [{"value": "only@x.com"}]})
    assert out["emails"] == [{"value": "only@x.com"}]


def test_remove_by_filter_and_whole_attribute():
    out = patch(user(), {"op": "remove", "path": 'emails[type eq "work"]'})
    assert "emails" not in out
    assert "title" not in patch(user(), {"op": "remove", "path": "title"})
    assert "name" not in patch(user(), {"op": "remove", "path": "name"})
    assert patch(user(), {"op": "remove", "path": "name.givenName"})["name"] == {
        "familyName": "Lovelace"
    }


def test_okta_group_membership():
    added = patch(
        group(),
        {
            "op": "add",
            "path": "members",
            "value": [{"value": "u3", "display": "C"}, {"value": "u1"}],
        },
        resource_type=GROUP_TYPE,
    )
    assert [m["value"] for m in added["members"]] == ["u1", "u2", "u3"]  # no duplicate u1
    removed = patch(
        added, {"op": "remove", "path": 'members[value eq "u2"]'}, resource_type=GROUP_TYPE
    )
    assert [m["value"] for m in removed["members"]] == ["u1", "u3"]


def test_entra_member_removal_with_value_array():
    out = patch(
        group(),
        {"op": "Remove", "path": "members", "value": [{"value": "u1"}]},
        resource_type=GROUP_TYPE,
    )
    assert out["members"] == [{"value": "u2"}]


def test_okta_rename_repeats_the_id():
    out = patch(
        group(),
        {"op": "replace", "value": {"id": "r1", "displayName": "Platform"}},
        resource_type=GROUP_TYPE,
    )
    assert out["displayName"] == "Platform"


def test_patch_never_mutates_its_input_even_on_failure():
    original = user()
    snapshot = copy.deepcopy(original)
    with pytest.raises(ScimError):
        apply_patch(
            original,
            {
                "schemas": [PATCH_OP],
                "Operations": [
                    {"op": "replace", "path": "title", "value": "x"},
                    {"op": "replace", "path": "nosuch", "value": 1},
                ],
            },
            USER_TYPE,
        )
    assert original == snapshot
    apply_patch(
        original, {"Operations": [{"op": "replace", "path": "title", "value": "y"}]}, USER_TYPE
    )
    assert original == snapshot


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ([], "invalidSyntax"),
        (
            {
                "schemas": ["urn:wrong"],
                "Operations": [{"op": "add", "path": "title", "value": "x"}],
            },
            "invalidSyntax",
        ),
        ({"Operations": []}, "invalidSyntax"),
        ({"Operations": "add"}, "invalidSyntax"),
        ({"Operations": ["add"]}, "invalidSyntax"),
        ({"Operations": [{"op": "merge", "path": "title", "value": "x"}]}, "invalidSyntax"),
        ({"Operations": [{"op": "remove"}]}, "noTarget"),
        ({"Operations": [{"op": "add", "value": "not an object"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "title"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "nosuch", "value": 1}]}, "invalidPath"),
        ({"Operations": [{"op": "replace", "path": 7, "value": 1}]}, "invalidPath"),
        ({"Operations": [{"op": "replace", "path": "id", "value": "x"}]}, "mutability"),
        ({"Operations": [{"op": "replace", "path": "meta.created", "value": "x"}]}, "mutability"),
        (
            {"Operations": [{"op": "add", "path": "groups", "value": [{"value": "g"}]}]},
            "mutability",
        ),
        ({"Operations": [{"op": "replace", "value": {"id": "someone-else"}}]}, "mutability"),
        ({"Operations": [{"op": "remove", "path": "userName"}]}, "mutability"),
        (
            {
                "Operations": [
                    {
                        "op": "replace",
                        "path": 'emails[type eq "home" or type eq "x"].value',
                        "value": "z",
                    }
                ]
            },
            "noTarget",
        ),
    ],
)
def test_bad_patches(body, scim_type):
    with pytest.raises(ScimError) as info:
        apply_patch(user(), body, USER_TYPE, resource_id="r1")
    assert info.value.status == 400
    assert info.value.scim_type == scim_type


def test_bad_values_are_caught_by_validation_after_patch():
    with pytest.raises(ScimError) as info:
        patch(user(), {"op": "replace", "path": "active", "value": "perhaps"})
    assert info.value.scim_type == "invalidValue"
