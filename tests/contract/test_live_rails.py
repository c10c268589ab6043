"""The live target layer's safety rails, proven against a mock standing in for Stytch.

A ``stytch-live`` target is aimed at a served mock (its base URL overridden) with faults
injected through ``/_mockscim/faults``: 429 + Retry-After must be waited out, a failure in the
middle of a scenario must still clean up newest-first, everything created must carry the run's
prefix, and no secret may reach the log.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from contract_tests.harness.safety import Cleanup, Namer, Scrubber  # noqa: E402
from contract_tests.harness.targets import Target, TargetUnavailable, resolve  # noqa: E402
from contract_tests.harness.vendors import Stytch  # noqa: E402
from mockscim.http.headers import parse_retry_after  # noqa: E402
from mockscim.settings import Settings  # noqa: E402
from mockscim.testing.server import MockServer  # noqa: E402

SETTINGS = Settings()
LIVE_ENV = {
    "MOCKSCIM_TARGET": "stytch-live",
    "MOCKSCIM_LIVE_OK": "1",
    "STYTCH_PROJECT_ID": SETTINGS.stytch_project_id,
    "STYTCH_SECRET": SETTINGS.stytch_secret,
}


@pytest.fixture
def stand_in(mockscim: MockServer) -> MockServer:
    return mockscim


def live_target(server: MockServer) -> Target:
    return resolve(LIVE_ENV, stytch_base=server.url)


def fault(server: MockServer, **rule: object) -> None:
    import requests

    r = requests.post(f"{server.url}/_mockscim/faults", json=rule, timeout=5)
    assert r.status_code in (200, 201), r.text


def journal(server: MockServer, method: str) -> list[dict]:
    import requests

    r = requests.get(f"{server.url}/_mockscim/requests", params={"method": method}, timeout=5)
    return r.json()["requests"]


# ---------------------------------------------------------------- opt-in
@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"MOCKSCIM_TARGET": "stytch-live"}, "set MOCKSCIM_LIVE_OK=1"),
        ({"MOCKSCIM_TARGET": "ssoready-live"}, "set MOCKSCIM_LIVE_OK=1"),
        (
            {"MOCKSCIM_TARGET": "stytch-live", "MOCKSCIM_LIVE_OK": "1"},
            "set STYTCH_PROJECT_ID and STYTCH_SECRET",
        ),
        (
            {"MOCKSCIM_TARGET": "ssoready-live", "MOCKSCIM_LIVE_OK": "1"},
            "set SSOREADY_API_KEY",
        ),
        (
            {
                "MOCKSCIM_TARGET": "stytch-live",
                "MOCKSCIM_LIVE_OK": "1",
                "STYTCH_PROJECT_ID": "project-live-1234",
                "STYTCH_SECRET": "s",
            },
            "refusing a live-environment project",
        ),
        ({"MOCKSCIM_TARGET": "prod"}, "is not one of"),
    ],
)
def test_live_targets_need_opt_in_and_credentials(env: dict[str, str], reason: str) -> None:
    with pytest.raises(TargetUnavailable, match=reason):
        resolve(env)


def test_live_target_with_opt_in_and_credentials_resolves() -> None:
    target = resolve(LIVE_ENV)
    assert target.live and target.vendors == {"stytch"}
    assert target.stytch_base == "https://test.stytch.com"
    assert SETTINGS.stytch_secret in target.scrubber.secrets


# ---------------------------------------------------------------- Retry-After
def test_429_retry_after_is_waited_out(stand_in: MockServer) -> None:
    target = live_target(stand_in)
    slept: list[float] = []
    http = target.http(target.stytch_base, sleep=slept.append)
    driver = Stytch(target, http, Namer(), Cleanup())
    fault(stand_in, path="/v1/b2b/organizations", method="POST", status=429, retry_after=3, count=2)
    org = driver.create_org(None)
    assert org["organization_id"].startswith("organization-test-")
    assert slept == [3.0, 3.0]
    assert [e["status"] for e in journal(stand_in, "POST")] == [429, 429, 200]
    driver.cleanup.run()


def test_a_retry_after_beyond_the_limit_is_not_slept(stand_in: MockServer) -> None:
    target = live_target(stand_in)
    slept: list[float] = []
    http = target.http(target.stytch_base, sleep=slept.append, max_wait=10)
    fault(stand_in, path="/v1/b2b/organizations/**", status=429, retry_after=3600, count=1)
    resp = http.request(
        "GET", "/v1/b2b/organizations/x", headers=Stytch(target, http, Namer(), Cleanup()).auth()
    )
    assert resp.status == 429 and slept == []


def test_retry_after_http_date_form() -> None:
    assert parse_retry_after("7") == 7.0
    then = datetime.fromtimestamp(1445412470.0, UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: then) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("1.5") is None  # delta-seconds is digits only
    assert parse_retry_after("-3") is None


# ---------------------------------------------------------------- prefix + cleanup order
def test_failure_mid_scenario_still_cleans_up_newest_first(stand_in: MockServer) -> None:
    target = live_target(stand_in)
    namer = Namer()
    cleanup = Cleanup()
    driver = Stytch(target, target.http(target.stytch_base), namer, cleanup)
    fault(stand_in, path="/v1/b2b/scim/*/connection/*/rotate/start", status=500, count=1)
    with pytest.raises(AssertionError, match="the injected 500 stops the scenario here"):
        org = driver.create_org(None)
        conn, _ = driver.create_connection(org["organization_id"], None)
        member = driver.call(
            None,
            "POST",
            f"/v1/b2b/organizations/{org['organization_id']}/members",
            body={"email_address": namer.email("m", "example.com")},
        )
        assert member.status == 200
        started = driver.rotate(None, org["organization_id"], conn["connection_id"], "start")
        assert started.status == 200, "the injected 500 stops the scenario here"

    # Everything created carries the run's prefix.
    state = stand_in.mock.store.vendor("stytch")
    orgs = list(state.organizations.values())
    assert len(orgs) == 1
    assert orgs[0].fields["organization_name"].startswith(namer.prefix)
    assert orgs[0].slug.startswith(namer.prefix)
    assert all(c.display_name.startswith(namer.prefix) for c in state.connections.values())
    assert all(m.email_address.startswith(namer.prefix) for m in state.members.values())

    failures = cleanup.run()
    assert failures == []
    assert cleanup.done == [
        f"stytch: delete SCIM connection {conn['connection_id']}",
        f"stytch: delete organization {org['organization_id']}",
    ]
    deletes = [e["path"] for e in journal(stand_in, "DELETE")]
    assert deletes == [
        f"/v1/b2b/scim/{org['organization_id']}/connection/{conn['connection_id']}",
        f"/v1/b2b/organizations/{org['organization_id']}",
    ]
    assert state.organizations == {}


def test_cleanup_keeps_going_past_a_failing_step() -> None:
    done: list[str] = []
    cleanup = Cleanup()
    cleanup.push("first", lambda: done.append("first"))
    cleanup.push("broken", lambda: 1 / 0)
    cleanup.push("last", lambda: done.append("last"))
    failures = cleanup.run()
    assert done == ["last", "first"]
    assert [d for d, _ in failures] == ["broken"]


# ---------------------------------------------------------------- secrets
def test_logs_never_show_secrets_or_minted_tokens(
    stand_in: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    target = live_target(stand_in)
    http = target.http(target.stytch_base)
    driver = Stytch(target, http, Namer(), Cleanup())
    caplog.set_level("INFO", logger="mockscim.contract")
    org = driver.create_org(None)
    conn, _ = driver.create_connection(org["organization_id"], None)
    token = conn["bearer_token"]
    # A token in a URL (as a careless caller might put it) is scrubbed from the log line.
    http.request("GET", f"/v1/b2b/organizations/{token}", headers=driver.auth())
    driver.cleanup.run()
    text = "\n".join(http.log) + caplog.text
    assert token not in text
    assert SETTINGS.stytch_secret not in text
    assert "[REDACTED]" in text


def test_scrubber_replaces_longest_secret_first() -> None:
    s = Scrubber(["abcd", "abcdefgh"])
    assert s.scrub("x abcdefgh y abcd") == "x [REDACTED] y [REDACTED]"
