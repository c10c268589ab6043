"""Provisioning through the SSOReady SCIM server, read back through the SDK's app API
(``client.scim.*``): SSOReady's own rules (upsert on userName, soft delete, ``active: false``
stored as ``deleted``, attributes kept verbatim, Entra's strings normalised)."""

from __future__ import annotations

from typing import Any

import pytest
from ssoready.core.api_error import ApiError

from .conftest import ENTERPRISE, PATCH_OP, USER_SCHEMA, Tenant, make_tenant, user_body


def app_users(client: Any, tenant: Tenant, **kwargs: Any) -> dict[str, Any]:
    found: list[Any] = []
    token = None
    while True:
        page = client.scim.list_scim_users(
            scim_directory_id=tenant.directory.id, page_token=token, **kwargs
        )
        found += page.scim_users or []
        token = page.next_page_token
        if not token:
            return {u.email: u for u in found}


def test_created_user_is_visible_with_attributes_kept_verbatim(client: Any, tenant: Tenant) -> None:
    body = user_body(
        "ada@acme.test",
        externalId="ext-ada",
        title="CTO",
        active="True",  # Entra's habit
        **{
            ENTERPRISE: {"department": "R&D", "manager": "boss-id"},
            "urn:example:custom:2.0:User": {"shoeSize": 42},
        },
    )
    body["schemas"] = [USER_SCHEMA, ENTERPRISE, "urn:example:custom:2.0:User"]
    r = tenant.scim("POST", "/Users", body)
    assert r.status_code == 201, r.text
    assert r.headers["Location"].endswith(f"/Users/{r.json()['id']}")
    user = client.scim.get_scim_user(id=r.json()["id"]).scim_user
    assert user.email == "ada@acme.test" and user.deleted is False
    attrs = user.attributes
    assert "schemas" not in attrs and "id" not in attrs
    assert attrs["userName"] == "ada@acme.test"  # scim.go deletes only "schemas"
    assert attrs["active"] is True
    assert attrs["externalId"] == "ext-ada" and attrs["title"] == "CTO"
    assert attrs[ENTERPRISE] == {"department": "R&D", "manager": {"value": "boss-id"}}
    assert attrs["urn:example:custom:2.0:User"] == {"shoeSize": 42}
    assert attrs["emails"] == [{"value": "ada@acme.test", "primary": True, "type": "work"}]


def test_post_of_existing_username_is_an_upsert_that_revives(client: Any, tenant: Tenant) -> None:
    first = tenant.create_user("ada@acme.test", title="Engineer")
    again = tenant.scim("POST", "/Users", user_body("ADA@acme.test", title="CTO"))
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"]
    assert tenant.scim("DELETE", f"/Users/{first['id']}").status_code == 204
    assert client.scim.get_scim_user(id=first["id"]).scim_user.deleted is True
    revived = tenant.scim("POST", "/Users", user_body("ada@acme.test", title="CEO"))
    assert revived.status_code == 200 and revived.json()["id"] == first["id"]
    user = client.scim.get_scim_user(id=first["id"]).scim_user
    assert user.deleted is False and user.attributes["title"] == "CEO"
    assert len(app_users(client, tenant)) == 1


def test_delete_marks_deleted_and_keeps_listing(client: Any, tenant: Tenant) -> None:
    ada = tenant.create_user("ada@acme.test")
    bob = tenant.create_user("bob@acme.test")
    assert tenant.scim("DELETE", f"/Users/{ada['id']}").status_code == 204
    # Gone from the SCIM view ...
    assert tenant.scim("GET", f"/Users/{ada['id']}").status_code == 404
    listed = tenant.scim("GET", "/Users").json()
    assert [u["userName"] for u in listed["Resources"]] == ["bob@acme.test"]
    # ... but the app API still lists it, flagged.
    people = app_users(client, tenant)
    assert people["ada@acme.test"].deleted is True
    assert people["bob@acme.test"].deleted is False
    assert client.scim.get_scim_user(id=bob["id"]).scim_user.deleted is False


@pytest.mark.parametrize("how", ["patch-okta", "patch-entra", "put"])
def test_active_false_is_stored_as_deleted(client: Any, tenant: Tenant, how: str) -> None:
    ada = tenant.create_user("ada@acme.test")
    path = f"/Users/{ada['id']}"
    if how == "patch-okta":
        body: dict[str, Any] = {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        }
        r = tenant.scim("PATCH", path, body)
    elif how == "patch-entra":
        body = {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        }
        r = tenant.scim("PATCH", path, body)
    else:
        r = tenant.scim("PUT", path, user_body("ada@acme.test", active=False))
    assert r.status_code == 200, r.text
    user = client.scim.get_scim_user(id=ada["id"]).scim_user
    assert user.deleted is True
    assert user.attributes["active"] is False
    # Reactivation clears it again.
    back = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": True}}]}
    assert tenant.scim("PATCH", path, back).status_code == 200
    assert client.scim.get_scim_user(id=ada["id"]).scim_user.deleted is False


def test_post_with_active_false_is_not_deleted(client: Any, tenant: Tenant) -> None:
    """AuthCreateSCIMUser always stores ``Deleted: false``."""
    ada = tenant.create_user("ada@acme.test", active=False)
    assert client.scim.get_scim_user(id=ada["id"]).scim_user.deleted is False


