"""SCIM PATCH (RFC 7644 3.5.2) and every shape real IdPs send, one test per habit.

``apply_patch`` works on stored data (no ``id``/``meta``), returns a new dict and leaves its
input alone; a bad PATCH raises ``ScimError`` and changes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockscim.scim.errors import ScimError
from mockscim.scim.patch import apply_patch
from mockscim.scim.schemas import ENTERPRISE_USER, GROUP, GROUP_TYPE, PATCH_OP, USER, USER_TYPE

ACME = "urn:acme:params:scim:schemas:extension:badges:1.0:User"


def ada() -> dict[str, Any]:
    return {
        "schemas": [USER, ENTERPRISE_USER],
        "userName": "ada@example.com",
        "externalId": "ext-ada",
        "active": True,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [
            {"value": "ada@example.com", "type": "work", "primary": True},
            {"value": "ada@home.org", "type": "home"},
        ],
        ENTERPRISE_USER: {"department": "Math", "manager": {"value": "babbage"}},
    }


def eng() -> dict[str, Any]:
    return {
        "schemas": [GROUP],
        "displayName": "Engineering",
        "members": [{"value": "u1", "display": "One"}, {"value": "u2"}],
    }


def patch(resource: dict[str, Any], *ops: dict[str, Any], rid: str = "r1") -> dict[str, Any]:
    """Apply ``ops`` as a PatchOp, checking on the way that the input is never touched."""
    resource_type = GROUP_TYPE if GROUP in resource.get("schemas", []) else USER_TYPE
    before = copy.deepcopy(resource)
    body = {"schemas": [PATCH_OP], "Operations": list(ops)}
    out = apply_patch(resource, body, resource_type, resource_id=rid)
    assert resource == before
    assert out is not resource
    return out


def patch_error(resource: dict[str, Any], body: Any) -> ScimError:
    resource_type = GROUP_TYPE if GROUP in resource.get("schemas", []) else USER_TYPE
    before = copy.deepcopy(resource)
    with pytest.raises(ScimError) as info:
        apply_patch(resource, body, resource_type, resource_id="r1")
    assert resource == before
    return info.value


# ---------------------------------------------------------------------------------- Okta


def test_okta_deactivates_and_reactivates_with_a_no_path_replace() -> None:
    off = patch(ada(), {"op": "replace", "value": {"active": False}})
    assert off["active"] is False
    assert {k: v for k, v in off.items() if k != "active"} == {
        k: v for k, v in ada().items() if k != "active"
    }
    assert patch(off, {"op": "replace", "value": {"active": True}})["active"] is True


def test_okta_omits_schemas_in_the_envelope() -> None:
    out = apply_patch(
        ada(), {"Operations": [{"op": "replace", "value": {"active": False}}]}, USER_TYPE
    )
    assert out["active"] is False


def test_okta_adds_members_without_duplicating_existing_ones() -> None:
    out = patch(
        eng(),
        {
            "op": "add",
            "path": "members",
            "value": [{"value": "u3", "display": "Three"}, {"value": "u1", "display": "Again"}],
        },
    )
    assert out["members"] == [
        {"value": "u1", "display": "One"},
        {"value": "u2"},
        {"value": "u3", "display": "Three"},
    ]


def test_okta_removes_a_member_by_filter_path() -> None:
    out = patch(eng(), {"op": "remove", "path": 'members[value eq "u1"]'})
    assert out["members"] == [{"value": "u2"}]
    # Removing someone who is not a member is not an error (Okta retries).
    assert patch(out, {"op": "remove", "path": 'members[value eq "nobody"]'}) == out


def test_okta_renames_a_group_repeating_its_id() -> None:
    out = patch(eng(), {"op": "replace", "value": {"id": "r1", "displayName": "Platform"}})
    assert out["displayName"] == "Platform"
    assert "id" not in out


# --------------------------------------------------------------------------------- Entra


@pytest.mark.parametrize("op", ["Replace", "REPLACE", "replace", "Add"])
def test_entra_capitalised_ops(op: str) -> None:
    assert patch(ada(), {"op": op, "path": "title", "value": "Countess"})["title"] == "Countess"


def test_entra_capitalised_remove() -> None:
    assert "externalId" not in patch(ada(), {"op": "Remove", "path": "externalId"})


@pytest.mark.parametrize(
    ("path", "value", "read"),
    [
        ("active", "False", lambda u: u["active"]),
        ("active", "false", lambda u: u["active"]),
        ("active", " FALSE ", lambda u: u["active"]),
        ('emails[type eq "work"].primary', "False", lambda u: u["emails"][0]["primary"]),
        ("emails.primary", "false", lambda u: u["emails"][0]["primary"]),
    ],
)
def test_entra_string_booleans_become_booleans(path: str, value: str, read: Any) -> None:
    assert read(patch(ada(), {"op": "Replace", "path": path, "value": value})) is False


def test_string_booleans_inside_objects_and_lists() -> None:
    out = patch(
        ada(),
        {"op": "Replace", "value": {"active": "False"}},
        {
            "op": "Replace",
            "path": "emails",
            "value": [{"value": "a@x.com", "type": "work", "Primary": "True"}],
        },
    )
    assert out["active"] is False
    assert out["emails"] == [{"value": "a@x.com", "type": "work", "primary": True}]


def test_entra_no_path_replace_with_dotted_and_filtered_keys() -> None:
    out = patch(
        ada(),
        {
            "op": "Replace",
            "value": {
                "name.givenName": "Augusta",
                "name.formatted": "Augusta Ada King",
                'emails[type eq "work"].value': "augusta@example.com",
                "active": "True",
            },
        },
    )
    assert out["name"] == {
        "givenName": "Augusta",
        "familyName": "Lovelace",
        "formatted": "Augusta Ada King",
    }
    assert out["emails"][0] == {"value": "augusta@example.com", "type": "work", "primary": True}
    assert out["active"] is True


def test_entra_enterprise_attributes_by_full_urn_path() -> None:
    out = patch(
        ada(),
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:department", "value": "Computing"},
        {"op": "Add", "path": f"{ENTERPRISE_USER}:employeeNumber", "value": "1815"},
    )
    assert out[ENTERPRISE_USER] == {
        "department": "Computing",
        "employeeNumber": "1815",
        "manager": {"value": "babbage"},
    }


def test_entra_manager_as_a_bare_string() -> None:
    out = patch(ada(), {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": "turing"})
    assert out[ENTERPRISE_USER]["manager"] == {"value": "turing"}
    no_path = patch(ada(), {"op": "Add", "value": {f"{ENTERPRISE_USER}:manager": "hopper"}})
    assert no_path[ENTERPRISE_USER]["manager"] == {"value": "hopper"}


@pytest.mark.parametrize(
    "op",
    [
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": {"value": ""}},
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": ""},
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": None},
        {"op": "Replace", "path": f"{ENTERPRISE_USER}:manager.value", "value": ""},
        {"op": "Remove", "path": f"{ENTERPRISE_USER}:manager"},
        {"op": "Replace", "value": {ENTERPRISE_USER: {"manager": {"value": ""}}}},
    ],
)
def test_an_empty_manager_removes_the_manager(op: dict[str, Any]) -> None:
    out = patch(ada(), op)
    assert out[ENTERPRISE_USER] == {"department": "Math"}


def test_removing_the_last_extension_attribute_drops_the_extension() -> None:
    out = patch(
        ada(),
        {"op": "Remove", "path": f"{ENTERPRISE_USER}:manager"},
        {"op": "Remove", "path": f"{ENTERPRISE_USER}:department"},
    )
    assert ENTERPRISE_USER not in out
    assert out["schemas"] == [USER]


def test_entra_removes_members_with_a_value_array() -> None:
    out = patch(eng(), {"op": "Remove", "path": "members", "value": [{"value": "u1"}]})
    assert out["members"] == [{"value": "u2"}]
    emptied = patch(
        eng(), {"op": "Remove", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}]}
    )
    assert "members" not in emptied


def test_entra_adds_members_with_a_value_array() -> None:
    out = patch(eng(), {"op": "Add", "path": "members", "value": [{"value": "u9"}]})
    assert [m["value"] for m in out["members"]] == ["u1", "u2", "u9"]


def test_entra_creates_the_work_email_a_filter_path_names() -> None:
    bare = ada()
    del bare["emails"]
    out = patch(bare, {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "w@x.io"})
    assert out["emails"] == [{"type": "work", "value": "w@x.io"}]
    # A second write updates that element instead of adding another.
    again = patch(out, {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "v@x.io"})
    assert again["emails"] == [{"type": "work", "value": "v@x.io"}]


# ---------------------------------------------------------------------------------- RFC


def test_no_path_add_merges_complex_and_appends_multi_valued() -> None:
    out = patch(
        ada(),
        {
            "op": "add",
            "value": {
                "name": {"middleName": "King"},
                "emails": [{"value": "ada@work2.com", "type": "other"}],
                "nickName": "Enchantress",
            },
        },
    )
    assert out["name"] == {"givenName": "Ada", "familyName": "Lovelace", "middleName": "King"}
    assert [e["value"] for e in out["emails"]] == [
        "ada@example.com",
        "ada@home.org",
        "ada@work2.com",
    ]
    assert out["nickName"] == "Enchantress"


def test_no_path_value_with_extension_objects_and_urn_keys() -> None:
    out = patch(
        ada(),
        {
            "op": "replace",
            "value": {
                "schemas": ["ignored"],
                f"{USER}:title": "Countess",
                ENTERPRISE_USER: {"costCenter": "42"},
                f"{ENTERPRISE_USER}:division": "West",
                ACME: {"badge": "gold"},
            },
        },
    )
    assert out["title"] == "Countess"
    assert out[ENTERPRISE_USER] == {
        "department": "Math",  # merged, not replaced
        "manager": {"value": "babbage"},
        "costCenter": "42",
        "division": "West",
    }
    assert out[ACME] == {"badge": "gold"}
    assert out["schemas"] == [USER, ENTERPRISE_USER, ACME]


def test_a_path_naming_a_whole_extension() -> None:
    out = patch(ada(), {"op": "add", "path": ENTERPRISE_USER, "value": {"division": "N"}})
    assert out[ENTERPRISE_USER]["division"] == "N"
    assert out[ENTERPRISE_USER]["department"] == "Math"
    removed = patch(ada(), {"op": "remove", "path": ENTERPRISE_USER})
    assert ENTERPRISE_USER not in removed
    assert removed["schemas"] == [USER]


def test_other_types_are_left_to_resource_validation() -> None:
    """Only booleans (and ``manager``) are coerced here; ``validate`` owns the rest."""
    out = patch(ada(), {"op": "replace", "path": f"{WORK}.value", "value": 1})
    assert out["emails"][0]["value"] == 1


def test_unknown_extension_attributes_are_kept_under_their_urn() -> None:
    out = patch(ada(), {"op": "add", "path": f"{ACME}:badge", "value": {"tier": "Gold"}})
    assert out[ACME] == {"badge": {"tier": "Gold"}}
    assert ACME in out["schemas"]
    assert ACME not in patch(out, {"op": "remove", "path": f"{ACME}:badge"})


def test_sub_attribute_paths() -> None:
    out = patch(
        ada(),
        {"op": "replace", "path": "name.givenName", "value": "Augusta"},
        {"op": "add", "path": f"{USER}:name.honorificPrefix", "value": "Lady"},
        {"op": "remove", "path": "name.familyName"},
    )
    assert out["name"] == {"givenName": "Augusta", "honorificPrefix": "Lady"}


def test_replace_on_a_multi_valued_attribute_replaces_the_list() -> None:
    out = patch(ada(), {"op": "replace", "path": "emails", "value": [{"value": "only@x.com"}]})
    assert out["emails"] == [{"value": "only@x.com"}]


def test_add_to_a_multi_valued_attribute_appends_and_keeps_one_primary() -> None:
    out = patch(
        ada(),
        {"op": "add", "path": "emails", "value": {"value": "new@x.com", "primary": True}},
    )
    assert [(e["value"], e.get("primary")) for e in out["emails"]] == [
        ("ada@example.com", False),
        ("ada@home.org", None),
        ("new@x.com", True),
    ]


def test_filter_paths_update_matching_elements() -> None:
    out = patch(
        ada(),
        {"op": "replace", "path": 'emails[type eq "home"].value', "value": "ada@cottage.org"},
        {"op": "add", "path": 'emails[value ew "cottage.org"]', "value": {"display": "Cottage"}},
    )
    assert out["emails"][1] == {"value": "ada@cottage.org", "type": "home", "display": "Cottage"}
    replaced = patch(
        ada(), {"op": "replace", "path": 'emails[type eq "home"]', "value": {"value": "h@x.com"}}
    )
    assert replaced["emails"][1] == {"value": "h@x.com"}  # replace swaps the whole element


def test_remove_by_filter_and_whole_attribute() -> None:
    out = patch(ada(), {"op": "remove", "path": 'emails[type eq "home"]'})
    assert out["emails"] == [{"value": "ada@example.com", "type": "work", "primary": True}]
    assert "emails" not in patch(ada(), {"op": "remove", "path": "emails"})
    assert "name" not in patch(ada(), {"op": "remove", "path": "name"})
    no_primary = patch(ada(), {"op": "remove", "path": 'emails[type eq "work"].primary'})
    assert no_primary["emails"][0] == {"value": "ada@example.com", "type": "work"}


def test_new_keys_take_canonical_names_and_old_spellings_go() -> None:
    sloppy = {"schemas": [USER], "username": "ada@example.com", "TITLE": "x"}
    out = patch(
        sloppy,
        {"op": "replace", "path": "USERNAME", "value": "ada@new.com"},
        {"op": "replace", "value": {"title": "Countess", "displayname": "Ada"}},
    )
    assert out == {
        "schemas": [USER],
        "userName": "ada@new.com",
        "title": "Countess",
        "displayName": "Ada",
    }


def test_null_in_a_no_path_value_unassigns() -> None:
    out = patch(ada(), {"op": "replace", "value": {"externalId": None, "name.givenName": None}})
    assert "externalId" not in out
    assert out["name"] == {"familyName": "Lovelace"}


def test_lowercase_operations_key_and_case_insensitive_schema() -> None:
    body = {
        "schemas": [PATCH_OP.upper()],
        "operations": [{"op": "add", "path": "title", "value": "x"}],
    }
    assert apply_patch(ada(), body, USER_TYPE)["title"] == "x"


def test_the_result_shares_nothing_with_the_body() -> None:
    value = [{"value": "u9"}]
    out = patch(eng(), {"op": "add", "path": "members", "value": value})
    value[0]["value"] = "changed"
    assert out["members"][-1] == {"value": "u9"}


# ---------------------------------------------------------------------------- atomicity


def test_a_failing_operation_applies_nothing() -> None:
    original = ada()
    error = patch_error(
        original,
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "replace", "path": "title", "value": "applied first"},
                {"op": "remove", "path": 'emails[type eq "home"]'},
                {"op": "replace", "path": "active", "value": "perhaps"},
            ],
        },
    )
    assert (error.status, error.scim_type) == (400, "invalidValue")
    assert original == ada()


def test_a_failing_no_path_key_applies_nothing() -> None:
    original = eng()
    error = patch_error(
        original,
        {"Operations": [{"op": "replace", "value": {"displayName": "New", "meta": {}}}]},
    )
    assert error.scim_type == "mutability"
    assert original == eng()


# -------------------------------------------------------------------------- bad patches

WORK = 'emails[type eq "work"]'


@pytest.mark.parametrize(
    ("body", "status", "scim_type"),
    [
        # The envelope
        ([], 400, "invalidSyntax"),
        ("Operations", 400, "invalidSyntax"),
        (
            {"schemas": ["urn:wrong"], "Operations": [{"op": "add", "value": {}}]},
            400,
            "invalidSyntax",
        ),
        ({"schemas": PATCH_OP, "Operations": [{"op": "add", "value": {}}]}, 400, "invalidSyntax"),
        ({"schemas": [PATCH_OP]}, 400, "invalidSyntax"),
        ({"Operations": []}, 400, "invalidSyntax"),
        ({"Operations": {"op": "add"}}, 400, "invalidSyntax"),
        ({"Operations": ["add"]}, 400, "invalidSyntax"),
        # The op
        ({"Operations": [{"path": "title", "value": "x"}]}, 400, "invalidSyntax"),
        ({"Operations": [{"op": "merge", "path": "title", "value": "x"}]}, 400, "invalidSyntax"),
        ({"Operations": [{"op": "copy", "path": "title", "value": "x"}]}, 400, "invalidSyntax"),
        ({"Operations": [{"op": 1, "path": "title", "value": "x"}]}, 400, "invalidSyntax"),
        # Targets
        ({"Operations": [{"op": "remove"}]}, 400, "noTarget"),
        ({"Operations": [{"op": "Remove", "value": {"title": "x"}}]}, 400, "noTarget"),
        (
            {
                "Operations": [
                    {
                        "op": "replace",
                        "path": 'emails[type eq "x" or type eq "y"].value',
                        "value": "z",
                    }
                ]
            },
            400,
            "noTarget",
        ),
        (
            {
                "Operations": [
                    {"op": "replace", "path": 'emails[value co "nope"].value', "value": "z"}
                ]
            },
            400,
            "noTarget",
        ),
        (
            {"Operations": [{"op": "replace", "path": 'emails[type eq "x"]', "value": {}}]},
            400,
            "noTarget",
        ),
        # Values
        ({"Operations": [{"op": "add", "value": "not an object"}]}, 400, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "title"}]}, 400, "invalidValue"),
        ({"Operations": [{"op": "add", "path": "title", "value": None}]}, 400, "invalidValue"),
        (
            {"Operations": [{"op": "replace", "path": "active", "value": "yes"}]},
            400,
            "invalidValue",
        ),
        ({"Operations": [{"op": "replace", "path": "active", "value": 0}]}, 400, "invalidValue"),
        ({"Operations": [{"op": "replace", "value": {"active": "maybe"}}]}, 400, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "name", "value": "Ada"}]}, 400, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": WORK, "value": "x"}]}, 400, "invalidValue"),
        (
            {"Operations": [{"op": "add", "path": "emails", "value": [{"primary": "sure"}]}]},
            400,
            "invalidValue",
        ),
        # Paths
        ({"Operations": [{"op": "replace", "path": "nosuch", "value": 1}]}, 400, "invalidPath"),
        (
            {"Operations": [{"op": "replace", "path": "name.nosuch", "value": 1}]},
            400,
            "invalidPath",
        ),
        ({"Operations": [{"op": "replace", "path": 7, "value": 1}]}, 400, "invalidPath"),
        ({"Operations": [{"op": "replace", "value": {"shoeSize": 9}}]}, 400, "invalidPath"),
        (
            {"Operations": [{"op": "add", "path": f"{ENTERPRISE_USER}:shoeSize", "value": 9}]},
            400,
            "invalidPath",
        ),
        ({"Operations": [{"op": "remove", "path": 'emails[type eq "work"'}]}, 400, "invalidPath"),
        # Read-only and required attributes
        ({"Operations": [{"op": "replace", "path": "id", "value": "x"}]}, 400, "mutability"),
        ({"Operations": [{"op": "replace", "value": {"id": "someone-else"}}]}, 400, "mutability"),
        (
            {"Operations": [{"op": "replace", "path": "meta.created", "value": "x"}]},
            400,
            "mutability",
        ),
        ({"Operations": [{"op": "replace", "value": {"meta": {}}}]}, 400, "mutability"),
        (
            {"Operations": [{"op": "add", "path": "groups", "value": [{"value": "g"}]}]},
            400,
            "mutability",
        ),
        ({"Operations": [{"op": "add", "value": {"groups": [{"value": "g"}]}}]}, 400, "mutability"),
        ({"Operations": [{"op": "remove", "path": "groups"}]}, 400, "mutability"),
        ({"Operations": [{"op": "remove", "path": "userName"}]}, 400, "mutability"),
        ({"Operations": [{"op": "replace", "value": {"userName": None}}]}, 400, "mutability"),
        (
            {
                "Operations": [
                    {
                        "op": "replace",
                        "path": f"{ENTERPRISE_USER}:manager.displayName",
                        "value": "x",
                    }
                ]
            },
            400,
            "mutability",
        ),
    ],
)
def test_bad_patches(body: Any, status: int, scim_type: str) -> None:
    error = patch_error(ada(), body)
    assert (error.status, error.scim_type) == (status, scim_type)


@pytest.mark.parametrize(
    ("op", "scim_type"),
    [
        ({"op": "remove", "path": "displayName"}, "mutability"),
        ({"op": "replace", "path": 'members[value eq "u1"].nosuch', "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": 'members[value eq "u9"]', "value": {"value": "u8"}}, "noTarget"),
        ({"op": "replace", "value": {"id": "other-group", "displayName": "x"}}, "mutability"),
    ],
)
def test_bad_group_patches(op: dict[str, Any], scim_type: str) -> None:
    error = patch_error(eng(), {"Operations": [op]})
    assert (error.status, error.scim_type) == (400, scim_type)
