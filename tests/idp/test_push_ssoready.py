"""Each IdP profile pushed into an SSOReady SCIM directory; results read back through the
official ``ssoready`` SDK's app API (users and groups with their ``deleted`` flags), plus an
immediate token rotation in the middle of a push: the push fails fast with 401, nothing it
wrote is lost, and a re-run with the new token sends exactly what was missing.

These run against the ``rfc`` profile, where every IdP flow completes; what SSOReady's own
server (the default ``exact`` profile) makes of the same pushes is in
``test_push_ssoready_exact.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mockscim.idp import Directory, generate_directory
from mockscim.idp.model import DesiredGroup, DesiredUser
from mockscim.settings import Settings
from mockscim.testing.server import MockServer

IDPS = ["okta", "entra", "generic"]


@pytest.fixture(scope="module")
def _rfc_server() -> Iterator[MockServer]:
    with MockServer(Settings(ssoready_profile="rfc")) as server:
        yield server


@pytest.fixture
def mockscim(_rfc_server: MockServer) -> Iterator[MockServer]:
    """The plugin's fixture, pinned to the ``rfc`` profile for this module."""
    _rfc_server.reset()
    yield _rfc_server


def directory() -> Directory:
    ada = DesiredUser("k-ada", "ada@acme.test", "Ada", "Lovelace", title="CTO")
    bob = DesiredUser("k-bob", "bob@acme.test", "Bob", "Byte")
    cy = DesiredUser("k-cy", "cy@acme.test", "Cy", "Cipher", department="Sales")
    return Directory.of(
        [ada, bob, cy],
        [
            DesiredGroup("g-eng", "Engineering", ("k-ada", "k-bob")),
            DesiredGroup("g-sales", "Sales", ("k-cy",)),
        ],
    )


def setup_directory(server: MockServer) -> tuple[Any, str, str, str]:
    """An org owning acme.test with a primary SCIM directory and its first token."""
    client = server.ssoready_client()
    org = client.management.organizations.create_organization(
        external_id="acme", domains=["acme.test"]
    ).organization
    scim_dir = client.management.scim_directories.create_scim_directory(
        organization_id=org.id, primary=True
    ).scim_directory
    token = client.management.scim_directories.rotate_scim_directory_bearer_token(
        id=scim_dir.id
    ).bearer_token
    base_url = client.management.scim_directories.get_scim_directory(
        id=scim_dir.id
    ).scim_directory.scim_base_url
    return client, scim_dir.id, base_url, token


def all_pages(fetch: Any, key: str, **kwargs: Any) -> list[Any]:
    items: list[Any] = []
    token = None
    while True:
        page = fetch(page_token=token, **kwargs) if token else fetch(**kwargs)
        items += getattr(page, key) or []
        token = page.next_page_token
        if not token:
            return items


def users(client: Any, dir_id: str, **kwargs: Any) -> dict[str, Any]:
    found = all_pages(client.scim.list_scim_users, "scim_users", scim_directory_id=dir_id, **kwargs)
    return {u.email: u for u in found}


def groups(client: Any, dir_id: str) -> dict[str, Any]:
    found = all_pages(client.scim.list_scim_groups, "scim_groups", scim_directory_id=dir_id)
    return {g.display_name: g for g in found}


