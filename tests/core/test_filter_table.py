"""The filter grammar as a table: filter text -> the users it matches."""

from __future__ import annotations

import pytest

from mockscim.scim.errors import ScimError
from mockscim.scim.filter import compile_filter, parse_path
from mockscim.scim.schemas import ENTERPRISE_USER, GROUP_TYPE, USER_TYPE

CUSTOM = "urn:example:params:scim:schemas:extension:acme:2.0:User"


def _user(uid, user_name, **extra):
    return {
        "id": uid,
        "userName": user_name,
        "meta": {
            "resourceType": "User",
            "created": extra.pop("created", "2026-01-01T00:00:00Z"),
            "lastModified": extra.pop("modified", "2026-01-02T00:00:00Z"),
        },
        **extra,
    }


USERS = [
    _user(
        "u1",
        "Alice@Example.com",
        externalId="EXT-1",
        active=True,
        title="Engineer",
        name={"givenName": "Alice", "familyName": "Smith"},
        emails=[
            {"value": "alice@example.com", "type": "work", "primary": True},
            {"value": "alice@home.org", "type": "home"},
        ],
        **{
            ENTERPRISE_USER: {
                "department": "R&D",
                "manager": {"value": "u3"},
                "employeeNumber": "7",
            }
        },
        groups=[{"value": "g1", "display": "Engineering"}],
        created="2025-06-01T00:00:00Z",
    ),
    _user(
        "u2",
        "bob@example.com",
        externalId="ext-2",
        active=False,
        name={"givenName": "Bob", "familyName": "Jones"},
        emails=[{"value": "bob@corp.net", "type": "work"}],
    ),
    _user(
        "u3",
        "carol@other.org",
        active=True,
        title="",
        name={"givenName": "Carol", "familyName": "Smithers"},
        **{CUSTOM: {"badge": "gold"}},
        modified="2026-03-01T12:00:00Z",
    ),
    _user("u4", "dave@example.com", displayName="Dave"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "alice@example.com"', {"u1"}),  # userName is case-insensitive
        ('USERNAME EQ "ALICE@EXAMPLE.COM"', {"u1"}),  # so are attribute names and operators
        ('userName ne "alice@example.com"', {"u2", "u3", "u4"}),
        ('userName co "example"', {"u1", "u2", "u4"}),
        ('userName sw "b"', {"u2"}),
        ('userName ew ".org"', {"u3"}),
        ('externalId eq "EXT-1"', {"u1"}),
        ('externalId eq "ext-1"', set()),  # externalId is caseExact
        ('id eq "U1"', set()),  # so is id
        ("active eq true", {"u1", "u3"}),
        ("active eq false", {"u2"}),
        ("active ne true", {"u2", "u4"}),  # missing differs from true
        ("title pr", {"u1"}),  # empty string is not present
        ("displayName pr", {"u4"}),
        ("not (title pr)", {"u2", "u3", "u4"}),
        ('name.familyName sw "smith"', {"u1", "u3"}),
        ('name.familyName eq "Smith" or name.givenName eq "bob"', {"u1", "u2"}),
        ('userName co "example" and active eq true', {"u1"}),
        # and binds tighter than or
        ('userName sw "a" or userName sw "b" and active eq true', {"u1"}),
        ('(userName sw "a" or userName sw "b") and active eq false', {"u2"}),
        ('emails co "@corp"', {"u2"}),  # complex multi-valued compares its "value"
        ('emails.value ew "home.org"', {"u1"}),
        ('emails[type eq "work" and value co "@example"]', {"u1"}),
        ('emails[type eq "home"]', {"u1"}),
        ('emails[type eq "work"] and not (emails[value co "corp"])', {"u1"}),
        (f'{ENTERPRISE_USER}:department eq "r&d"', {"u1"}),
        (f'{ENTERPRISE_USER}:manager.value eq "u3"', {"u1"}),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "dave@example.com"', {"u4"}),
        (f'{CUSTOM}:badge eq "gold"', {"u3"}),  # unknown extensions are matched verbatim
        ('meta.created lt "2026-01-01T00:00:00Z"', {"u1"}),
        ('meta.lastModified gt "2026-02-01T00:00:00+00:00"', {"u3"}),
        ('meta.lastModified ge "2026-01-02T00:00:00Z"', {"u1", "u2", "u3", "u4"}),
        ('meta.lastModified le "2026-01-02T00:00:00Z"', {"u1", "u2", "u4"}),
        ('groups[value eq "g1"]', {"u1"}),
        ("title eq null", {"u2", "u4"}),
        ('userName eq "a \\"quoted\\" name"', set()),
    ],
)
def test_filter_matches(text, expected):
    flt = compile_filter(text, USER_TYPE)
    assert {u["id"] for u in USERS if flt.matches(u)} == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "userName",
        "userName eq",
        'userName eq "unterminated',
        'userName like "x"',
        'shoeSize eq "9"',  # unknown core attribute
        'name.nickname eq "x"',  # unknown sub-attribute
        'userName eq "a" and',
        'userName eq "a" or or userName eq "b"',
        '(userName eq "a"',
        'userName eq "a")',
        'emails[type eq "work"',
        'emails[nosuch eq "x"]',
        'userName[value eq "x"]',  # a value filter on a simple attribute
        "active gt true",  # ordering on booleans
        'name gt "x"',  # ordering on a complex attribute
        'not userName eq "a"',  # not needs parentheses
        'userName eq "a" @ userName eq "b"',
        "(" * 60 + 'userName eq "a"' + ")" * 60,  # too deep
    ],
)
def test_invalid_filters_are_400_invalid_filter(text):
    with pytest.raises(ScimError) as info:
        compile_filter(text, USER_TYPE)
    assert info.value.status == 400
    assert info.value.scim_type == "invalidFilter"


