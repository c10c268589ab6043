"""Clock, tokens, journal redaction and store snapshot/restore."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from mockscim.engine.clock import Clock, format_instant, parse_instant
from mockscim.engine.journal import Journal, JournalEntry
from mockscim.engine.redaction import REDACTED, redact
from mockscim.engine.store import Store
from mockscim.engine.tokens import TokenRecord, base36_uuid, digest, random_alphanumeric, verify
from mockscim.scim.directory import ScimDirectory

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_frozen_clock_advances_only_when_told():
    clock = Clock(T0)
    assert clock.now() == T0 and clock.mode == "frozen"
    assert clock.advance(90) == T0 + timedelta(seconds=90)
    clock.set(T0 + timedelta(days=2))
    assert clock.now() == T0 + timedelta(days=2)


def test_running_clock_keeps_offset_after_unfreeze_and_resets():
    clock = Clock()
    clock.freeze(T0)
    clock.unfreeze()
    assert clock.mode == "offset"
    assert abs((clock.now() - T0).total_seconds()) < 5
    clock.reset()
    assert clock.mode == "real"
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5


def test_instants_round_trip():
    assert format_instant(parse_instant("2026-03-04T05:06:07Z")) == "2026-03-04T05:06:07Z"
    assert parse_instant("2026-03-04T05:06:07") == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_instant("not a date")


def test_token_record_keeps_only_digest_and_checks_expiry():
    token = random_alphanumeric(48)
    record = TokenRecord.issue(token, T0, T0 + timedelta(hours=1))
    assert token not in json.dumps(record.to_json())
    assert record.digest == digest(token) and record.last_four == token[-4:]
    assert record.matches(token, T0)
    assert not record.matches(token, T0 + timedelta(hours=1))
    assert not record.matches(token + "x", T0)
    assert verify(token, record.digest)
    assert TokenRecord.from_json(record.to_json()) == record


def test_base36_ids_use_lowercase_alphabet():
    value = base36_uuid()
    assert value and set(value) <= set("0123456789abcdefghijklmnopqrstuvwxyz")
    assert base36_uuid() != value


def test_redaction_by_key_and_by_shape():
    body = {
        "connection": {
            "bearer_token": "abc123",
            "next_bearer_token": "def456",
            "bearer_token_last_four": "c123",
        },
        "bearerToken": "ssoready_scim_bearer_token_zz9",
        "note": "token ssoready_scim_bearer_token_abc and key ssoready_sk_XYZ and Bearer sekrit",
    }
    out = redact(body)
    text = json.dumps(out)
    for secret in (
        "abc123",
        "def456",
        "ssoready_scim_bearer_token_zz9",
        "ssoready_sk_XYZ",
        "sekrit",
    ):
        assert secret not in text
    assert out["connection"]["bearer_token"] == REDACTED
    assert out["connection"]["bearer_token_last_four"] == "c123"


def test_journal_is_bounded_and_filterable():
    journal = Journal(size=3)
    for i in range(5):
        journal.append(
            JournalEntry(
                seq=journal.next_seq(),
                at="",
                vendor="stytch" if i % 2 else "ssoready",
                surface="x",
                method="GET",
                path=f"/p/{i}",
                query="",
                status=200 + i,
                latency_ms=0.1,
                credential="current",
            )
        )
    assert [e.path for e in journal.entries()] == ["/p/2", "/p/3", "/p/4"]
    assert [e.path for e in journal.entries(vendor="stytch")] == ["/p/3"]
    assert [e.path for e in journal.entries(path=r"^/p/[34]$")] == ["/p/3", "/p/4"]
    assert [e.status for e in journal.entries(status=204)] == [204]
    journal.clear()
    assert journal.entries() == []


class _VendorState:
    def __init__(self) -> None:
        self.items: list[str] = []

    def to_json(self):
        return {"items": self.items}

    @classmethod
    def from_json(cls, raw):
        state = cls()
        state.items = list(raw["items"])
        return state


def test_store_snapshot_restore_and_reset():
    from mockscim.scim.policy import GENERIC

    store = Store(ScimDirectory)
    store.register("v", _VendorState)
    store.vendor("v").items.append("org-1")
    directory = store.new_directory("d1", "generic")
    record, _ = directory.create("User", {"userName": "a@b.com"}, T0, GENERIC)
    snap = store.snapshot()
    store.reset()
    assert store.directories == {} and store.vendor("v").items == []
    store.restore(json.loads(json.dumps(snap)))
    assert store.vendor("v").items == ["org-1"]
    restored = store.directories["d1"]
    assert restored.find_user_by_name("A@B.COM").id == record.id
    with pytest.raises(ValueError):
        store.restore({"version": 999})
    assert store.vendor("v").items == ["org-1"]
