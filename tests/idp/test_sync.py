"""The sync engine against the generic RFC 7644 mount: results, deltas, links, failures."""

from __future__ import annotations

import pytest

from mockscim.idp import Directory, IdpPush, IdpState, generate_directory
from mockscim.idp.profiles import ENTERPRISE

from .conftest import GenericTarget, small_directory

PROFILES = ["okta", "entra", "generic"]


@pytest.mark.parametrize("idp", PROFILES)
def test_first_push_provisions_users_groups_memberships_and_managers(
    target: GenericTarget, idp: str
) -> None:
    engine = target.engine(idp)
    report = engine.sync(small_directory())
    assert report.ok, report.summary()
    assert report.count("User", "created") == 3
    assert report.count("Group", "created") == 2

    users = target.users()
    assert set(users) == {"ada@example.com", "bob@example.com", "cy@example.com"}
    ada, bob = users["ada@example.com"], users["bob@example.com"]
    assert ada["name"]["givenName"] == "Ada" and ada["title"] == "CTO"
    assert ada[ENTERPRISE]["department"] == "Engineering"
    assert ada["emails"][0]["value"] == "ada@example.com"
    assert ada["active"] is True
    # Bob comes after Ada, so his manager's id was known when he was created.
    assert bob[ENTERPRISE]["manager"]["value"] == ada["id"]

    groups = target.groups()
    assert {m["value"] for m in groups["Engineering"]["members"]} == {ada["id"], bob["id"]}
    assert [m["value"] for m in groups["Sales"]["members"]] == [users["cy@example.com"]["id"]]
    assert engine.state.users["k-ada"].scim_id == ada["id"]


@pytest.mark.parametrize("idp", PROFILES)
def test_rerun_with_the_same_directory_sends_nothing(target: GenericTarget, idp: str) -> None:
    engine = target.engine(idp)
    directory = small_directory()
    assert engine.sync(directory).ok
    again = engine.sync(directory)
    assert again.ok
    assert again.requests == []


@pytest.mark.parametrize("idp", PROFILES)
def test_manager_created_after_the_report_is_filled_in_by_a_second_pass(
    target: GenericTarget, idp: str
) -> None:
    d = small_directory()
    # Bob (managed by Ada) first: Ada has no SCIM id yet when Bob is created.
    reordered = Directory.of([d.users["k-bob"], d.users["k-ada"], d.users["k-cy"]])
    report = target.engine(idp).sync(reordered)
    assert report.ok, report.summary()
    users = target.users()
    manager = users["bob@example.com"][ENTERPRISE]["manager"]
    assert manager["value"] == users["ada@example.com"]["id"]


@pytest.mark.parametrize("idp", PROFILES)
def test_changes_are_sent_as_deltas(target: GenericTarget, idp: str) -> None:
    engine = target.engine(idp)
    directory = small_directory()
    assert engine.sync(directory).ok

    changed = directory.copy()
    changed.put_user(directory.users["k-ada"].changed(family_name="King", title="Countess"))
    changed.put_group(directory.groups["g-eng"].changed(members=["k-ada", "k-cy"]))
    changed.put_group(directory.groups["g-sales"].changed(display_name="Sales EMEA"))
    report = engine.sync(changed)
    assert report.ok, report.summary()
    methods = sorted((r.method, r.path.split("/")[-2]) for r in report.requests)
    update = "PUT" if idp == "okta" else "PATCH"
    assert methods == sorted([(update, "Users"), ("PATCH", "Groups"), ("PATCH", "Groups")])

    users = target.users()
    assert users["ada@example.com"]["name"]["familyName"] == "King"
    assert users["ada@example.com"]["title"] == "Countess"
    groups = target.groups()
    assert set(groups) == {"Engineering", "Sales EMEA"}
    eng = {m["value"] for m in groups["Engineering"]["members"]}
    assert eng == {users["ada@example.com"]["id"], users["cy@example.com"]["id"]}


@pytest.mark.parametrize("idp", PROFILES)
def test_deactivate_and_reactivate(target: GenericTarget, idp: str) -> None:
    engine = target.engine(idp)
    directory = small_directory()
    assert engine.sync(directory).ok
    off = directory.copy()
    off.put_user(directory.users["k-cy"].changed(active=False))
    report = engine.sync(off)
    assert report.ok, report.summary()
    assert [(r.method, r.status) for r in report.requests] == [("PATCH", 200)]
    assert target.users()["cy@example.com"]["active"] is False
    assert report.count("User", "deactivated") == 1

    report = engine.sync(directory)
    assert [(r.method, r.status) for r in report.requests] == [("PATCH", 200)]
    assert target.users()["cy@example.com"]["active"] is True


