"""A contract run against a mock never takes the vendors' variables: a Stytch or SSOReady
user's shell holds real credentials, and a mock target gets its own from the mock."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from contract_tests.harness.targets import TargetUnavailable, resolve  # noqa: E402
from mockscim.settings import Settings  # noqa: E402
from mockscim.testing.server import MockServer  # noqa: E402

USER_SHELL = {
    "STYTCH_PROJECT_ID": "project-live-junk",
    "STYTCH_SECRET": "junk",
    "SSOREADY_API_KEY": "junk",
    "SSOREADY_APP_KEY": "junk",
}


def test_served_mock_credentials_come_from_the_mock():
    settings = Settings(stytch_secret="served-secret", ssoready_api_key="ssoready_sk_served")
    with MockServer(settings) as server:
        target = resolve({**USER_SHELL, "MOCKSCIM_TARGET": server.url})
    assert target.stytch_secret == "served-secret"
    assert target.stytch_project_id == settings.stytch_project_id
    assert target.ssoready_api_key == "ssoready_sk_served"
    assert target.ssoready_app_key == settings.ssoready_app_key


def test_mockscim_variables_override_and_the_token_is_used():
    settings = Settings(control_token="tok")
    with MockServer(settings) as server:
        env = {
            **USER_SHELL,
            "MOCKSCIM_TARGET": server.url,
            "MOCKSCIM_CONTROL_TOKEN": "tok",
            "MOCKSCIM_STYTCH_SECRET": "override",
        }
        target = resolve(env)
        assert target.stytch_secret == "override"
        assert target.control().state.stats()["users"] == 0
        with pytest.raises(TargetUnavailable, match="MOCKSCIM_CONTROL_TOKEN"):
            resolve({**USER_SHELL, "MOCKSCIM_TARGET": server.url})


def test_in_process_target_ignores_the_vendor_variables():
    target = resolve({**USER_SHELL, "MOCKSCIM_TARGET": "inprocess"})
    assert target.stytch_secret == Settings().stytch_secret
    assert target.ssoready_api_key == Settings().ssoready_api_key
