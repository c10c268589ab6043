"""Stytch's member lookups (by organization and email, by SCIM connection and user id) are
answered from an index that follows every write to ``StytchState.members`` and to the member
fields it keys on; a stale index would make SCIM provisioning create duplicates or miss
members, so each kind of write is checked."""

from __future__ import annotations

from datetime import UTC, datetime

from mockscim.vendors.stytch.state import Member, ScimLink, StytchState

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def member(member_id: str, org: str, email: str) -> Member:
    return Member(member_id, org, email, "active", "Ada", NOW, NOW)


def test_the_index_follows_field_writes_and_deletes() -> None:
    state = StytchState()
    m = member("m1", "org1", "Ada@Acme.test")
    state.members["m1"] = m
    assert state.member_by_email("org1", "ada@acme.TEST") is m
    m.email_address = "grace@acme.test"
    assert state.member_by_email("org1", "ada@acme.test") is None
    assert state.member_by_email("org1", "grace@acme.test") is m
    m.scim = ScimLink("conn", "reg", "u1", None, {})
    assert state.member_by_scim_user("conn", "u1") is m
    m.organization_id = "org2"
    assert state.member_by_email("org1", "grace@acme.test") is None
    assert state.member_by_email("org2", "grace@acme.test") is m
    assert "_index_owner" not in m.to_json()
    del state.members["m1"]
    assert state.member_by_scim_user("conn", "u1") is None
    m.email_address = "x@y.test"  # detached: no error, no index
    assert state.member_by_email("org2", "x@y.test") is None


def test_replacing_popping_and_clearing_keep_the_index_true() -> None:
    state = StytchState()
    first, second = member("m1", "o", "a@o.test"), member("m1", "o", "b@o.test")
    state.members["m1"] = first
    state.members["m1"] = second  # replaced under the same id
    assert state.member_by_email("o", "a@o.test") is None
    assert state.member_by_email("o", "b@o.test") is second
    first.email_address = "c@o.test"  # the replaced member no longer reports to the index
    assert state.member_by_email("o", "c@o.test") is None
    assert state.members.pop("m1") is second
    assert state.member_by_email("o", "b@o.test") is None
    state.members.update({"m2": member("m2", "o", "d@o.test")})
    state.members.clear()
    assert state.member_by_email("o", "d@o.test") is None


def test_a_plain_dict_assigned_from_outside_and_a_restored_state_are_indexed() -> None:
    state = StytchState()
    state.members = {"m1": member("m1", "o", "e@o.test")}
    assert state.member_by_email("o", "E@O.test").member_id == "m1"
    restored = StytchState.from_json({"members": [member("m2", "o", "b@c.test").to_json()]})
    assert restored.member_by_email("o", "B@C.test").member_id == "m2"