def test_groups_membership_and_deletion(client: Any, tenant: Tenant) -> None:
    ada = tenant.create_user("ada@acme.test")
    bob = tenant.create_user("bob@acme.test")
    eng = tenant.create_group("Engineering", [ada["id"]])
    ops = tenant.create_group("Ops")
    add = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "Add", "path": "members", "value": [{"value": bob["id"]}]}],
    }
    assert tenant.scim("PATCH", f"/Groups/{eng['id']}", add).status_code == 200
    members = app_users(client, tenant, scim_group_id=eng["id"])
    assert set(members) == {"ada@acme.test", "bob@acme.test"}
    remove = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "Remove", "path": "members", "value": [{"value": ada["id"]}]}],
    }
    assert tenant.scim("PATCH", f"/Groups/{eng['id']}", remove).status_code == 200
    rename = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "value": {"displayName": "Platform"}}],
    }
    assert tenant.scim("PATCH", f"/Groups/{eng['id']}", rename).status_code == 200
    group = client.scim.get_scim_group(id=eng["id"]).scim_group
    assert group.display_name == "Platform"
    assert group.attributes["displayName"] == "Platform"
    assert [m["value"] for m in group.attributes["members"]] == [bob["id"]]
    assert set(app_users(client, tenant, scim_group_id=eng["id"])) == {"bob@acme.test"}

    assert tenant.scim("DELETE", f"/Groups/{ops['id']}").status_code == 204
    assert tenant.scim("GET", f"/Groups/{ops['id']}").status_code == 404
    groups = client.scim.list_scim_groups(scim_directory_id=tenant.directory.id).scim_groups
    assert {(g.display_name, g.deleted) for g in groups} == {
        ("Platform", False),
        ("Ops", True),
    }
    assert client.scim.get_scim_group(id=ops["id"]).scim_group.deleted is True


def test_app_api_pagination_includes_deleted_users(client: Any, tenant: Tenant) -> None:
    ids = [tenant.create_user(f"user{i:02}@acme.test")["id"] for i in range(23)]
    for user_id in ids[::5]:
        assert tenant.scim("DELETE", f"/Users/{user_id}").status_code == 204
    pages = []
    token = None
    while True:
        page = client.scim.list_scim_users(scim_directory_id=tenant.directory.id, page_token=token)
        pages.append(page.scim_users)
        token = page.next_page_token
        if not token:
            break
    assert [len(p) for p in pages] == [10, 10, 3]
    flat = [u for p in pages for u in p]
    # Ordered by id, as the store's ListSCIMUsers query is (queries.sql: order by id).
    assert [u.id for u in flat] == sorted(ids)
    assert {u.id for u in flat if u.deleted} == set(ids[::5])


def test_groups_pagination(client: Any, tenant: Tenant) -> None:
    ids = [tenant.create_group(f"g{i}")["id"] for i in range(12)]
    first = client.scim.list_scim_groups(organization_id=tenant.org.id)
    assert len(first.scim_groups) == 10 and first.next_page_token
    second = client.scim.list_scim_groups(
        organization_id=tenant.org.id, page_token=first.next_page_token
    )
    assert [g.id for g in first.scim_groups + second.scim_groups] == sorted(ids)
    assert not second.next_page_token


def test_org_selectors_use_the_primary_directory(client: Any, tenant: Tenant) -> None:
    tenant.create_user("ada@acme.test")
    dirs = client.management.scim_directories
    other = dirs.create_scim_directory(organization_id=tenant.org.id).scim_directory
    token = dirs.rotate_scim_directory_bearer_token(id=other.id).bearer_token
    second = Tenant(tenant.org, other, token)
    second.create_user("bob@acme.test")

    def emails(**selector: str) -> list[str]:
        return [u.email for u in client.scim.list_scim_users(**selector).scim_users or []]

    assert emails(organization_id=tenant.org.id) == ["ada@acme.test"]
    assert emails(organization_external_id="acme") == ["ada@acme.test"]
    assert emails(scim_directory_id=other.id) == ["bob@acme.test"]
    dirs.update_scim_directory(id_=other.id, primary=True)
    assert emails(organization_id=tenant.org.id) == ["bob@acme.test"]
    assert emails(organization_external_id="acme") == ["bob@acme.test"]


def test_domain_change_applies_to_later_writes(client: Any, tenant: Tenant) -> None:
    assert tenant.scim("POST", "/Users", user_body("ada@globex.test")).status_code == 400
    client.management.organizations.update_organization(
        id_=tenant.org.id, external_id="acme", domains=["acme.test", "globex.test"]
    )
    assert tenant.scim("POST", "/Users", user_body("ada@globex.test")).status_code == 201
    assert tenant.scim("POST", "/Users", user_body("bob@GLOBEX.test")).status_code == 201


def test_app_api_ids_are_typed(client: Any) -> None:
    a = make_tenant(client, external_id="a", domains=("a.test",))
    ada = a.create_user("ada@a.test")
    with pytest.raises(ApiError) as caught:
        client.scim.get_scim_user(id=ada["id"].replace("scim_user_", "scim_group_"))
    assert caught.value.status_code == 404
    assert client.scim.get_scim_user(id=ada["id"]).scim_user.scim_directory_id == a.directory.id


@pytest.mark.parametrize(
    "flt",
    [
        'userName eq "ADA@acme.test"',
        'email.value eq "ada@acme.test"',
        '(email.value eq "ada@acme.test")',
    ],
)
def test_scim_filters_ssoready_idps_send(tenant: Tenant, flt: str) -> None:
    tenant.create_user("ada@acme.test")
    tenant.create_user("bob@acme.test")
    r = tenant.scim("GET", "/Users", params={"filter": flt})
    assert r.status_code == 200, r.text
    assert [u["userName"] for u in r.json()["Resources"]] == ["ada@acme.test"]
