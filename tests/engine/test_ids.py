"""Seeded ids (``serve --seed N``, ``Settings.seed``): the same seed and scenario give the same
ids, SCIM base URLs and tokens on every start, so a user can keep them in a ``.env`` file;
without a seed they come from the OS and differ every time."""

from __future__ import annotations

import json
import re
from typing import Any

from mockscim.app import create_app
from mockscim.engine import tokens
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from tests.serve_helper import serve

ACME_USER = {"userName": "new.hire@acme.test", "name": {"givenName": "New", "familyName": "H"}}


def _started(seed: int | None, scenario: str = "demo") -> tuple[Any, dict[str, Any]]:
    app = create_app(Settings(seed=seed, scenario=scenario))
    mock = mock_of(app)
    mock.open()
    assert mock.scenario_report is not None
    return app, mock.scenario_report


def _acme(report: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in report["stytch"]["organizations"] if o["key"] == "acme")


def _create_user_and_rotate(app: Any, report: dict[str, Any]) -> tuple[str, str]:
    """A SCIM user created by an IdP, then a freshly rotated SSOReady token."""
    client = app.test_client()
    acme = _acme(report)
    created = client.post(
        f"{acme['scim_base_path']}/Users",
        json=ACME_USER,
        headers={"Authorization": f"Bearer {acme['bearer_token']}"},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    umbrella = next(o for o in report["ssoready"]["organizations"] if o["key"] == "umbrella")
    directory_id = umbrella["scim_directories"][0]["id"]
    rotated = client.post(
        f"/v1/scim-directories/{directory_id}/rotate-bearer-token",
        headers={"Authorization": "Bearer ssoready_sk_mockscimmanagementkey0000000000"},
    )
    assert rotated.status_code == 200, rotated.get_data(as_text=True)
    return created.get_json()["id"], rotated.get_json()["bearerToken"]


def test_same_seed_and_scenario_give_the_same_ids_base_paths_and_tokens():
    app_a, report_a = _started(42)
    app_b, report_b = _started(42)
    assert report_a == report_b  # every id and SCIM base path of the demo
    assert _create_user_and_rotate(app_a, report_a) == _create_user_and_rotate(app_b, report_b)
    info_a = app_a.test_client().get("/_mockscim/info").get_json()
    info_b = app_b.test_client().get("/_mockscim/info").get_json()
    assert json.dumps(info_a, sort_keys=True) == json.dumps(info_b, sort_keys=True)


def test_different_or_no_seed_gives_different_ids():
    _, seeded = _started(42)
    _, other = _started(43)
    _, unseeded_a = _started(None)
    _, unseeded_b = _started(None)
    ids = {_acme(r)["connection_id"] for r in (seeded, other, unseeded_a, unseeded_b)}
    assert len(ids) == 4


def test_a_reset_repeats_the_ids_minted_after_the_baseline():
    app, report = _started(7)
    first = _create_user_and_rotate(app, report)
    mock_of(app).reset()
    assert _create_user_and_rotate(app, report) == first


def test_ids_minted_after_restoring_a_seeded_snapshot_do_not_repeat_its_ids():
    """A state file written by an earlier run with the same seed holds ids minted after the
    baseline; the next run must not mint them again (the stream forks on restored state)."""
    app, report = _started(7)
    first_user, _ = _create_user_and_rotate(app, report)
    saved = mock_of(app).snapshot()
    app2, report2 = _started(7)
    mock_of(app2).load(saved)
    client = app2.test_client()
    acme = _acme(report2)
    created = client.post(
        f"{acme['scim_base_path']}/Users",
        json={**ACME_USER, "userName": "second.hire@acme.test"},
        headers={"Authorization": f"Bearer {acme['bearer_token']}"},
    )
    assert created.status_code == 201
    assert created.get_json()["id"] != first_user


def test_unseeded_source_uses_the_os_and_seeded_sources_repeat():
    assert not tokens.SYSTEM.seeded
    a, b = tokens.IdSource(1), tokens.IdSource(1)
    assert a.token_bytes(16) == b.token_bytes(16)
    assert a.choices("ab", 30) == b.choices("ab", 30)
    with tokens.using(tokens.IdSource(9)):
        seeded = tokens.random_uuid()
    with tokens.using(tokens.IdSource(9)):
        assert tokens.random_uuid() == seeded
    assert tokens.random_uuid() != tokens.random_uuid()  # outside: the OS


def _banner_scenario_lines(*args: str) -> list[str]:
    with serve(*args) as served:
        lines = [served.readline() for _ in range(8)]
        url = served.url
    scenario = [line.replace(url, "URL") for line in lines if line.lstrip().startswith("scenario")]
    assert len(scenario) == 4, lines
    return scenario


def test_two_serve_runs_with_the_same_seed_print_the_same_base_urls():
    first = _banner_scenario_lines("--seed", "11")
    second = _banner_scenario_lines("--seed", "11")
    assert first == second
    assert re.search(r"URL/v1/b2b/scim/scim-connection-test-[0-9a-f-]{36} ", first[0])


def _login(app: Any, report: dict[str, Any]) -> dict[str, Any]:
    email = next(iter(_acme(report)["members"]))
    r = app.test_client().post("/_mockscim/stytch/login", json={"member": email})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_session_tokens_follow_the_seed_too():
    """Session tokens are derived from the session id with the source's key (never stored):
    a seeded mock mints the same ones on every start, an unseeded one never repeats."""
    first = _login(*_started(7))
    second = _login(*_started(7))
    assert first["session_token"] == second["session_token"]
    assert len(first["session_token"]) == 44
    unseeded = [_login(*_started(None))["session_token"] for _ in range(2)]
    assert unseeded[0] != unseeded[1] != first["session_token"]
