"""Every SSOReady SDK method mockscim emulates, called through the official ``ssoready``
SDK: each response parses into the SDK's models with the values the spec requires, under
both SCIM server profiles (``exact``, the default, and ``rfc``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .conftest import Tenant, make_tenant

ID = r"[0-9a-z]{25}"


@pytest.fixture(scope="module", params=["exact", "rfc"])
def _server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    with MockServer(Settings(ssoready_profile=request.param)) as server:
        yield server


def test_organizations_create_get_update_list(server: MockServer, client: Any) -> None:
    orgs = client.management.organizations
    created = orgs.create_organization(
        external_id="acme",
        domains=["b.test", "a.test"],
        request_options={"additional_body_parameters": {"displayName": "Acme Inc"}},
    ).organization
    assert re.fullmatch(f"org_{ID}", created.id)
    assert re.fullmatch(f"env_{ID}", created.environment_id)
    assert created.external_id == "acme"
    assert created.domains == ["a.test", "b.test"]  # SSOReady sorts them
    assert created.dict()["displayName"] == "Acme Inc"  # not in SDK 1.1.0's model

    got = orgs.get_organization(id=created.id).organization
    assert got == created

    updated = orgs.update_organization(
        id_=created.id, external_id="acme-2", domains=["c.test"]
    ).organization
    assert (updated.id, updated.external_id, updated.domains) == (created.id, "acme-2", ["c.test"])
    assert orgs.get_organization(id=created.id).organization.external_id == "acme-2"

    listed = orgs.list_organizations()
    assert [o.id for o in listed.organizations] == [created.id]
    assert not listed.next_page_token


def test_organizations_list_pages_by_ten(client: Any) -> None:
    orgs = client.management.organizations
    ids = [orgs.create_organization(external_id=f"o{i}").organization.id for i in range(23)]
    seen: list[str] = []
    page = orgs.list_organizations()
    pages = 1
    while True:
        assert len(page.organizations) == (10 if page.next_page_token else 3)
        seen += [o.id for o in page.organizations]
        if not page.next_page_token:
            break
        page = orgs.list_organizations(page_token=page.next_page_token)
        pages += 1
    assert pages == 3
    assert seen == sorted(ids)  # ManagementListOrganizations: order by id


def test_scim_directories_create_get_update_list_rotate(server: MockServer, client: Any) -> None:
    dirs = client.management.scim_directories
    org = client.management.organizations.create_organization(external_id="acme").organization
    first = dirs.create_scim_directory(organization_id=org.id, primary=True).scim_directory
    assert re.fullmatch(f"scim_directory_{ID}", first.id)
    assert first.organization_id == org.id
    assert first.primary is True
    assert first.scim_base_url == f"{server.url}/v1/scim/{first.id}"
    assert first.has_client_bearer_token is False
    assert first.client_bearer_token is None

    second = dirs.create_scim_directory(organization_id=org.id, primary=True).scim_directory
    # Only one primary directory per organization.
    assert dirs.get_scim_directory(id=first.id).scim_directory.primary is False
    assert dirs.get_scim_directory(id=second.id).scim_directory.primary is True

    updated = dirs.update_scim_directory(id_=first.id, primary=True).scim_directory
    assert updated.primary is True and updated.id == first.id
    assert dirs.get_scim_directory(id=second.id).scim_directory.primary is False

    token = dirs.rotate_scim_directory_bearer_token(id=first.id).bearer_token
    assert re.fullmatch(f"ssoready_scim_bearer_token_{ID}", token)
    got = dirs.get_scim_directory(id=first.id).scim_directory
    assert got.has_client_bearer_token is True and got.client_bearer_token is None

    listed = dirs.list_scim_directories(organization_id=org.id)
    assert [d.id for d in listed.scim_directories] == sorted([first.id, second.id])
    assert not listed.next_page_token


def test_scim_directories_list_pages(client: Any) -> None:
    dirs = client.management.scim_directories
    org = client.management.organizations.create_organization(external_id="acme").organization
    ids = [dirs.create_scim_directory(organization_id=org.id).scim_directory.id for _ in range(11)]
    first = dirs.list_scim_directories(organization_id=org.id)
    assert len(first.scim_directories) == 10 and first.next_page_token
    second = dirs.list_scim_directories(organization_id=org.id, page_token=first.next_page_token)
    assert not second.next_page_token
    assert [d.id for d in first.scim_directories + second.scim_directories] == sorted(ids)


def test_app_api_methods_parse(client: Any, app_client: Any, tenant: Tenant) -> None:
    ada = tenant.create_user("ada@acme.test")
    group = tenant.create_group("Engineering", [ada["id"]])
    assert re.fullmatch(f"scim_user_{ID}", ada["id"])
    assert re.fullmatch(f"scim_group_{ID}", group["id"])
    for sdk in (client, app_client):  # management keys may read the app API too
        users = sdk.scim.list_scim_users(scim_directory_id=tenant.directory.id)
        assert [u.id for u in users.scim_users] == [ada["id"]]
        user = sdk.scim.get_scim_user(id=ada["id"]).scim_user
        assert user.scim_directory_id == tenant.directory.id
        assert user.email == "ada@acme.test"
        assert user.deleted is False
        assert user.attributes["name"] == {"givenName": "Grace", "familyName": "Hopper"}
        groups = sdk.scim.list_scim_groups(organization_id=tenant.org.id)
        assert [g.id for g in groups.scim_groups] == [group["id"]]
        got = sdk.scim.get_scim_group(id=group["id"]).scim_group
        assert (got.display_name, got.deleted, got.scim_directory_id) == (
            "Engineering",
            False,
            tenant.directory.id,
        )
        members = sdk.scim.list_scim_users(
            organization_external_id="acme", scim_group_id=group["id"]
        )
        assert [u.email for u in members.scim_users] == ["ada@acme.test"]


def test_second_tenant_does_not_see_the_first(client: Any, tenant: Tenant) -> None:
    tenant.create_user("ada@acme.test")
    other = make_tenant(client, external_id="globex", domains=("globex.test",))
    assert client.scim.list_scim_users(scim_directory_id=other.directory.id).scim_users in (
        None,
        [],
    )
    assert len(client.scim.list_scim_users(organization_external_id="acme").scim_users) == 1
