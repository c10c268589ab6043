"""Each IdP profile pushed into a Stytch SCIM connection; results read back through the
official ``stytch`` SDK (members, statuses, SCIM groups, implicit roles), plus a two-phase
token rotation in the middle of a push."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockscim.idp import Directory, generate_directory
from mockscim.idp.model import DesiredGroup, DesiredUser
from mockscim.testing.server import MockServer

IDPS = {"okta": "okta", "entra": "microsoft-entra", "generic": "generic"}


def directory() -> Directory:
    ada = DesiredUser("k-ada", "ada@acme.test", "Ada", "Lovelace", title="CTO")
    bob = DesiredUser("k-bob", "bob@acme.test", "Bob", "Byte", manager="k-ada")
    cy = DesiredUser("k-cy", "cy@acme.test", "Cy", "Cipher")
    return Directory.of(
        [ada, bob, cy],
        [
            DesiredGroup("g-eng", "Engineering", ("k-ada", "k-bob")),
            DesiredGroup("g-sales", "Sales", ("k-cy",)),
        ],
    )


def setup_connection(server: MockServer, idp: str) -> tuple[Any, str, Any]:
    client = server.stytch_client()
    org = client.organizations.create(organization_name="Acme", organization_slug="acme")
    org_id = org.organization.organization_id
    conn = client.scim.connection.create(
        organization_id=org_id, display_name=f"{idp} push", identity_provider=IDPS[idp]
    ).connection
    return client, org_id, conn


def members(client: Any, org_id: str) -> dict[str, Any]:
    found = client.organizations.members.search(
        organization_ids=[org_id],
        query={
            "operator": "AND",
            "operands": [{"filter_name": "statuses", "filter_value": ["active", "deleted"]}],
        },
    )
    return {m.email_address: m for m in found.members}


@pytest.mark.parametrize("idp", list(IDPS))
def test_push_into_stytch_makes_members_groups_and_roles(
    mockscim: MockServer, idp_push: Any, idp: str
) -> None:
    client, org_id, conn = setup_connection(mockscim, idp)
    if idp == "entra":
        assert conn.base_url.endswith("?aadOptscim062020")
    d = directory()
    report = idp_push(d, idp=idp, base_url=conn.base_url, token=conn.bearer_token)
    assert report.ok, report.summary()

    people = members(client, org_id)
    assert set(people) == {"ada@acme.test", "bob@acme.test", "cy@acme.test"}
    ada = people["ada@acme.test"]
    assert ada.name == "Ada Lovelace" and ada.status == "active"
    registration = ada.scim_registration
    assert registration.connection_id == conn.connection_id
    assert registration.scim_attributes.title == "CTO"
    assert registration.external_id == (None if idp == "okta" else "k-ada")
    bob_manager = people["bob@acme.test"].scim_registration.scim_attributes.enterprise_extension
    assert bob_manager.manager.value == ada.member_id

    groups = client.scim.connection.get_groups(
        organization_id=org_id, connection_id=conn.connection_id
    ).scim_groups
    by_name = {g.group_name: g.group_id for g in groups}
    assert set(by_name) == {"Engineering", "Sales"}
    client.scim.connection.update(
        organization_id=org_id,
        connection_id=conn.connection_id,
        scim_group_implicit_role_assignments=[
            {"role_id": "stytch_admin", "group_id": by_name["Engineering"]}
        ],
    )
    people = members(client, org_id)
    assert people["ada@acme.test"].is_admin and people["bob@acme.test"].is_admin
    assert not people["cy@acme.test"].is_admin

    # Next cycle: Bob leaves Engineering, Cy is deactivated, Ada is renamed.
    changed = d.copy()
    changed.put_group(d.groups["g-eng"].changed(members=["k-ada"]))
    changed.put_user(d.users["k-cy"].changed(active=False))
    changed.put_user(d.users["k-ada"].changed(family_name="King"))
    report = idp_push(changed, idp=idp, base_url=conn.base_url, token=conn.bearer_token)
    assert report.ok, report.summary()
    assert "POST" not in {r.method for r in report.requests}
    people = members(client, org_id)
    assert people["ada@acme.test"].name == "Ada King" and people["ada@acme.test"].is_admin
    assert not people["bob@acme.test"].is_admin
    assert people["cy@acme.test"].status == "deleted"

    # Bob is unassigned from the app: deactivated by Okta and Entra, DELETEd by generic.
    gone = changed.copy()
    del gone.users["k-bob"]
    report = idp_push(gone, idp=idp, base_url=conn.base_url, token=conn.bearer_token)
    assert report.ok, report.summary()
    methods = {r.method for r in report.requests}
    assert methods == ({"DELETE"} if idp == "generic" else {"PATCH"})
    assert members(client, org_id)["bob@acme.test"].status == "deleted"

    # Every request of every cycle used the connection's current token.
    journal = mockscim.mock.journal.entries(directory_id=conn.connection_id)
    assert journal and {e.credential for e in journal} == {"current"}


def test_entra_without_the_flag_sends_string_booleans_that_stytch_understands(
    mockscim: MockServer, idp_push: Any
) -> None:
    client, org_id, conn = setup_connection(mockscim, "entra")
    base = conn.base_url.split("?")[0]
    d = directory()
    assert idp_push(d, idp="entra", base_url=base, token=conn.bearer_token).ok
    off = d.copy()
    off.put_user(d.users["k-cy"].changed(active=False))
    report = idp_push(off, idp="entra", base_url=base, token=conn.bearer_token)
    assert report.ok, report.summary()
    [patch] = report.requests
    assert patch.body["Operations"] == [{"op": "Replace", "path": "active", "value": "False"}]
    assert members(client, org_id)["cy@acme.test"].status == "deleted"


@pytest.mark.parametrize("idp", list(IDPS))
def test_two_phase_rotation_in_the_middle_of_a_push(
    mockscim: MockServer, idp_push: Any, idp: str
) -> None:
    """rotate_start after 10 requests (the IdP switches to the next token at once),
    rotate_complete after 20: the push never fails, and the journal shows the switch."""
    client, org_id, conn = setup_connection(mockscim, idp)
    cid = conn.connection_id
    engine = idp_push.engine(idp, conn.base_url, conn.bearer_token)
    old = conn.bearer_token
    tokens: dict[str, str] = {}

    def rotate(sent: Any) -> None:
        if sent.seq == 10:
            started = client.scim.connection.rotate_start(organization_id=org_id, connection_id=cid)
            tokens["next"] = started.connection.next_bearer_token
            engine.client.set_token(tokens["next"])
        elif sent.seq == 20:
            client.scim.connection.rotate_complete(organization_id=org_id, connection_id=cid)

    d = generate_directory(seed=11, users=15, groups=3, domain="acme.test")
    report = idp_push(d, idp=idp, base_url=conn.base_url, token=old, on_request=rotate)
    assert report.ok, report.summary()
    assert len(report.requests) > 20
    assert len(members(client, org_id)) == 15
    assert [r.token_generation for r in report.requests[:10]] == [0] * 10
    assert {r.token_generation for r in report.requests[10:]} == {1}

    credentials = [
        e.credential for e in mockscim.mock.journal.entries(directory_id=cid, vendor="stytch")
    ]
    assert len(credentials) == len(report.requests)
    # Old token while steady; the pending token while rotating; then it is the current one.
    assert credentials[:10] == ["current"] * 10
    assert credentials[10:20] == ["next"] * 10
    assert set(credentials[20:]) == {"current"}

    # The old token is dead; a later cycle runs on the new one.
    del d.users[next(iter(d.users))]
    later = idp_push(d, idp=idp, base_url=conn.base_url, token=tokens["next"])
    assert later.ok, later.summary()
    stale = requests.get(
        conn.base_url.split("?")[0] + "/Users",
        headers={"Authorization": f"Bearer {old}"},
        timeout=10,
    )
    assert stale.status_code == 401


def test_push_backs_off_on_injected_429_and_finishes(mockscim: MockServer, idp_push: Any) -> None:
    client, org_id, conn = setup_connection(mockscim, "okta")
    mockscim.mock.faults.add(
        {
            "path": "/v1/b2b/scim/*/Users",
            "method": "POST",
            "status": 429,
            "retry_after": 7,
            "count": 2,
        }
    )
    report = idp_push(directory(), idp="okta", base_url=conn.base_url, token=conn.bearer_token)
    assert report.ok, report.summary()
    throttled = [r for r in report.requests if r.status == 429]
    assert len(throttled) == 2 and report.retries == 2
    assert idp_push.sleeps == [7.0, 7.0]
    assert len(members(client, org_id)) == 3
    journal = mockscim.mock.journal.entries(path=f"**/{conn.connection_id}/**", status=429)
    assert len(journal) == 2
