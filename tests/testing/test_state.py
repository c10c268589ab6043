"""State snapshot/restore, scenario loading at runtime, reset baselines, and ``--state-file``
persistence (atomic: a kill at any moment leaves the old or the new snapshot)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from mockscim.app import create_app
from mockscim.control.client import Control, ControlError
from mockscim.engine.persistence import write_atomic
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from mockscim.testing.server import MockServer
from tests.serve_helper import serve


def stytch_scenario(**connection) -> dict:
    return {
        "mockscim_scenario": 1,
        "name": "one-org",
        "stytch": {
            "organizations": [
                {
                    "key": "acme",
                    "organization": {"organization_name": "Acme", "organization_slug": "acme"},
                    "scim_connection": {"bearer_token": "acme-known-token-0001", **connection},
                    "directory": {
                        "users": [
                            {"userName": "ada@acme.test", "name": {"givenName": "Ada"}},
                            {
                                "userName": "bob@acme.test",
                                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                                    "manager": {"value": "ada@acme.test"}
                                },
                            },
                        ],
                        "groups": [{"displayName": "Eng", "members": [{"value": "bob@acme.test"}]}],
                    },
                }
            ]
        },
    }


def test_snapshot_restore_round_trip(mockscim):
    mockscim.stytch.create_org("Acme", users=3, groups=1)
    snap = mockscim.state.snapshot()
    assert snap["version"] == 1 and "clock" in snap
    mockscim.reset()
    assert mockscim.state.stats()["users"] == 0
    mockscim.state.restore(snap)
    again = mockscim.state.snapshot()
    assert again["directories"] == snap["directories"]
    assert again["vendors"] == snap["vendors"]


def test_scenario_load_resolves_references_and_pins_tokens(mockscim):
    report = mockscim.state.load(stytch_scenario())
    org = report["stytch"]["organizations"][0]
    assert org["bearer_token"] == "acme-known-token-0001"
    base = mockscim.url + org["scim_base_path"]
    headers = {"Authorization": "Bearer acme-known-token-0001"}
    bob = requests.get(f"{base}/Users/{org['users']['bob@acme.test']}", headers=headers).json()
    ext = bob["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
    assert ext["manager"]["value"] == org["users"]["ada@acme.test"]
    group = requests.get(f"{base}/Groups/{org['groups']['Eng']}", headers=headers).json()
    assert [m["value"] for m in group["members"]] == [org["users"]["bob@acme.test"]]
    assert "acme-known-token-0001" not in json.dumps(mockscim.state.snapshot())


def test_scenario_mid_rotation_accepts_both_tokens(mockscim):
    report = mockscim.state.load(stytch_scenario(next_bearer_token="acme-next-token-0002"))
    org = report["stytch"]["organizations"][0]
    base = mockscim.url + org["scim_base_path"]
    for token, kind in (("acme-known-token-0001", "current"), ("acme-next-token-0002", "next")):
        r = requests.get(base + "/Users", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        assert mockscim.journal.last().credential == kind


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s.update(mockscim_scenario=2), "mockscim_scenario"),
        (lambda s: s.update(extra=1), "unknown key"),
        (
            lambda s: s["stytch"]["organizations"][0]["directory"]["groups"][0]["members"].append(
                {"value": "nobody@acme.test"}
            ),
            "groups[0].members",
        ),
        (
            lambda s: s["stytch"]["organizations"][0]["scim_connection"].update(bearer_token="x"),
            "bearer_token",
        ),
        (
            lambda s: s["stytch"]["organizations"][0]["scim_connection"].update(
                identity_provider="carrier-pigeon"
            ),
            "POST /v1/b2b/scim/",
        ),
        (
            lambda s: s["stytch"]["organizations"].append(s["stytch"]["organizations"][0]),
            "organizations[1]",
        ),
    ],
)
def test_bad_scenarios_are_refused_and_change_nothing(mockscim, mutate, message):
    mockscim.stytch.create_org("Keep Me", "keep-me", users=2)
    before = mockscim.state.snapshot()
    scenario = stytch_scenario()
    mutate(scenario)
    with pytest.raises(ControlError) as info:
        mockscim.state.load(scenario)
    assert info.value.status == 400 and message in info.value.message
    after = mockscim.state.snapshot()
    assert after["vendors"] == before["vendors"] and after["directories"] == before["directories"]


def test_merge_adds_and_replace_replaces(mockscim):
    mockscim.stytch.create_org("Globex", "globex")
    mockscim.state.load(stytch_scenario(), merge=True)
    slugs = {
        o["fields"]["organization_slug"]
        for o in mockscim.state.snapshot()["vendors"]["stytch"]["organizations"]
    }
    assert slugs == {"globex", "acme"}
    mockscim.state.load(stytch_scenario())
    slugs = {
        o["fields"]["organization_slug"]
        for o in mockscim.state.snapshot()["vendors"]["stytch"]["organizations"]
    }
    assert slugs == {"acme"}


def test_baseline_reset_and_empty_reset(tmp_path):
    file = tmp_path / "one.json"
    file.write_text(json.dumps(stytch_scenario()))
    with MockServer(Settings(scenario=str(file))) as server:
        assert server.state.stats() == {"directories": 1, "users": 2, "groups": 1}
        server.stytch.create_org("Other", users=3)
        server.reset()
        assert server.state.stats() == {"directories": 1, "users": 2, "groups": 1}
        # The pinned token still opens the re-seeded directory.
        org_id = (
            server.mock.store.vendor("stytch")
            .active_connection(next(iter(server.mock.store.vendor("stytch").organizations)))
            .connection_id
        )
        r = requests.get(
            f"{server.url}/v1/b2b/scim/{org_id}/Users",
            headers={"Authorization": "Bearer acme-known-token-0001"},
        )
        assert r.status_code == 200 and r.json()["totalResults"] == 2
        server.reset(empty=True)
        assert server.state.stats()["directories"] == 0
        assert requests.post(f"{server.url}/_mockscim/reset", json={}).json()["users"] == 2


def test_put_state_with_baseline_flag(mockscim_app):
    mockscim_app.state.load(stytch_scenario(), baseline=True)
    mockscim_app.stytch.create_org("Other", users=2)
    mockscim_app.reset()
    assert mockscim_app.state.stats()["users"] == 2


def test_put_state_rejects_garbage(mockscim_app):
    assert (
        mockscim_app.put(
            "/_mockscim/state", data="{nope", content_type="application/json"
        ).status_code
        == 400
    )
    assert mockscim_app.put("/_mockscim/state", json={"version": 99}).status_code == 400
    assert mockscim_app.put("/_mockscim/state?merge=1", json={"version": 1}).status_code == 400


# ---------------------------------------------------------------------------- state file
def test_state_file_is_written_after_changes_and_loaded_at_start(tmp_path):
    path = tmp_path / "state.json"
    with MockServer(Settings(state_file=str(path))) as server:
        assert json.loads(path.read_text())["version"] == 1  # exists from the first moment
        client = server.stytch_client()
        client.organizations.create(organization_name="Acme", organization_slug="acme")
        deadline = time.monotonic() + 10
        while "acme" not in path.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "acme" in path.read_text()
        client.organizations.create(organization_name="Beta", organization_slug="beta")
    # Stopping flushes the last change even inside the debounce window.
    assert "beta" in path.read_text()
    with MockServer(Settings(state_file=str(path))) as again:
        found = again.stytch_client().organizations.search()
        assert sorted(o.organization_slug for o in found.organizations) == ["acme", "beta"]


def test_state_file_that_is_not_json_stops_start(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{torn")
    app = create_app(Settings(state_file=str(path)))
    with pytest.raises(ValueError, match="not valid JSON"):
        mock_of(app).open()


#: A child that writes a new snapshot with ``write_atomic`` and is SIGKILLed by itself at one
#: exact step: ``fsync`` (data written to the temporary file, not yet durable) or ``replace``
#: (temporary file complete, not yet renamed over the target).
KILLED_WRITER = textwrap.dedent(
    """
    import json, os, signal, sys
    from mockscim.engine import persistence
    path, step = sys.argv[1], sys.argv[2]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if step == "fsync":
        persistence.os.fsync = die
    else:
        persistence.os.replace = die
    persistence.write_atomic(path, json.dumps({"n": 2, "pad": "y" * 500_000}).encode())
    """
)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_kill_during_write_leaves_the_previous_complete_snapshot(tmp_path, step):
    """A writer killed mid-write (before the rename) leaves the previous snapshot intact."""
    path = tmp_path / "state.json"
    write_atomic(path, json.dumps({"n": 1, "pad": "x" * 1000}).encode())
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(path), step], env=env, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL  # it really died at that step
    data = json.loads(path.read_text())
    assert data == {"n": 1, "pad": "x" * 1000}
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "state.json"]
    assert len(leftovers) == 1 and leftovers[0].endswith(".tmp")  # the torn temporary file


def test_a_completed_write_replaces_the_snapshot_whole(tmp_path):
    path = tmp_path / "state.json"
    write_atomic(path, json.dumps({"n": 1}).encode())
    write_atomic(path, json.dumps({"n": 2, "pad": "y" * 500_000}).encode())
    assert json.loads(path.read_text()) == {"n": 2, "pad": "y" * 500_000}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_serve_killed_mid_traffic_restarts_from_its_state_file(tmp_path):
    path = tmp_path / "state.json"
    with serve("--state-file", str(path), merge_stderr=True, stop_signal=signal.SIGKILL) as served:
        ctl = Control(served.url)
        ctl.stytch.create_org("First", "first", users=3)
        deadline = time.monotonic() + 10
        while "first" not in path.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        for i in range(30):  # keep the writer busy, then kill without warning
            ctl.stytch.create_org(f"Org {i}", f"org-{i}", users=2)
    snapshot = json.loads(path.read_text())
    slugs = {
        o["fields"]["organization_slug"] for o in snapshot["vendors"]["stytch"]["organizations"]
    }
    assert "first" in slugs
    with serve("--state-file", str(path), merge_stderr=True, stop_signal=signal.SIGTERM) as served:
        loaded = Control(served.url).state.snapshot()
        assert loaded["vendors"]["stytch"] == snapshot["vendors"]["stytch"]
