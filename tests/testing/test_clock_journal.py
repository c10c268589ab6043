"""The clock (freeze/set/advance, token expiry follows it) and the journal (credentials,
filters, helpers, bound, clear) through the Python API and the HTTP endpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from mockscim.app import create_app
from mockscim.control.client import Control, ControlError
from mockscim.settings import Settings

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def scim_get(org, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(org["base_url"] + "/Users", headers=headers)


def test_freeze_set_advance_and_unfreeze(mockscim):
    at = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert mockscim.clock.freeze(at) == at
    assert mockscim.clock.mode == "frozen"
    assert mockscim.clock.now() == at
    assert mockscim.clock.advance(hours=1, minutes=1) == at + timedelta(hours=1, minutes=1)
    assert mockscim.clock.set("2031-06-01T00:00:00Z") == datetime(2031, 6, 1, tzinfo=UTC)
    mockscim.clock.unfreeze()
    assert mockscim.clock.mode == "offset"
    assert mockscim.clock.now() >= datetime(2031, 6, 1, tzinfo=UTC)


def test_frozen_context_manager(mockscim):
    with mockscim.clock.frozen("2030-01-01T00:00:00Z") as clock:
        clock.advance(days=1)
        assert clock.now() == datetime(2030, 1, 2, tzinfo=UTC)
    assert mockscim.clock.mode == "offset"


def test_token_expiry_follows_the_clock(mockscim):
    mockscim.clock.freeze()
    org = mockscim.stytch.create_org("Acme", users=1)
    assert scim_get(org, org["bearer_token"]).status_code == 200
    mockscim.clock.advance(days=364)
    assert scim_get(org, org["bearer_token"]).status_code == 200
    mockscim.clock.advance(days=2)  # past the 365-day lifetime
    assert scim_get(org, org["bearer_token"]).status_code == 401
    assert mockscim.journal.credentials("GET", "/v1/b2b/scim/*/Users") == [
        "current",
        "current",
        "invalid",
    ]


def test_reset_returns_the_clock_to_real_time(mockscim):
    mockscim.clock.freeze("2001-01-01T00:00:00Z")
    mockscim.reset()
    assert mockscim.clock.mode == "real"
    assert abs(mockscim.clock.now() - datetime.now(UTC)) < timedelta(minutes=5)


def test_settings_frozen_at_survives_reset():
    app = create_app(Settings(frozen_at="2030-05-05T00:00:00Z"))
    ctl = Control(app)
    ctl.clock.advance(days=1)
    ctl.reset()
    assert ctl.clock.now() == datetime(2030, 5, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "body", [{"advance": "1d"}, {"set": 5}, {"freeze": "not a date"}, {"speed": 2}]
)
def test_bad_clock_changes_are_400(mockscim_app, body):
    r = mockscim_app.post("/_mockscim/clock", json=body)
    assert r.status_code == 400


def test_journal_names_every_credential_kind(mockscim):
    org = mockscim.stytch.create_org("Acme", users=1, rotating=True)
    assert scim_get(org, org["bearer_token"]).status_code == 200
    assert scim_get(org, org["next_bearer_token"]).status_code == 200
    assert scim_get(org, "wrong-token-0000").status_code == 401
    assert scim_get(org).status_code == 401
    client = mockscim.stytch_client()
    client.organizations.get(organization_id=org["organization_id"])
    kinds = [e.credential for e in mockscim.journal.entries(vendor="stytch")]
    assert kinds == ["current", "next", "invalid", "none", "api_key"]
    mockscim.journal.assert_called("GET", "/v1/b2b/scim/*/Users", credential="next", times=1)
    mockscim.journal.assert_called(path="/v1/b2b/organizations/<id>", credential="api_key")


def test_journal_filters_and_since(mockscim):
    org = mockscim.stytch.create_org("Acme", users=1)
    scim_get(org, org["bearer_token"])
    first = mockscim.journal.last()
    scim_get(org, "bad-token-1234")
    later = mockscim.journal.entries(since=first.seq)
    assert [e.status for e in later] == [401]
    assert mockscim.journal.entries(status=401)[0].seq == later[0].seq
    assert mockscim.journal.entries(directory_id=org["connection_id"], status=200)
    assert mockscim.journal.entries("POST") == []
    assert len(mockscim.journal) == 2
    mockscim.journal.clear()
    assert len(mockscim.journal) == 0


def test_assertion_messages_list_the_journal(mockscim):
    org = mockscim.stytch.create_org("Acme", users=1)
    scim_get(org, org["bearer_token"])
    with pytest.raises(AssertionError) as info:
        mockscim.journal.assert_called("DELETE", "/v1/b2b/scim/*/Users/*")
    message = str(info.value)
    assert (
        "DELETE" in message and "GET /v1/b2b/scim/" in message and "credential=current" in message
    )
    with pytest.raises(AssertionError):
        mockscim.journal.assert_called("GET", times=2)
    with pytest.raises(AssertionError):
        mockscim.journal.assert_not_called("GET", "/v1/b2b/scim/**")
    mockscim.journal.assert_not_called("POST")


def test_seeding_helpers_leave_no_trace_in_the_journal(mockscim):
    mockscim.stytch.create_org("Acme", users=5, groups=2)
    assert mockscim.journal.entries() == []


def test_journal_is_bounded():
    app = create_app(Settings(journal_size=5))
    ctl = Control(app)
    client = app.test_client()
    for i in range(12):
        client.get(f"/v1/b2b/organizations/o{i}")
    seqs = [e.seq for e in ctl.journal.entries()]
    assert len(seqs) == 5 and seqs == sorted(seqs)
    assert ctl.journal.entries()[-1].path == "/v1/b2b/organizations/o11"


def test_bad_journal_queries_are_400(mockscim_app):
    assert mockscim_app.get("/_mockscim/requests?status=abc").status_code == 400
    assert mockscim_app.get("/_mockscim/requests?since=-1").status_code == 400
    with pytest.raises(ControlError):
        mockscim_app.journal.entries(status="x")  # type: ignore[arg-type]
