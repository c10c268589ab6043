"""The mock takes back what it gives out (issue 20: ``state.restore(snapshot)`` failed with
413 from about 600 users, the snapshot being over the 1 MiB body limit of every route).

``PUT /_mockscim/state`` (snapshots and scenarios) and the scenario builder's own requests
take bodies up to ``Settings.max_state_bytes``; every vendor route keeps
``Settings.max_body_bytes``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mockscim.app import create_app
from mockscim.control.client import Control, ControlError
from mockscim.http.context import mock_of
from mockscim.scim.generic import add_generic_directory, mount_generic
from mockscim.scim.policy import GENERIC
from mockscim.settings import Settings
from mockscim.testing.server import MockServer

NOW = datetime(2030, 1, 1, tzinfo=UTC)
MIB = 1024 * 1024


def _user(i: int) -> dict[str, object]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": f"user{i:06d}@example.com",
        "name": {"givenName": f"Given{i}", "familyName": f"Family{i}"},
        "emails": [{"value": f"user{i:06d}@example.com", "type": "work", "primary": True}],
    }


def _populated(users: int, **settings: object) -> tuple[object, Control]:
    app = create_app(Settings(**settings))  # type: ignore[arg-type]
    mount_generic(app)
    add_generic_directory(app, "big", "big-directory-token-0001")
    directory = mock_of(app).store.directories["big"]
    for i in range(users):
        directory.create("User", _user(i), NOW, GENERIC)
    return app, Control(app)


def test_a_snapshot_over_1_mib_round_trips_through_the_client_over_http() -> None:
    with MockServer() as server:
        directory = server.mock.store.new_directory("big", "generic")
        for i in range(5000):
            directory.create("User", _user(i), NOW, GENERIC)
        control = server.control
        snapshot = control.state.snapshot()
        assert len(json.dumps(snapshot)) > 1 * MIB
        control.reset(empty=True)
        assert server.mock.store.stats()["users"] == 0
        report = control.state.restore(snapshot)
        assert report["users"] == 5000
        assert server.mock.store.directories["big"].users.keys() == directory.users.keys()


def test_vendor_routes_keep_the_ordinary_body_limit() -> None:
    app, _ = _populated(0)
    response = app.test_client().post(  # type: ignore[attr-defined]
        "/scim/v2/big/Users",
        data=b" " * (1 * MIB + 1),
        headers={
            "Authorization": "Bearer big-directory-token-0001",
            "Content-Type": "application/scim+json",
        },
    )
    assert response.status_code == 413
    assert response.get_json()["status"] == "413"


def test_a_snapshot_past_max_state_bytes_is_the_control_planes_413() -> None:
    app, control = _populated(300, max_state_bytes=20_000)
    snapshot = control.state.snapshot()
    with pytest.raises(ControlError) as info:
        control.state.restore(snapshot)
    assert info.value.status == 413
    assert "20000" in info.value.message
    assert mock_of(app).store.stats()["users"] == 300  # nothing changed


def test_a_scenario_group_past_max_body_bytes_still_loads() -> None:
    """The builder posts each group as one SCIM request: a group larger than the vendor
    routes' limit (here 32 KiB, 2,000 members) must load, as ``scenario generate`` makes
    such groups at 20k users."""
    users = [{"userName": f"member{i:05d}@acme.test"} for i in range(2000)]
    scenario = {
        "mockscim_scenario": 1,
        "name": "big-group",
        "stytch": {
            "organizations": [
                {
                    "key": "acme",
                    "organization": {"organization_name": "Acme", "organization_slug": "acme"},
                    "scim_connection": {"bearer_token": "acme-known-token-0001"},
                    "directory": {
                        "users": users,
                        "groups": [
                            {
                                "displayName": "Everyone",
                                "members": [{"value": u["userName"]} for u in users],
                            }
                        ],
                    },
                }
            ]
        },
    }
    assert (
        len(json.dumps(scenario["stytch"]["organizations"][0]["directory"]["groups"])) > 32 * 1024
    )
    app = create_app(Settings(max_body_bytes=32 * 1024))
    report = Control(app).state.load(scenario)
    assert report["stytch"]["organizations"][0]["groups"]
    directory = next(iter(mock_of(app).store.directories.values()))
    (group,) = directory.groups.values()
    assert len(group.data["members"]) == 2000


def _lock_free_from_another_thread(lock: object) -> bool:
    """Whether another thread can take ``lock`` right now (it is not held by the caller)."""
    import threading

    got: list[bool] = []

    def take() -> None:
        acquired = lock.acquire(timeout=5)  # type: ignore[attr-defined]
        got.append(acquired)
        if acquired:
            lock.release()  # type: ignore[attr-defined]

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    return got == [True]


def test_reset_builds_the_baseline_without_holding_the_store_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 50k users, building the baseline took seconds under the lock: every other request
    waited (1.97 s measured). Now only the swap holds it."""
    app, control = _populated(50)
    mock = mock_of(app)
    mock.set_baseline()
    store = mock.store
    real = store.prepare
    seen: list[bool] = []

    def prepare(raw: dict[str, object]) -> object:
        seen.append(_lock_free_from_another_thread(store.lock))
        return real(raw)

    monkeypatch.setattr(store, "prepare", prepare)
    mock.store.directories["big"].users.clear()
    control.reset()
    assert seen == [True]
    assert mock.store.stats()["users"] == 50  # the baseline is back


def test_state_is_streamed_record_by_record_and_equals_the_snapshot() -> None:
    app, _ = _populated(40)
    response = app.test_client().get("/_mockscim/state")  # type: ignore[attr-defined]
    assert response.is_streamed
    body = response.get_data()
    assert json.loads(body) == json.loads(json.dumps(mock_of(app).snapshot()))


def test_json_chunks_is_json_dumps_in_pieces() -> None:
    import random

    from mockscim.control.routes import json_chunks

    rng = random.Random(20)

    def value(depth: int) -> object:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice([1, 2.5, 'x\u00e9"\u2603', None, True, [], {}, -0.0, 10**30])
        if rng.random() < 0.5:
            return [value(depth - 1) for _ in range(rng.randint(0, 4))]
        return {f"k{i}\u00e9": value(depth - 1) for i in range(rng.randint(0, 4))}

    for _ in range(500):
        item = value(7)
        assert b"".join(json_chunks(item, depth=rng.randint(0, 6))).decode() == json.dumps(item)
