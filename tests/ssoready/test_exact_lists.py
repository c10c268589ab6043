"""SCIM lists in the ``exact`` profile (ssoready/ssoready c33d0e0
``internal/authservice/scim.go`` ``scimListUsers``/``scimListGroups`` and its
``scimListResponse`` struct)."""

from __future__ import annotations

import pytest

from mockscim.testing.server import MockServer

from .conftest import GROUP_SCHEMA, USER_SCHEMA, Tenant

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def test_ten_per_page_whatever_count_says(profile: str, ptenant: Tenant) -> None:
    """scim.go ``scimListUsers`` never reads ``count``: the store lists 10 rows. The list
    struct's fields are, in order, totalResults, itemsPerPage, startIndex, schemas (the core
    User URN) and ``resources``; startIndex echoes the 0-based offset. ``rfc``: RFC 7644."""
    for i in range(12):
        ptenant.create_user(f"u{i:02}@acme.test")
    r = ptenant.scim("GET", "/Users", params={"count": "3", "startIndex": "2"})
    body = r.json()
    if profile == "exact":
        assert list(body) == ["totalResults", "itemsPerPage", "startIndex", "schemas", "resources"]
        assert body["schemas"] == [USER_SCHEMA]
        assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (12, 10, 1)
        assert all("schemas" not in u for u in body["resources"])
        ids = [u["id"] for u in body["resources"]]
        assert ids == sorted(ids)  # order by id
        rest = ptenant.scim("GET", "/Users", params={"startIndex": "11"}).json()
        assert (rest["itemsPerPage"], rest["startIndex"]) == (2, 10)
        assert ptenant.scim("GET", "/Users").json()["startIndex"] == 0
    else:
        assert body["schemas"] == [LIST_RESPONSE]
        assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (12, 3, 2)
        assert len(body["Resources"]) == 3


def test_filtered_user_list_always_says_start_1_items_1(xtenant: Tenant) -> None:
    """scim.go ``scimListUsers``: a filter answers ``totalResults`` 0 or 1 with
    ``itemsPerPage: 1, startIndex: 1`` even when empty; the one item is not normalised."""
    xtenant.create_user("ada@acme.test", active="True")
    found = xtenant.scim("GET", "/Users", params={"filter": 'userName eq "ada@acme.test"'})
    assert found.text.startswith('{"totalResults":1,"itemsPerPage":1,"startIndex":1,')
    item = found.json()["resources"][0]
    assert item["active"] == "True" and item["userName"] == "ada@acme.test"
    none = xtenant.scim("GET", "/Users", params={"filter": 'email.value eq "x@acme.test"'})
    assert none.text == (
        '{"totalResults":0,"itemsPerPage":1,"startIndex":1,'
        f'"schemas":["{USER_SCHEMA}"],"resources":[]}}\n'
    )


def test_filter_value_is_url_unescaped_again_and_case_sensitive(xtenant: Tenant) -> None:
    """scim.go ``scimListUsers``: ``url.QueryUnescape(match[2])`` (a ``+`` becomes a space)
    and ``AuthGetSCIMUserByEmail`` is an exact match."""
    xtenant.create_user("a+b@acme.test")
    plus = xtenant.scim("GET", "/Users", params={"filter": 'userName eq "a+b@acme.test"'})
    assert plus.json()["totalResults"] == 0
    encoded = xtenant.scim("GET", "/Users", params={"filter": 'userName eq "a%2Bb@acme.test"'})
    assert encoded.json()["totalResults"] == 1
    upper = xtenant.scim("GET", "/Users", params={"filter": 'userName eq "A%2Bb@acme.test"'})
    assert upper.json()["totalResults"] == 0


@pytest.mark.parametrize(
    ("path", "flt"),
    [
        ("/Users", 'externalId eq "x"'),
        ("/Users", 'username eq "ada@acme.test"'),
        ("/Users", ""),
        ("/Groups", 'externalId eq "x"'),
    ],
)
def test_other_filters_crash(profile: str, ptenant: Tenant, path: str, flt: str) -> None:
    """scim.go ``scimListUsers``/``scimListGroups``: ``panic("unsupported filter param")``
    when the regex does not match (any filter key, even empty). ``rfc``: RFC 7644 filters."""
    if profile == "exact":
        ptenant.crashes("GET", path, params={"filter": flt})
    else:
        assert ptenant.scim("GET", path, params={"filter": flt}).status_code == 200


def test_start_index_zero_crashes_and_garbage_is_400(xtenant: Tenant) -> None:
    """scim.go ``scimListUsers``: ``strconv.Atoi`` failure is a plain-text 400; ``startIndex``
    0 becomes OFFSET -1, whose store error the handler panics on."""
    r = xtenant.scim("GET", "/Users", params={"startIndex": "abc"})
    assert r.status_code == 400
    assert r.text == 'parse startIndex: strconv.Atoi: parsing "abc": invalid syntax\n'
    xtenant.crashes("GET", "/Users", params={"startIndex": "0"})
    xtenant.crashes("GET", "/Groups", params={"startIndex": "-3"})


def test_group_list_filter_can_return_several_and_echoes_the_offset(xtenant: Tenant) -> None:
    """scim.go ``scimListGroups``: ``displayName eq "(.*)"`` compared exactly with the
    column; names are not unique, so several groups can match; items carry ``id`` and the
    column's ``displayName`` but no ``schemas``."""
    xtenant.create_group("Eng")
    xtenant.create_group("Eng")
    xtenant.create_group("eng")
    body = xtenant.scim(
        "GET", "/Groups", params={"filter": 'displayName eq "Eng"', "startIndex": "1"}
    ).json()
    assert body["schemas"] == [GROUP_SCHEMA]
    assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (2, 2, 0)
    assert all(g["displayName"] == "Eng" and "schemas" not in g for g in body["resources"])


def test_deleted_users_and_groups_are_not_listed(exact: MockServer, xtenant: Tenant) -> None:
    """queries.sql ``AuthListSCIMUsers``/``AuthListSCIMGroups``/``AuthCountSCIMUsers``:
    ``deleted = false``."""
    user = xtenant.create_user("ada@acme.test")
    xtenant.create_user("bob@acme.test")
    group = xtenant.create_group("Eng")
    assert xtenant.scim("DELETE", f"/Users/{user['id']}").status_code == 204
    assert xtenant.scim("DELETE", f"/Groups/{group['id']}").status_code == 204
    assert xtenant.scim("GET", "/Users").json()["totalResults"] == 1
    assert xtenant.scim("GET", "/Groups").json()["totalResults"] == 0
