"""The pytest plugin as a user meets it: run inner pytest sessions with ``pytester`` (the
plugin is picked up from the installed entry point, no conftest.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", *args)


def test_reset_between_tests_no_state_leaks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        def test_a_creates(mockscim):
            mockscim.stytch.create_org("Leaky", "leaky", users=2)
            mockscim.faults.error("**", 500, vendor="stytch")
            mockscim.clock.freeze("2001-01-01T00:00:00Z")
            assert mockscim.state.stats()["users"] == 2

        def test_b_sees_nothing(mockscim):
            assert mockscim.state.stats() == {"directories": 0, "users": 0, "groups": 0}
            assert mockscim.faults.list() == []
            assert mockscim.clock.mode == "real"
            assert mockscim.journal.entries() == []
            r = requests.post(
                mockscim.url + "/v1/b2b/organizations/search", json={},
                auth=(mockscim.settings.stytch_project_id, mockscim.settings.stytch_secret),
            )
            assert r.status_code == 200 and r.json()["organizations"] == []
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_server_side_exception_fails_the_test_with_its_traceback(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        def test_boom(mockscim):
            store = mockscim.mock.store
            def explode(name):
                raise RuntimeError("kaboom in the server")
            store.vendor = explode  # the next vendor request raises inside the server
            try:
                s = mockscim.settings
                r = requests.get(
                    mockscim.url + "/v1/b2b/organizations/explode",
                    auth=(s.stytch_project_id, s.stytch_secret),
                )
            finally:
                del store.vendor
            assert r.status_code == 500  # the client only sees a 500 ...

        def test_next_one_is_clean(mockscim):
            assert True
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    # ... but the test fails with the server-side traceback.
    result.stdout.fnmatch_lines(["*MockscimServerError*", "*RuntimeError: kaboom in the server*"])


def test_sdk_fixtures_skip_with_a_reason_when_the_sdk_is_missing(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import sys
        sys.modules["stytch"] = None  # simulate: not installed
        sys.modules["ssoready"] = None
        """
    )
    pytester.makepyfile(
        """
        def test_stytch(stytch_client):
            pass

        def test_ssoready(ssoready_client):
            pass
        """
    )
    result = run(pytester, "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(
        [
            "*the stytch SDK is not installed (pip install stytch)*",
            "*ssoready SDK is not installed*",
        ]
    )


