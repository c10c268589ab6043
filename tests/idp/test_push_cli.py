"""``mockscim push`` end to end against a live loopback server."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mockscim.cli.main import main
from mockscim.cli.push import ProgressBar

from .conftest import GenericTarget, small_directory


def test_push_generated_directory_then_rerun_sends_nothing(
    target: GenericTarget, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "idp-state.json"
    args = ["push", "--idp", "okta", "--base-url", target.base_url, "--token", target.token]
    args += ["--seed", "5", "--users", "8", "--groups", "2", "--domain", "acme.test"]
    args += ["--state", str(state)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "okta push to" in out and "users: created 8" in out and "groups: created 2" in out
    assert len(target.users()) == 8
    assert all(name.endswith("@acme.test") for name in target.users())
    assert json.loads(state.read_text())["users"]

    assert main(args) == 0
    out = capsys.readouterr().out
    assert ": 0 requests" in out and "users: no changes" in out


def test_push_scenario_file_as_json_report(
    target: GenericTarget, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "directory.json"
    scenario.write_text(json.dumps(small_directory().to_json()))
    code = main(
        [
            "push",
            "--idp",
            "entra",
            "--base-url",
            target.base_url + "?aadOptscim062020",
            "--token",
            target.token,
            "--scenario",
            str(scenario),
            "--json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["profile"] == "entra"
    assert report["counts"] == {"Group.created": 2, "User.created": 3}
    assert all(target.token not in json.dumps(r) for r in report["requests"])
    assert set(target.users()) == {"ada@example.com", "bob@example.com", "cy@example.com"}


def test_bad_token_exits_non_zero_with_the_reason(
    target: GenericTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["push", "--base-url", target.base_url, "--token", "wrong", "--seed", "1", "--users", "2"]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "ABORTED" in out and "401" in out


def test_unreadable_scenario_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    code = main(["push", "--base-url", "http://x", "--token", "t", "--scenario", str(bad)])
    assert code == 2
    assert "error" in capsys.readouterr().err


def test_progress_bar_draws_on_a_terminal_and_prints_tenths_elsewhere() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10, enabled=True)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    assert stream.getvalue() == "\r[#####-----] 5/10\r[##########] 10/10\n"
    log = io.StringIO()
    lines = ProgressBar(log)  # StringIO is not a TTY: periodic lines, not a bar
    for done in range(1, 2001):
        lines(done, 2000)
    lines.close()
    printed = log.getvalue().splitlines()
    assert printed[0] == "push: 1/2000 (0%)"  # it started
    assert printed[1] == "push: 200/2000 (10%)" and printed[-1] == "push: 2000/2000 (100%)"
    assert len(printed) == 11 and "\r" not in log.getvalue()


def test_push_a_mockscim_scenario_file_by_org_key(
    target: GenericTarget, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    scenario = {
        "mockscim_scenario": 1,
        "stytch": {"organizations": [{"key": "other", "organization": {}}]},
        "ssoready": {
            "organizations": [
                {
                    "key": "acme",
                    "organization": {"domains": ["acme.test"]},
                    "scim_directories": [
                        {
                            "primary": True,
                            "directory": {
                                "users": [
                                    {"userName": "boss@acme.test"},
                                    {
                                        "userName": "dev@acme.test",
                                        "externalId": "ext-dev",
                                        enterprise: {"manager": {"value": "boss@acme.test"}},
                                    },
                                ],
                                "groups": [
                                    {"displayName": "Devs", "members": [{"value": "dev@acme.test"}]}
                                ],
                            },
                        }
                    ],
                }
            ]
        },
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    base = ["push", "--base-url", target.base_url, "--token", target.token, "--scenario", str(path)]
    assert main([*base, "--org", "acme"]) == 0
    users = target.users()
    assert users["dev@acme.test"][enterprise]["manager"]["value"] == users["boss@acme.test"]["id"]
    assert target.groups()["Devs"]["members"][0]["value"] == users["dev@acme.test"]["id"]
    capsys.readouterr()
    assert main([*base, "--org", "nobody"]) == 2
    assert "no SCIM directory for organization 'nobody'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "base_url",
    ["URL", "127.0.0.1:8765/v1/scim/x", "ftp://host/scim", "http://", "http://host:99999/x", ""],
)
def test_a_bad_base_url_is_a_one_line_usage_error(
    base_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's placeholder (``--base-url URL``) printed a 4-line ABORTED report with exit 1;
    it is a usage error: one line on stderr, exit 2, nothing sent."""
    code = main(["push", "--base-url", base_url, "--token", "t", "--seed", "1", "--users", "2"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("mockscim push: error: --base-url") and "http" in line