def test_a_filter_beyond_the_size_bound_is_400_too_many():
    with pytest.raises(ScimError) as info:
        compile_filter('userName eq "' + "x" * 5000 + '"', USER_TYPE)
    assert (info.value.status, info.value.scim_type) == (400, "tooMany")


def test_equality_terms_feed_the_index():
    flt = compile_filter('userName eq "a@b.com" and active eq true', USER_TYPE)
    assert [(p.name, v) for p, v in flt.equality_terms()] == [
        ("userName", "a@b.com"),
        ("active", True),
    ]
    assert compile_filter('userName eq "a" or userName eq "b"', USER_TYPE).equality_terms() == []
    assert compile_filter('not (userName eq "a")', USER_TYPE).equality_terms() == []


def test_group_filters():
    groups = [
        {"id": "g1", "displayName": "Engineering", "members": [{"value": "u1"}, {"value": "u2"}]},
        {"id": "g2", "displayName": "Sales", "members": []},
    ]
    flt = compile_filter('displayName eq "engineering" and members[value eq "u2"]', GROUP_TYPE)
    assert [g["id"] for g in groups if flt.matches(g)] == ["g1"]
    assert [g["id"] for g in groups if compile_filter("members pr", GROUP_TYPE).matches(g)] == [
        "g1"
    ]


@pytest.mark.parametrize(
    ("text", "attr", "has_filter", "sub"),
    [
        ("active", "active", False, None),
        ("name.givenName", "name", False, None),
        ('emails[type eq "work"].value', "emails", True, "value"),
        ('members[value eq "u1"]', "members", True, None),
        (f"{ENTERPRISE_USER}:manager", "manager", False, None),
    ],
)
def test_patch_paths(text, attr, has_filter, sub):
    resource_type = GROUP_TYPE if text.startswith("members") else USER_TYPE
    path = parse_path(text, resource_type)
    assert path.attr.name == attr
    assert (path.value_filter is not None) == has_filter
    assert path.sub_name == sub


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nosuch",
        'emails[type eq "work"',
        'emails[type eq "work"]x',
        'emails[type eq "work"].nosuch',
        'active[value eq "x"]',
    ],
)
def test_bad_patch_paths_are_invalid_path(text):
    with pytest.raises(ScimError) as info:
        parse_path(text, USER_TYPE)
    assert info.value.scim_type == "invalidPath"