def test_okta_never_deletes_users_even_when_asked_to_hard_delete(
    target: GenericTarget,
) -> None:
    directory = small_directory()
    without_cy = directory.copy()
    del without_cy.users["k-cy"]
    without_cy.put_group(directory.groups["g-sales"].changed(members=[]))

    okta = target.engine("okta")
    assert okta.sync(directory).ok
    report = okta.sync(without_cy, hard_delete=True)
    assert report.ok, report.summary()
    assert "DELETE" not in {r.method for r in report.requests}
    assert target.users()["cy@example.com"]["active"] is False
    assert target.groups()["Sales"].get("members", []) == []


def test_entra_unassignment_is_a_soft_delete_and_hard_delete_is_a_delete(
    target: GenericTarget,
) -> None:
    directory = small_directory()
    without_cy = directory.copy()
    del without_cy.users["k-cy"]
    entra = target.engine("entra")
    assert entra.sync(directory).ok
    soft = entra.sync(without_cy)
    assert soft.ok, soft.summary()
    assert "DELETE" not in {r.method for r in soft.requests}
    assert target.users()["cy@example.com"]["active"] is False
    # Cy is still listed in Sales in the desired directory but no longer assigned: removed.
    assert target.groups()["Sales"].get("members", []) == []

    hard = entra.sync(without_cy, hard_delete=True)
    assert [(r.method, r.status) for r in hard.requests] == [("DELETE", 204)]
    assert "cy@example.com" not in target.users()
    assert "k-cy" not in entra.state.users
    assert entra.sync(without_cy, hard_delete=True).requests == []


def test_generic_deletes_users_and_groups_that_left(target: GenericTarget) -> None:
    directory = small_directory()
    engine = target.engine("generic")
    assert engine.sync(directory).ok
    smaller = directory.copy()
    del smaller.users["k-cy"]
    del smaller.groups["g-sales"]
    report = engine.sync(smaller)
    assert report.ok, report.summary()
    assert sorted(r.method for r in report.requests) == ["DELETE", "DELETE"]
    assert "cy@example.com" not in target.users()
    assert set(target.groups()) == {"Engineering"}


@pytest.mark.parametrize("idp", PROFILES)
def test_lookup_before_create_links_to_existing_resources(target: GenericTarget, idp: str) -> None:
    directory = small_directory()
    first = target.engine("generic")
    assert first.sync(directory).ok
    ids = {u: r["id"] for u, r in target.users().items()}

    # A second IdP (or the same IdP after losing its state) provisions the same people.
    engine = target.engine(idp)
    report = engine.sync(directory)
    assert report.ok, report.summary()
    assert "POST" not in {r.method for r in report.requests}
    assert report.count("User", "linked") == 3
    assert report.count("Group", "linked") == 2
    assert {u: r["id"] for u, r in target.users().items()} == ids
    assert len(target.groups()) == 2
    lookups = [r.query for r in report.requests if r.method == "GET" and r.path.endswith("/Users")]
    if idp == "okta":
        # Okta imports every user first (one page here) and needs no per-user lookup.
        assert lookups == ["startIndex=1&count=100"]
    else:
        assert len(lookups) == 3 and all("userName+eq" in q for q in lookups)
    # After linking, the next run is quiet.
    assert engine.sync(directory).requests == []


def test_entra_links_groups_without_reading_members_and_checks_membership(
    target: GenericTarget,
) -> None:
    directory = small_directory()
    assert target.engine("generic").sync(directory).ok
    entra = target.engine("entra")
    report = entra.sync(directory)
    assert report.ok, report.summary()
    group_gets = [r for r in report.requests if r.method == "GET" and r.path.endswith("/Groups")]
    assert group_gets and all("excludedAttributes=members" in r.query for r in group_gets)
    checks = [r for r in group_gets if "members%5Bvalue+eq" in r.query]
    assert len(checks) == 3  # Ada, Bob in Engineering; Cy in Sales: all already members
    assert not [r for r in report.requests if r.method == "PATCH" and "/Groups/" in r.path]


@pytest.mark.parametrize("idp", PROFILES)
def test_resource_deleted_behind_the_idps_back_is_provisioned_again(
    target: GenericTarget, idp: str
) -> None:
    import requests

    engine = target.engine(idp)
    directory = small_directory()
    assert engine.sync(directory).ok
    ada_id = engine.state.users["k-ada"].scim_id
    r = requests.delete(
        f"{target.base_url}/Users/{ada_id}",
        headers={"Authorization": f"Bearer {target.token}"},
        timeout=10,
    )
    assert r.status_code == 204
    changed = directory.copy()
    changed.put_user(directory.users["k-ada"].changed(title="Chief"))
    report = engine.sync(changed)
    assert report.ok, report.summary()
    assert report.count("User", "relinked") == 1
    assert target.users()["ada@example.com"]["title"] == "Chief"
    assert engine.state.users["k-ada"].scim_id != ada_id


