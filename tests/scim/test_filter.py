"""SCIM filters (RFC 7644 3.4.2.2) as a table: filter text -> the ids it matches.

The fixture users are shaped like what the server hands a filter: stored data plus ``id``,
``meta`` and ``groups``. Read the tables top to bottom as the filter documentation.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockscim.scim.errors import ScimError
from mockscim.scim.filter import Filter, compile_filter, compile_value_filter, parse_path
from mockscim.scim.schemas import ENTERPRISE_USER, GROUP_TYPE, USER_TYPE, resolve_path

ACME = "urn:acme:params:scim:schemas:extension:badges:1.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def user(uid: str, user_name: str, modified: str, **attrs: Any) -> dict[str, Any]:
    return {
        "schemas": [CORE],
        "id": uid,
        "userName": user_name,
        "meta": {
            "resourceType": "User",
            "created": "2024-01-01T00:00:00Z",
            "lastModified": modified,
            "location": f"https://scim.example/Users/{uid}",
            "version": f'W/"{uid}"',
        },
        **attrs,
    }


USERS: list[dict[str, Any]] = [
    user(
        "ada",
        "Ada@Example.com",
        "2024-03-01T10:00:00Z",
        externalId="EXT-Ada",
        active=True,
        title="Countess",
        name={"givenName": "Ada", "familyName": "Lovelace"},
        emails=[
            {"value": "ada@example.com", "type": "work", "primary": True},
            {"value": "ada@home.org", "type": "home"},
        ],
        groups=[{"value": "g-math", "display": "Math"}],
        **{ENTERPRISE_USER: {"department": "Math", "manager": {"value": "babbage"}}},
    ),
    user(
        "babbage",
        "charles@example.com",
        "2024-02-01T10:00:00+02:00",  # 08:00Z: instants compare across offsets
        externalId="ext-babbage",
        active=True,
        title="Engineer",
        name={"givenName": "Charles", "familyName": "Babbage"},
        emails=[{"value": "charles@corp.example", "type": "work"}],
        **{ENTERPRISE_USER: {"department": "Engineering", "employeeNumber": "0042"}},
    ),
    user(
        "grace",
        "grace@navy.mil",
        "2024-05-20T00:00:00Z",
        active=False,
        title="",  # an empty string is not "present"
        name={"givenName": "Grace", "familyName": "Hopper"},
        emails=[{"value": "grace@navy.mil", "type": "work", "primary": True}],
        groups=[{"value": "g-navy", "display": "Navy"}],
    ),
    user(
        "alan",
        "alan@example.com",
        "2024-04-01T00:00:00Z",
        externalId="ext-alan",
        name={"givenName": "Alan", "familyName": "Turing"},
        emails=[],
        **{ACME: {"badge": "Gold", "level": 3}},
    ),
    user(
        "linus",
        "linus@kernel.org",
        "2024-01-15T00:00:00Z",
        active=True,
        displayName='Linus "Penguin" T',
        emails=[{"value": "LINUS@kernel.org", "type": "home"}],
    ),
    user("nobody", "nobody", "2023-12-31T23:59:59Z", title=None),
]
ALL = {u["id"] for u in USERS}


def matching(text: str) -> set[str]:
    flt = compile_filter(text, USER_TYPE)
    return {u["id"] for u in USERS if flt.matches(u)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # --- eq, and the case rules -------------------------------------------------------
        ('userName eq "ada@example.com"', {"ada"}),  # userName: caseExact=false
        ('USERNAME EQ "ADA@EXAMPLE.COM"', {"ada"}),  # attribute names and ops too
        ('externalId eq "ext-ada"', set()),  # externalId: caseExact=true
        ('externalId eq "EXT-Ada"', {"ada"}),
        ('id eq "ADA"', set()),  # id: caseExact=true
        ('id eq "ada"', {"ada"}),
        ('emails.value eq "linus@KERNEL.org"', {"linus"}),  # emails.value: caseExact=false
        ('displayName eq "Linus \\"Penguin\\" T"', {"linus"}),  # JSON string escapes
        ('displayName eq "Linus \\u0022Penguin\\u0022 T"', {"linus"}),
        ("active eq true", {"ada", "babbage", "linus"}),
        ("active eq false", {"grace"}),
        ('active eq "true"', set()),  # a string never equals a boolean
        (f"{ACME}:level eq 3", {"alan"}),
        (f"{ACME}:level eq 3.0", {"alan"}),
        # --- ne: true when the attribute is missing, false only when equal ------------------
        ("active ne true", {"grace", "alan", "nobody"}),
        ('title ne "countess"', ALL - {"ada"}),
        ('emails.type ne "home"', {"babbage", "grace", "alan", "nobody"}),  # ne = no element eq
        # --- null -------------------------------------------------------------------------
        ("title eq null", {"alan", "linus", "nobody"}),  # missing and null are the same
        ("title ne null", {"ada", "babbage", "grace"}),
        # --- substring ops ------------------------------------------------------------------
        ('userName co "EXAMPLE"', {"ada", "babbage", "alan"}),
        ('userName sw "a"', {"ada", "alan"}),
        ('userName ew ".org"', {"linus"}),
        ('name.familyName sw "l"', {"ada"}),
        ('externalId sw "ext"', {"babbage", "alan"}),  # caseExact: "EXT-Ada" does not start so
        ('title co ""', {"ada", "babbage", "grace"}),  # every string contains ""
        # --- ordering ---------------------------------------------------------------------
        ('name.familyName gt "lovelace"', {"alan"}),  # case-folded: "turing" > "lovelace"
        ('name.familyName ge "lovelace"', {"ada", "alan"}),
        ('name.givenName lt "b"', {"ada", "alan"}),
        ('name.givenName le "alan"', {"alan", "ada"}),
        (f"{ACME}:level gt 2", {"alan"}),
        (f"{ACME}:level lt 3", set()),
        (f'{ENTERPRISE_USER}:employeeNumber gt "0041"', {"babbage"}),
        # --- dateTime compares instants, not text -----------------------------------------
        ('meta.lastModified gt "2024-03-01T00:00:00Z"', {"ada", "grace", "alan"}),
        ('meta.lastModified ge "2024-03-01T10:00:00Z"', {"ada", "grace", "alan"}),
        ('meta.lastModified eq "2024-03-01T12:00:00+02:00"', {"ada"}),  # same instant
        ('meta.lastModified lt "2024-02-01T08:00:01Z"', {"babbage", "linus", "nobody"}),
        ('meta.lastModified le "2024-02-01T08:00:00Z"', {"babbage", "linus", "nobody"}),
        ('meta.created lt "2024-01-01T00:00:00Z"', set()),
        ('meta.resourceType eq "User"', ALL),
        ('meta.location ew "/users/ada"', set()),  # location is caseExact
        # --- pr: present, non-null, non-empty ---------------------------------------------
        ("title pr", {"ada", "babbage"}),
        ("emails pr", ALL - {"alan", "nobody"}),  # [] is not present
        ("externalId pr", {"ada", "babbage", "alan"}),
        ("name pr", ALL - {"linus", "nobody"}),
        ("groups pr", {"ada", "grace"}),
        (f"{ENTERPRISE_USER}:manager pr", {"ada"}),
        (f"{ENTERPRISE_USER}:manager.value pr", {"ada"}),
        (f"{ACME}:badge pr", {"alan"}),
        # --- multi-valued: any element may match -------------------------------------------
        ('emails co "@home"', {"ada"}),  # complex multi-valued without sub compares "value"
        ('emails.value ew "example.com"', {"ada"}),
        ('emails.type eq "work"', {"ada", "babbage", "grace"}),
        ("emails.primary eq true", {"ada", "grace"}),
        ('groups.display eq "navy"', {"grace"}),
        # --- value paths: one element must satisfy the whole bracket ------------------------
        ('emails[type eq "work"]', {"ada", "babbage", "grace"}),
        ('emails[type eq "work" and value co "@example"]', {"ada"}),
        ('emails[type eq "home" and value co "@example"]', set()),  # not one element
        ('emails[type eq "home" or primary eq true]', {"ada", "grace", "linus"}),
        ('emails[not (type eq "work")]', {"ada", "linus"}),
        ("emails[primary pr]", {"ada", "grace"}),
        ('emails[TYPE EQ "WORK"]', {"ada", "babbage", "grace"}),
        ('groups[value eq "g-navy"]', {"grace"}),
        (f'{ENTERPRISE_USER}:manager[value eq "babbage"]', {"ada"}),  # single complex too
        # Entra's lookup: the element filtered, then one of its sub-attributes compared.
        ('emails[type eq "work"].value eq "GRACE@navy.mil"', {"grace"}),
        ('emails[type eq "home"].value eq "grace@navy.mil"', set()),
        ('emails[type eq "work"].value pr', {"ada", "babbage", "grace"}),
        # --- URN-qualified paths -----------------------------------------------------------
        (f'{CORE}:userName eq "alan@example.com"', {"alan"}),
        (f'{CORE}:name.givenName eq "grace"', {"grace"}),
        (f'{ENTERPRISE_USER}:department eq "math"', {"ada"}),
        (f'{ENTERPRISE_USER}:manager.value eq "babbage"', {"ada"}),
        (f'{ENTERPRISE_USER.upper()}:DEPARTMENT eq "engineering"', {"babbage"}),
        (f'{ACME}:badge eq "gold"', {"alan"}),  # unknown extension: kept, case-folded
        (f'{ACME}:nosuch eq "x"', set()),
        # --- and / or / not, precedence (not > and > or) and parentheses -------------------
        ('userName co "example" and active eq true', {"ada", "babbage"}),
        ('title eq "countess" or title eq "engineer"', {"ada", "babbage"}),
        # and binds tighter: a or (b and c)
        ('userName sw "ada" or userName sw "alan" and active eq true', {"ada"}),
        ('(userName sw "ada" or userName sw "alan") and active eq true', {"ada"}),
        ('(userName sw "ada" or userName sw "alan") and not (active eq true)', {"alan"}),
        ('active eq true and title pr or userName eq "nobody"', {"ada", "babbage", "nobody"}),
        ('active eq true and (title pr or userName eq "nobody")', {"ada", "babbage"}),
        ("not (active eq true)", {"grace", "alan", "nobody"}),
        ("not (not (active eq true))", {"ada", "babbage", "linus"}),
        ("NOT (title pr) AND (emails pr)", {"grace", "linus"}),
        ('((((userName eq "nobody"))))', {"nobody"}),
        ('emails[type eq "work"] and not (emails[value co "corp"])', {"ada", "grace"}),
    ],
)
def test_filter_matches(text: str, expected: set[str]) -> None:
    assert matching(text) == expected


GROUPS: list[dict[str, Any]] = [
    {
        "id": "g-eng",
        "displayName": "Engineering",
        "externalId": "okta-eng",
        "members": [{"value": "ada", "display": "Ada"}, {"value": "babbage", "type": "User"}],
    },
    {"id": "g-empty", "displayName": "Empty", "members": []},
    {"id": "g-navy", "displayName": "Navy", "members": [{"value": "grace"}]},
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('displayName eq "engineering"', {"g-eng"}),  # Entra's lookup before create
        ('id eq "g-eng" and members[value eq "babbage"]', {"g-eng"}),  # Entra membership check
        ('id eq "g-eng" and members[value eq "grace"]', set()),
        ('members[value eq "grace"]', {"g-navy"}),
        ('members eq "ada"', {"g-eng"}),
        ('members.display eq "ADA"', {"g-eng"}),
        ("members pr", {"g-eng", "g-navy"}),
        ('externalId eq "okta-eng"', {"g-eng"}),
    ],
)
def test_group_filters(text: str, expected: set[str]) -> None:
    flt = compile_filter(text, GROUP_TYPE)
    assert {g["id"] for g in GROUPS if flt.matches(g)} == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "userName",  # no operator
        "userName eq",  # no value
        'userName eq "unterminated',
        'userName eq "bad \\x escape"',
        "userName eq bare",  # unquoted string
        'userName like "x"',  # unknown operator
        'userName eq "a" "b"',
        'shoeSize eq "9"',  # unknown core attribute
        'name.nickName eq "x"',  # unknown sub-attribute
        f'{ENTERPRISE_USER}:shoeSize eq "9"',  # unknown attribute of a known extension
        f'{ENTERPRISE_USER} eq "x"',  # a schema URN is not an attribute
        'userName eq "a" and',
        'and userName eq "a"',
        'userName eq "a" or or userName eq "b"',
        '(userName eq "a"',
        'userName eq "a")',
        "()",
        'emails[type eq "work"',
        'emails[type eq "work"]]',
        'emails[nosuch eq "x"]',
        'emails[type eq "work" and members[value eq "x"]]',  # value filters do not nest
        'userName[value eq "x"]',  # a value filter on a simple attribute
        'name.givenName[value eq "x"]',
        'emails[type eq "work"].nosuch eq "x"',
        'emails[type eq "work"].value',  # a sub-attribute needs its comparison
        "active gt true",  # ordering on booleans
        "active le false",
        'name gt "x"',  # ordering on complex attributes
        'emails ge "a"',
        'name eq "x"',  # a complex attribute without a "value" needs a sub-attribute
        "userName co 5",  # substring ops need strings
        "title sw null",
        "title gt null",
        'not userName eq "a"',  # not needs parentheses
        'userName eq "a" @ userName eq "b"',
        'userName eq "a" & active eq true',
        "userName eq 1.2.3",
        'meta.lastModified gt "yesterday"',  # ordering a dateTime needs an instant
        "meta.lastModified gt 5",
        "(" * 51 + 'userName eq "a"' + ")" * 51,  # nested deeper than 50
        "not (" * 51 + 'userName eq "a"' + ")" * 51,
    ],
)
def test_invalid_filters_are_400_invalid_filter(text: str) -> None:
    with pytest.raises(ScimError) as info:
        compile_filter(text, USER_TYPE)
    assert info.value.status == 400
    assert info.value.scim_type == "invalidFilter"
    assert info.value.to_json()["status"] == "400"


@pytest.mark.parametrize(
    "text",
    [
        'userName eq "' + "x" * 4100 + '"',  # longer than 4096 characters
        " or ".join(f'id eq "{i}"' for i in range(201)),  # 201 terms, under 4 KiB
        " and ".join("title pr" for _ in range(201)),
    ],
)
def test_filters_beyond_the_cost_bound_are_400_too_many(text: str) -> None:
    """Filters run under the store lock: a bounded size keeps one request from stalling the
    others (RFC 7644 3.12 ``tooMany``)."""
    assert len(text) <= 4096 or "x" * 4100 in text
    with pytest.raises(ScimError) as info:
        compile_filter(text, USER_TYPE)
    assert (info.value.status, info.value.scim_type) == (400, "tooMany")


def test_two_hundred_terms_are_still_accepted() -> None:
    text = " or ".join(f'id eq "{i}"' for i in range(199)) + ' or userName eq "nobody"'
    assert {u["id"] for u in USERS if compile_filter(text, USER_TYPE).matches(u)} == {"nobody"}


def test_nesting_up_to_fifty_is_fine() -> None:
    text = "(" * 50 + 'userName eq "nobody"' + ")" * 50
    assert {u["id"] for u in USERS if compile_filter(text, USER_TYPE).matches(u)} == {"nobody"}


def test_equality_terms_are_the_top_level_eq_conjuncts() -> None:
    def terms(text: str) -> list[tuple[str, object]]:
        return [(p.name, v) for p, v in compile_filter(text, USER_TYPE).equality_terms()]

    assert terms('userName eq "a@b.com" and active eq true') == [
        ("userName", "a@b.com"),
        ("active", True),
    ]
    assert terms('(externalId eq "x" and title pr) and id eq "y"') == [
        ("externalId", "x"),
        ("id", "y"),
    ]
    assert terms('emails[type eq "work"] and userName eq "a"') == [("userName", "a")]
    assert terms('userName eq "a" or userName eq "b"') == []
    assert terms('not (userName eq "a")') == []
    assert terms('userName ne "a"') == []
    assert terms('emails[type eq "work"].value eq "a"') == []
    path, value = compile_filter(
        f'{ENTERPRISE_USER}:department eq "x"', USER_TYPE
    ).equality_terms()[0]
    assert (path.schema, path.name, path.is_extension, value) == (
        ENTERPRISE_USER,
        "department",
        True,
        "x",
    )


def test_names_tell_a_scan_which_computed_attributes_to_build() -> None:
    assert compile_filter('meta.lastModified gt "2024-01-01T00:00:00Z"', USER_TYPE).names == {
        "meta"
    }
    assert compile_filter('groups[value eq "g"] and userName pr', USER_TYPE).names == {
        "groups",
        "userName",
    }
    assert compile_filter(f"{ENTERPRISE_USER}:department pr", USER_TYPE).names == {ENTERPRISE_USER}


def test_a_compiled_filter_is_reusable_and_reads_only_its_input() -> None:
    flt = compile_filter('userName eq "ADA@example.com"', USER_TYPE)
    assert isinstance(flt, Filter)
    before = copy.deepcopy(USERS)
    expected = [u["userName"].lower() == "ada@example.com" for u in USERS]
    assert any(expected) and not all(expected)
    for _ in range(2):  # the same compiled filter, twice, gives the same answers
        assert [flt.matches(u) for u in USERS] == expected
    assert before == USERS  # matching never writes to the resource it reads
    assert flt.matches({"userName": "ada@EXAMPLE.com"})
    assert not flt.matches({})
    assert not compile_filter('meta.lastModified gt "2020-01-01T00:00:00Z"', USER_TYPE).matches(
        {"meta": {"lastModified": "not a date"}}
    )


def test_value_filter_matches_one_element() -> None:
    parent = resolve_path(USER_TYPE, "emails")
    flt = compile_value_filter('type eq "work" and primary eq true', USER_TYPE, parent)
    assert flt.matches({"value": "a@x", "type": "Work", "primary": True})
    assert not flt.matches({"value": "a@x", "type": "work"})
    assert [(p.name, v) for p, v in flt.equality_terms()] == [("type", "work"), ("primary", True)]
    assert flt.only_equality
    assert not compile_value_filter('type eq "work" or value pr', USER_TYPE, parent).only_equality
    with pytest.raises(ScimError) as info:
        compile_value_filter('userName eq "x"', USER_TYPE, parent)
    assert info.value.scim_type == "invalidFilter"


@pytest.mark.parametrize(
    ("text", "schema", "attr", "attr_sub", "has_filter", "sub"),
    [
        ("active", CORE, "active", None, False, None),
        ("NAME.givenname", CORE, "name", "givenName", False, None),
        (f"{CORE}:userName", CORE, "userName", None, False, None),
        (f"{ENTERPRISE_USER}:department", ENTERPRISE_USER, "department", None, False, None),
        (f"{ENTERPRISE_USER}:manager.value", ENTERPRISE_USER, "manager", "value", False, None),
        (f"{ENTERPRISE_USER}:manager", ENTERPRISE_USER, "manager", None, False, None),
        ('emails[type eq "work"]', CORE, "emails", None, True, None),
        ('emails[type eq "work"].value', CORE, "emails", None, True, "value"),
        ('emails[type eq "a]b"].VALUE', CORE, "emails", None, True, "value"),  # ] in a string
        ('addresses[type eq "work"].streetAddress', CORE, "addresses", None, True, "streetAddress"),
        (f"{ACME}:badge", ACME, "badge", None, False, None),  # unknown URN: kept verbatim
    ],
)
def test_patch_paths(
    text: str,
    schema: str,
    attr: str,
    attr_sub: str | None,
    has_filter: bool,
    sub: str | None,
) -> None:
    path = parse_path(text, USER_TYPE)
    assert (path.attr.schema, path.attr.name, path.attr.sub_name) == (schema, attr, attr_sub)
    assert (path.value_filter is not None) == has_filter
    assert path.sub_name == sub


def test_patch_path_filter_matches_elements() -> None:
    path = parse_path('members[value eq "ada"]', GROUP_TYPE)
    assert path.value_filter is not None
    assert path.value_filter.matches({"value": "ada"})
    assert path.value_filter.matches({"value": "ADA"})  # members.value is not caseExact
    assert not path.value_filter.matches({"value": "babbage"})


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nosuch",
        "name.nosuch",
        f"{ENTERPRISE_USER}:nosuch",
        'emails[type eq "work"',
        'emails[type eq "work"]x',
        'emails[type eq "work"].',
        'emails[type eq "work"].nosuch',
        'emails[nosuch eq "work"]',
        "emails[type eq]",
        'active[value eq "x"]',  # simple attributes take no filter
        'name[givenName eq "x"]',  # nor do single-valued complex ones in a PATCH path
        'emails.value[type eq "x"]',
    ],
)
def test_bad_patch_paths_are_invalid_path(text: str) -> None:
    with pytest.raises(ScimError) as info:
        parse_path(text, USER_TYPE)
    assert info.value.status == 400
    assert info.value.scim_type == "invalidPath"