@pytest.mark.parametrize("idp", IDPS)
def test_push_into_ssoready_shows_in_the_app_api(
    mockscim: MockServer, idp_push: Any, idp: str
) -> None:
    client, dir_id, base_url, token = setup_directory(mockscim)
    d = directory()
    report = idp_push(d, idp=idp, base_url=base_url, token=token)
    assert report.ok, report.summary()

    people = users(client, dir_id)
    assert set(people) == {"ada@acme.test", "bob@acme.test", "cy@acme.test"}
    assert not any(u.deleted for u in people.values())
    ada = people["ada@acme.test"].attributes
    assert ada["name"]["givenName"] == "Ada" and ada["title"] == "CTO"
    assert ada["active"] is True
    assert ("externalId" in ada) == (idp != "okta")

    teams = groups(client, dir_id)
    assert set(teams) == {"Engineering", "Sales"}
    assert not any(g.deleted for g in teams.values())
    eng = users(client, dir_id, scim_group_id=teams["Engineering"].id)
    assert set(eng) == {"ada@acme.test", "bob@acme.test"}

    # Next cycle: Cy deactivated, Bob leaves Engineering, Ada renamed, Sales dropped.
    changed = d.copy()
    changed.put_user(d.users["k-cy"].changed(active=False))
    changed.put_user(d.users["k-ada"].changed(family_name="King"))
    changed.put_group(d.groups["g-eng"].changed(members=["k-ada"]))
    del changed.groups["g-sales"]
    report = idp_push(changed, idp=idp, base_url=base_url, token=token)
    assert report.ok, report.summary()
    people = users(client, dir_id)
    assert people["ada@acme.test"].attributes["name"]["familyName"] == "King"
    # SSOReady stores active: false as deleted: true (scim.go: Deleted: !active).
    assert people["cy@acme.test"].deleted is True
    assert people["ada@acme.test"].deleted is False
    eng = users(client, dir_id, scim_group_id=teams["Engineering"].id)
    assert set(eng) == {"ada@acme.test"}
    assert groups(client, dir_id)["Sales"].deleted is True

    # Bob is unassigned: deactivated (Okta, Entra) or DELETEd (generic); deleted either way.
    gone = changed.copy()
    del gone.users["k-bob"]
    report = idp_push(gone, idp=idp, base_url=base_url, token=token)
    assert report.ok, report.summary()
    assert {r.method for r in report.requests} == ({"DELETE"} if idp == "generic" else {"PATCH"})
    assert users(client, dir_id)["bob@acme.test"].deleted is True

    journal = mockscim.mock.journal.entries(directory_id=dir_id, surface=None)
    scim_entries = [e for e in journal if "/Users" in e.path or "/Groups" in e.path]
    assert scim_entries and {e.credential for e in scim_entries} == {"current"}


def test_users_outside_the_org_domains_are_reported_not_hidden(
    mockscim: MockServer, idp_push: Any
) -> None:
    client, dir_id, base_url, token = setup_directory(mockscim)
    d = directory()
    d.put_user(DesiredUser("k-out", "eve@elsewhere.test", "Eve", "Out"))
    report = idp_push(d, idp="okta", base_url=base_url, token=token)
    assert not report.ok
    assert [(f.key, f.action, f.status) for f in report.failures] == [("k-out", "create", 400)]
    assert "allowed domains" in (report.failures[0].detail or "")
    assert set(users(client, dir_id)) == {"ada@acme.test", "bob@acme.test", "cy@acme.test"}


@pytest.mark.parametrize("idp", IDPS)
def test_rotation_mid_push_fails_fast_and_resumes_with_the_new_token(
    mockscim: MockServer, idp_push: Any, idp: str
) -> None:
    client, dir_id, base_url, old = setup_directory(mockscim)
    d = generate_directory(seed=21, users=12, groups=2, domain="acme.test")
    fresh: dict[str, str] = {}

    def rotate(sent: Any) -> None:
        if sent.seq == 8:
            fresh["token"] = client.management.scim_directories.rotate_scim_directory_bearer_token(
                id=dir_id
            ).bearer_token

    first = idp_push(d, idp=idp, base_url=base_url, token=old, on_request=rotate)
    assert first.aborted_status == 401
    # Fail fast: exactly one request after the rotation, and it was refused.
    assert len(first.requests) == 9
    assert first.requests[-1].status == 401
    assert all(r.ok for r in first.requests[:-1])

    # Nothing written before the rotation was lost: the IdP's state and SSOReady agree.
    engine = idp_push.engine(idp, base_url, old)
    linked = {u.user_name for k, u in d.users.items() if k in engine.state.users}
    assert linked and set(users(client, dir_id)) == linked

    # The old token stays dead; with the new one the next cycle sends only what is missing.
    second = idp_push(d, idp=idp, base_url=base_url, token=fresh["token"])
    assert second.ok, second.summary()
    assert second.count("User", "created") == len(d.users) - len(linked)
    people = users(client, dir_id)
    assert set(people) == {u.user_name for u in d.users.values()}
    assert not any(u.deleted for u in people.values())
    teams = groups(client, dir_id)
    assert len(teams) == 2
    for group in d.groups.values():
        members = users(client, dir_id, scim_group_id=teams[group.display_name].id)
        assert set(members) == {d.users[k].user_name for k in group.members}

    # The journal shows which credential each request of the push used.
    entries = [
        e
        for e in mockscim.mock.journal.entries(directory_id=dir_id)
        if "/Users" in e.path or "/Groups" in e.path
    ]
    credentials = [e.credential for e in entries]
    assert len(credentials) == len(first.requests) + len(second.requests)
    assert credentials[:8] == ["current"] * 8
    assert credentials[8] == "invalid"
    assert set(credentials[9:]) == {"current"}
    assert [r.token_generation for r in second.requests] == [1] * len(second.requests)