def test_sdk_fixture_aims_at_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_stytch(stytch_client, mockscim):
            stytch_client.organizations.create(organization_name="Acme", organization_slug="acme")
            mockscim.journal.assert_called("POST", "/v1/b2b/organizations", credential="api_key")
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_option_precedence_flag_over_ini_over_env(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini(
        """
        [pytest]
        mockscim_stytch_secret = from-ini
        mockscim_seed = 5
        """
    )
    pytester.makepyfile(
        """
        import os

        def test_settings(mockscim):
            s = mockscim.settings
            assert (s.stytch_secret, s.seed, s.ssoready_api_key) == (
                os.environ["EXPECT_SECRET"], int(os.environ["EXPECT_SEED"]), "ssoready_sk_fromenv"
            )
        """
    )
    monkeypatch.setenv("MOCKSCIM_STYTCH_SECRET", "from-env")
    monkeypatch.setenv("MOCKSCIM_SSOREADY_API_KEY", "ssoready_sk_fromenv")
    monkeypatch.setenv("EXPECT_SECRET", "from-ini")
    monkeypatch.setenv("EXPECT_SEED", "5")
    run(pytester).assert_outcomes(passed=1)
    monkeypatch.setenv("EXPECT_SECRET", "from-flag")
    monkeypatch.setenv("EXPECT_SEED", "9")
    run(pytester, "--mockscim-stytch-secret=from-flag", "--mockscim-seed=9").assert_outcomes(
        passed=1
    )


def test_scenario_option_is_the_reset_baseline(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".json",
        one="""
        {"mockscim_scenario": 1,
         "stytch": {"organizations": [{
            "organization": {"organization_name": "Acme", "organization_slug": "acme"},
            "scim_connection": {"bearer_token": "acme-token-0001"},
            "directory": {"users": [{"userName": "ada@acme.test"}]}}]}}
        """,
    )
    pytester.makepyfile(
        """
        def test_one(mockscim):
            assert mockscim.state.stats()["users"] == 1
            mockscim.stytch.create_org("More", users=3)

        def test_two(mockscim):
            assert mockscim.state.stats()["users"] == 1
        """
    )
    run(pytester, "--mockscim-scenario=one.json").assert_outcomes(passed=2)


def test_factories_are_seeded_per_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json, pathlib

        def test_record(scim_user_factory, scim_group_factory, request):
            user = scim_user_factory(domain="acme.test")
            group = scim_group_factory(members=[user["userName"]])
            out = pathlib.Path(request.config.rootpath, "out.jsonl")
            with out.open("a") as f:
                f.write(json.dumps([user, group]) + "\\n")
            assert user["userName"].endswith("@acme.test")
            assert group["members"] == [{"value": user["userName"]}]
        """
    )
    run(pytester).assert_outcomes(passed=1)
    run(pytester).assert_outcomes(passed=1)
    first, second = (pytester.path / "out.jsonl").read_text().splitlines()
    assert first == second
    run(pytester, "--mockscim-seed=3").assert_outcomes(passed=1)
    third = (pytester.path / "out.jsonl").read_text().splitlines()[2]
    assert third != first


def test_mockscim_app_is_in_process_with_control_handles(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_app(mockscim_app):
            org = mockscim_app.stytch.create_org("Acme", users=2)
            r = mockscim_app.get(
                org["scim_base_path"] + "/Users",
                headers={"Authorization": "Bearer " + org["bearer_token"]},
            )
            assert r.status_code == 200 and r.get_json()["totalResults"] == 2
            mockscim_app.journal.assert_called("GET", "/v1/b2b/scim/*/Users", credential="current")
            assert mockscim_app.url is None
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_url_option_drives_a_running_mock(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mockscim.testing.server import MockServer

    # The inner run is a plain pytest even when this suite runs under xdist (-n): without this
    # it would inherit the worker's variable and refuse --mockscim-url, as it should under -n.
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)

    pytester.makepyfile(
        """
        def test_remote(mockscim, stytch_client):
            org = mockscim.stytch.create_org("Remote", users=1)
            assert org["base_url"].startswith(mockscim.url)
            found = stytch_client.organizations.get(organization_id=org["organization_id"])
            assert found.organization.organization_name == "Remote"
        """
    )
    with MockServer() as server:
        server.stytch.create_org("Stale", "stale")
        run(pytester, f"--mockscim-url={server.url}").assert_outcomes(passed=1)
        # The inner session's reset emptied the outer server: it really drove that one.
        orgs = server.mock.store.vendor("stytch").organizations
        assert [o.slug for o in orgs.values()] == ["remote"]


def test_ssoready_profile_option_and_ini(pytester: pytest.Pytester) -> None:
    """``--mockscim-ssoready-profile`` (and the ini key ``mockscim_ssoready_profile``) choose
    SSOReady's SCIM server profile; the default is ``exact``."""
    pytester.makepyfile(
        """
        import requests

        def test_profile(mockscim, request):
            info = requests.get(mockscim.url + "/_mockscim/info", timeout=10).json()
            assert info["profiles"] == {"ssoready": request.config.getini("expected")}
        """
    )
    pytester.makeini("[pytest]\nexpected = exact\n")
    pytester.makeconftest(
        "def pytest_addoption(parser):\n    parser.addini('expected', 'profile')\n"
    )
    run(pytester).assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nexpected = rfc\nmockscim_ssoready_profile = rfc\n")
    run(pytester).assert_outcomes(passed=1)


def test_unknown_ssoready_profile_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(mockscim):\n    pass\n")
    result = run(pytester, "--mockscim-ssoready-profile", "strict")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*--mockscim-ssoready-profile: 'strict' is not one of exact, rfc*"]
    )