@pytest.mark.parametrize("idp", PROFILES)
def test_a_rejected_resource_is_reported_and_the_rest_still_pushed(
    target: GenericTarget, idp: str
) -> None:
    directory = small_directory()
    bad = directory.users["k-cy"].changed(key="k-bad", user_name="")
    directory.put_user(bad)
    report = target.engine(idp).sync(directory)
    assert not report.ok
    assert [(f.kind, f.key, f.action, f.status) for f in report.failures] == [
        ("User", "k-bad", "create", 400)
    ]
    assert set(target.users()) == {"ada@example.com", "bob@example.com", "cy@example.com"}
    assert "FAILED User k-bad" in report.summary()


def test_a_wrong_token_aborts_fast_and_state_survives_for_the_retry(target: GenericTarget) -> None:
    directory = small_directory()
    engine = target.engine("okta")
    engine.client.set_token("not-the-token")
    report = engine.sync(directory)
    assert report.aborted_status == 401
    assert len(report.requests) == 1
    assert engine.state.users == {}
    engine.client.set_token(target.token)
    report = engine.sync(directory)
    assert report.ok
    assert {r.token_generation for r in report.requests} == {2}


def test_state_round_trips_through_json(target: GenericTarget, tmp_path) -> None:  # type: ignore[no-untyped-def]
    directory = generate_directory(seed=7, users=12, groups=3)
    engine = target.engine("entra")
    assert engine.sync(directory).ok
    path = tmp_path / "state.json"
    engine.state.save(path)
    restored = IdpPush(engine.client, "entra", IdpState.load(path))
    assert restored.sync(directory).requests == []


def test_generated_directory_is_deterministic_and_pushes_cleanly(target: GenericTarget) -> None:
    a = generate_directory(seed=3, users=25, groups=4, domain="acme.test")
    b = generate_directory(seed=3, users=25, groups=4, domain="acme.test")
    assert a.to_json() == b.to_json()
    assert all(u.user_name.endswith("@acme.test") for u in a.users.values())
    assert len({u.user_name for u in a.users.values()}) == 25
    report = target.engine("okta").sync(a)
    assert report.ok, report.summary()
    assert len(target.users()) == 25
    groups = target.groups()
    assert len(groups) == 4
    assert sum(len(g["members"]) for g in groups.values()) == sum(
        len(g.members) for g in a.groups.values()
    )


def test_directory_reads_scim_shaped_users_and_groups_by_username() -> None:
    raw = {
        "users": [
            {
                "userName": "ann@x.test",
                "externalId": "ext-ann",
                "name": {"givenName": "Ann", "familyName": "A"},
                "emails": [{"value": "ann@x.test", "primary": True}],
                ENTERPRISE: {"department": "Ops", "manager": {"value": "ext-bo"}},
            },
            {"userName": "bo@x.test", "active": False},
        ],
        "groups": [{"displayName": "Ops", "members": [{"value": "ann@x.test"}, "bo@x.test"]}],
    }
    d = Directory.from_json(raw)
    assert list(d.users) == ["ext-ann", "bo@x.test"]
    assert d.users["ext-ann"].department == "Ops" and d.users["ext-ann"].manager == "ext-bo"
    assert d.users["bo@x.test"].active is False
    assert d.groups["Ops"].members == ("ext-ann", "bo@x.test")
    assert Directory.from_json(d.to_json()).to_json() == d.to_json()
    with pytest.raises(ValueError):
        Directory.from_json({"users": [{"name": {}}]})


def test_okta_import_pages_through_every_user_before_its_first_push(target: GenericTarget) -> None:
    directory = generate_directory(seed=3, users=5, groups=0, domain="example.com")
    assert target.engine("generic").sync(directory).ok
    okta = target.engine("okta")
    okta.profile.import_page_size = 2
    report = okta.sync(directory)
    assert report.ok, report.summary()
    gets = [r.query for r in report.requests if r.method == "GET" and r.path.endswith("/Users")]
    assert gets == [f"startIndex={i}&count=2" for i in (1, 3, 5)]
    assert report.count("User", "linked") == 5
    assert "POST" not in {r.method for r in report.requests}
    # Only a first push imports; the next run works from the IdP's own state.
    again = okta.sync(directory)
    assert not [r for r in again.requests if r.method == "GET"]
