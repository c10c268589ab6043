"""ListResponse paging and discovery documents."""

from __future__ import annotations

import pytest

from mockscim.scim.schemas import ENTERPRISE_USER, GROUP, LIST_RESPONSE, USER


@pytest.fixture
def five_users(scim):
    return [scim.create_user(f"user{i}@example.com")["id"] for i in range(5)]


@pytest.mark.parametrize(
    ("params", "total", "start", "ids"),
    [
        ({}, 5, 1, [0, 1, 2, 3, 4]),
        ({"startIndex": 2, "count": 2}, 5, 2, [1, 2]),
        ({"startIndex": 5, "count": 10}, 5, 5, [4]),
        ({"startIndex": 6}, 5, 6, []),
        ({"startIndex": 0, "count": 1}, 5, 1, [0]),  # below 1 is treated as 1 (RFC 7644 3.4.2.4)
        ({"startIndex": -3, "count": 1}, 5, 1, [0]),
        ({"count": 0}, 5, 1, []),  # totals only
        ({"count": -1}, 5, 1, []),  # negative is treated as 0
    ],
)
def test_paging_edges(scim, five_users, params, total, start, ids):
    body = scim.get("/Users", query_string=params).get_json()
    assert body["schemas"] == [LIST_RESPONSE]
    assert body["totalResults"] == total
    assert body["startIndex"] == start
    assert body["itemsPerPage"] == len(ids)
    assert [r["id"] for r in body["Resources"]] == [five_users[i] for i in ids]


def test_count_is_capped_at_max_results(scim, mock, five_users):
    mock.settings.scim_max_results = 3
    body = scim.get("/Users", query_string={"count": 1000}).get_json()
    assert body["itemsPerPage"] == 3 and body["totalResults"] == 5


@pytest.mark.parametrize("param", ["startIndex", "count"])
def test_non_integer_paging_is_400(scim, param):
    response = scim.get("/Users", query_string={param: "abc"})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"


def test_filtered_paging_counts_only_matches(scim):
    for i in range(6):
        scim.create_user(f"{'even' if i % 2 == 0 else 'odd'}{i}@example.com")
    body = scim.get(
        "/Users", query_string={"filter": 'userName sw "even"', "startIndex": 2, "count": 1}
    ).get_json()
    assert body["totalResults"] == 3
    assert [r["userName"] for r in body["Resources"]] == ["even2@example.com"]


def test_indexed_filters_and_scans_agree(scim):
    ids = [scim.create_user(f"x{i}@example.com", externalId=f"ext-{i}")["id"] for i in range(4)]
    indexed = scim.get("/Users", query_string={"filter": 'externalId eq "ext-2"'}).get_json()
    assert [r["id"] for r in indexed["Resources"]] == [ids[2]]
    # Same question through a non-indexed shape.
    scanned = scim.get("/Users", query_string={"filter": 'externalId co "xt-2"'}).get_json()
    assert [r["id"] for r in scanned["Resources"]] == [ids[2]]
    combined = scim.get(
        "/Users", query_string={"filter": 'userName eq "X1@EXAMPLE.COM" and externalId eq "ext-1"'}
    ).get_json()
    assert [r["id"] for r in combined["Resources"]] == [ids[1]]
    mismatch = scim.get(
        "/Users", query_string={"filter": 'userName eq "x1@example.com" and externalId eq "ext-2"'}
    ).get_json()
    assert mismatch["totalResults"] == 0


def test_entra_membership_check(scim):
    u = scim.create_user("member@example.com")
    other = scim.create_user("other@example.com")
    g = scim.create_group("Team", [u["id"]])
    query = {
        "filter": f'id eq "{g["id"]}" and members[value eq "{u["id"]}"]',
        "excludedAttributes": "members",
    }
    hit = scim.get("/Groups", query_string=query).get_json()
    assert hit["totalResults"] == 1 and "members" not in hit["Resources"][0]
    query["filter"] = f'id eq "{g["id"]}" and members[value eq "{other["id"]}"]'
    assert scim.get("/Groups", query_string=query).get_json()["totalResults"] == 0


def test_service_provider_config(scim):
    body = scim.get("/ServiceProviderConfig").get_json()
    assert body["patch"]["supported"] is True
    assert body["bulk"]["supported"] is False
    assert body["filter"] == {"supported": True, "maxResults": 1000}
    assert body["sort"]["supported"] is False
    assert body["changePassword"]["supported"] is False
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types(scim):
    body = scim.get("/ResourceTypes").get_json()
    by_id = {r["id"]: r for r in body["Resources"]}
    assert by_id["User"]["endpoint"] == "/Users"
    assert by_id["User"]["schemaExtensions"] == [{"schema": ENTERPRISE_USER, "required": False}]
    assert by_id["Group"]["schema"] == GROUP
    assert scim.get("/ResourceTypes/User").get_json()["schema"] == USER
    assert scim.get("/ResourceTypes/Nope").status_code == 404


def test_schemas(scim):
    body = scim.get("/Schemas").get_json()
    ids = {s["id"] for s in body["Resources"]}
    assert ids == {USER, GROUP, ENTERPRISE_USER}
    user = scim.get(f"/Schemas/{USER}").get_json()
    user_name = next(a for a in user["attributes"] if a["name"] == "userName")
    assert user_name["uniqueness"] == "server" and user_name["caseExact"] is False
    assert scim.get("/Schemas/urn:nope").status_code == 404


def test_filters_on_server_computed_attributes(scim):
    alice = scim.create_user("alice@example.com")
    bob = scim.create_user("bob@example.com")
    group = scim.create_group("Admins", [alice["id"]])
    by_group = scim.get("/Users", query_string={"filter": f'groups[value eq "{group["id"]}"]'})
    assert [u["id"] for u in by_group.get_json()["Resources"]] == [alice["id"]]
    location = bob["meta"]["location"]
    by_location = scim.get("/Users", query_string={"filter": f'meta.location eq "{location}"'})
    assert [u["id"] for u in by_location.get_json()["Resources"]] == [bob["id"]]
    by_created = scim.get("/Users", query_string={"filter": 'meta.created pr and userName sw "b"'})
    assert [u["id"] for u in by_created.get_json()["Resources"]] == [bob["id"]]
