"""Bounds that keep one client from hurting the others: the journal's byte bound, the rule for
user regular expressions, JSON depth, and atomic snapshot restores."""

from __future__ import annotations

import json

import pytest

from mockscim.engine.journal import Journal, JournalEntry
from mockscim.engine.jsontext import depth_exceeds as _depth_exceeds
from mockscim.engine.patterns import PatternError, check_regex, compile_route
from mockscim.engine.store import Store
from mockscim.http.bodies import MAX_DEPTH
from mockscim.scim.directory import ScimDirectory


def _entry(seq: int, body: str) -> JournalEntry:
    return JournalEntry(
        seq, "t", "stytch", "stytch", "POST", "/p", "", 200, 0.0, "none", request_text=body
    )


def test_journal_is_bounded_in_bytes_oldest_first():
    journal = Journal(size=1000, max_bytes=10_000)
    for seq in range(1, 31):
        journal.append(_entry(seq, "x" * 1000))
    kept = [e.seq for e in journal.entries()]
    assert kept == list(range(22, 31))  # 9 entries of ~1 KB fit in 10 KB
    assert journal.kept_bytes <= 10_000
    journal.clear()
    assert journal.kept_bytes == 0


def test_journal_count_bound_still_holds():
    journal = Journal(size=3)
    for seq in range(1, 6):
        journal.append(_entry(seq, "{}"))
    assert [e.seq for e in journal.entries()] == [3, 4, 5]


@pytest.mark.parametrize(
    "pattern",
    [
        "^(a+)+$",  # nested repeat: exponential
        "^(a*)*b",
        "^(?:/[^/]+){1,5}$",  # a bounded repeat of a repeat is refused too (simple rule)
        "^(a|aa)*$",  # repeated alternation
        "^.*.*.*x",  # three unbounded repeats: cubic
        r"^(\w+)\1$",  # backreference
        "^" + "a" * 300,  # too long
    ],
)
def test_regexes_that_can_backtrack_are_refused(pattern):
    with pytest.raises(PatternError):
        check_regex(pattern)
    with pytest.raises(PatternError):
        compile_route.__wrapped__(pattern)


@pytest.mark.parametrize(
    "pattern", ["^/v1/(b2b|scim)/.*$", "^/v1/.*/Users/.*$", "^/v1/[a-z]+/Users$", "^(/x)*y"]
)
def test_ordinary_regexes_are_accepted(pattern):
    assert compile_route.__wrapped__(pattern).pattern == pattern


def test_depth_check_is_iterative_and_exact():
    value: object = 1
    for _ in range(MAX_DEPTH):
        value = [value]
    assert not _depth_exceeds(value, MAX_DEPTH)
    assert _depth_exceeds([value], MAX_DEPTH)
    very_deep = json.loads("[" * 900 + "]" * 900)
    assert _depth_exceeds(very_deep, MAX_DEPTH)  # no RecursionError


@pytest.mark.parametrize(
    "bad",
    [
        {"version": 1, "vendors": {"stytch": 5}},
        {"version": 1, "vendors": ["stytch"]},
        {"version": 1, "directories": [5]},
        {"version": 1, "directories": "x"},
        {"version": 1, "directories": [{}]},
    ],
)
def test_a_bad_snapshot_section_is_a_value_error_and_state_is_kept(bad):
    class VendorState:
        def __init__(self) -> None:
            self.items: dict[str, int] = {}

        def to_json(self) -> dict:
            return {"items": self.items}

        @classmethod
        def from_json(cls, raw: dict) -> VendorState:
            state = cls()
            state.items = dict(raw["items"])
            return state

    store = Store(ScimDirectory)
    store.register("stytch", VendorState)
    store.vendor("stytch").items["kept"] = 1
    before = json.dumps(store.snapshot(), sort_keys=True)
    with pytest.raises(ValueError, match="invalid state snapshot"):
        store.restore(bad)
    assert json.dumps(store.snapshot(), sort_keys=True) == before


def test_snapshot_builds_record_json_outside_the_store_lock(monkeypatch):
    """A snapshot of a large store used to hold the lock while every record became a dict;
    now only the capture runs under it, and the result is the same."""
    from datetime import UTC, datetime

    import mockscim.scim.directory as directory_module

    store = Store(ScimDirectory)
    directory = store.new_directory("d1", "generic")
    now = datetime(2030, 1, 1, tzinfo=UTC)
    for i in range(3):
        record = directory_module.ScimRecord(f"u{i}", {"userName": f"u{i}"}, now, now)
        directory.users[record.id] = record
    expected = [r.to_json() for r in directory.users.values()]
    held: list[bool] = []
    original = directory_module._record_json

    def spy(fields):  # type: ignore[no-untyped-def]
        held.append(store.lock._is_owned())  # type: ignore[attr-defined]
        return original(fields)

    monkeypatch.setattr(directory_module, "_record_json", spy)
    snapshot = store.snapshot()
    assert held == [False, False, False]
    assert snapshot["directories"][0]["users"] == expected
