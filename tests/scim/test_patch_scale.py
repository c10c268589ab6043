"""PATCH costs time linear in what it is given (issue 20: an ``add`` of 20,000 ``emails``
took 57 s under the store lock, comparing every new value with every present one).

Work is counted (calls of the member-key function), never timed: each value added or
present is keyed a bounded number of times, whatever the list's length or the number of
operations. The result is checked against the rules the quadratic code implemented.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockscim.scim import patch as patch_module
from mockscim.scim.patch import apply_patch
from mockscim.scim.schemas import PATCH_OP, USER, USER_TYPE
from tests.scim.test_patch import patch

N = 20_000


def user() -> dict[str, Any]:
    return {"schemas": [USER], "userName": "ada@example.com", "emails": [{"value": "a@x.test"}]}


@pytest.fixture
def keyings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = patch_module._member_key

    def counted(item: Any) -> Any:
        calls[0] += 1
        return real(item)

    monkeypatch.setattr(patch_module, "_member_key", counted)
    return calls


def _body(*ops: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(ops)}


def test_one_add_of_20000_emails_is_linear(keyings: list[int]) -> None:
    values = [{"value": f"e{i}@x.test", "type": "work"} for i in range(N)]
    values.append({"value": "a@x.test"})  # already present: not added twice
    values.append({"value": "e7@x.test", "type": "home"})  # same value: the same email
    out = apply_patch(user(), _body({"op": "add", "path": "emails", "value": values}), USER_TYPE)
    assert len(out["emails"]) == N + 1
    assert keyings[0] <= len(values) + 1 + 10


def test_20000_operations_adding_one_email_each_are_linear(keyings: list[int]) -> None:
    ops = [
        {"op": "add", "path": "emails", "value": [{"value": f"e{i}@x.test", "primary": True}]}
        for i in range(N // 2)
    ]
    # Interleaved with replaces of another attribute, which must not cost a rebuild each.
    ops = [o for i, op in enumerate(ops) for o in (op, _rename(i))]
    out = apply_patch(user(), _body(*ops), USER_TYPE)
    assert len(out["emails"]) == N // 2 + 1
    assert [e["value"] for e in out["emails"] if e.get("primary")] == [f"e{N // 2 - 1}@x.test"]
    assert sum(1 for e in out["emails"] if e.get("primary") is False) == N // 2 - 1
    assert keyings[0] <= 2 * (N // 2) + 10


def _rename(i: int) -> dict[str, Any]:
    return {"op": "replace", "path": "displayName", "value": f"Ada {i}"}


def test_remove_by_value_array_is_linear(keyings: list[int]) -> None:
    present = {"schemas": [USER], "userName": "u", "emails": [{"value": f"e{i}"} for i in range(N)]}
    doomed = [{"value": f"e{i}"} for i in range(0, N, 2)]
    body = _body({"op": "remove", "path": "emails", "value": doomed})
    out = apply_patch(present, body, USER_TYPE)
    assert [e["value"] for e in out["emails"]] == [f"e{i}" for i in range(1, N, 2)]
    assert keyings[0] <= N + len(doomed) + 10


def test_a_value_changed_in_place_between_adds_is_seen() -> None:
    """An ``add`` after a filtered replace renamed a value: the renamed value is gone, so
    adding it again adds it (a stale index of the list would drop it)."""
    out = patch(
        user(),
        {"op": "add", "path": "emails", "value": [{"value": "b@x.test"}]},
        {"op": "replace", "path": 'emails[value eq "a@x.test"].value', "value": "c@x.test"},
        {"op": "add", "path": "emails", "value": [{"value": "a@x.test"}, {"value": "b@x.test"}]},
    )
    assert [e["value"] for e in out["emails"]] == ["c@x.test", "b@x.test", "a@x.test"]


def test_primary_moves_through_consecutive_adds_and_sub_attribute_writes() -> None:
    out = patch(
        user(),
        {"op": "add", "path": "emails", "value": [{"value": "b", "primary": True}]},
        {"op": "replace", "path": "emails.primary", "value": True},  # every one, then one wins
        {"op": "add", "path": "emails", "value": [{"value": "c", "primary": "true"}]},
        {"op": "add", "path": "emails", "value": [{"value": "d"}, {"value": "c"}]},
    )
    assert [(e["value"], e.get("primary")) for e in out["emails"]] == [
        ("a@x.test", False),
        ("b", False),
        ("c", True),
        ("d", None),
    ]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"value": "x", "type": "work"}, {"value": "x", "type": "home"}, True),
        ({"value": 1}, {"Value": 1.0}, True),
        ({"value": {"k": [1, 2]}}, {"value": {"k": [1, 2]}}, True),
        ({"value": None, "type": "a"}, {"value": None, "type": "a"}, True),
        ({"value": None, "type": "a"}, {"type": "a"}, False),
        ({"type": "a"}, {"type": "a"}, True),
        ("x", "x", True),
        ("x", {"value": "x"}, False),
        ({"value": [1, 2]}, {"value": [2, 1]}, False),
    ],
)
def test_member_keys_agree_with_the_pairwise_rule(a: Any, b: Any, same: bool) -> None:
    """Values are the same member when both have a non-null ``value`` and those are equal,
    else when they are equal as a whole (RFC 7644 3.5.2.1: an existing value is not added
    again)."""
    assert (patch_module._member_key(a) == patch_module._member_key(b)) is same


def test_a_value_rewritten_in_place_between_adds_is_seen() -> None:
    """``emails.value`` rewrites every email in place (the list object stays): the next
    ``add`` must not trust what it knew of the list."""
    out = patch(
        user(),
        {"op": "add", "path": "emails", "value": [{"value": "b@x.test"}]},
        {"op": "replace", "path": "emails.value", "value": "z@x.test"},
        {"op": "add", "path": "emails", "value": [{"value": "a@x.test"}, {"value": "z@x.test"}]},
    )
    assert [e["value"] for e in out["emails"]] == ["z@x.test", "z@x.test", "a@x.test"]
