"""``mockscim scenario``: what it generates loads in the tool (SSOReady tokens the vendor could
mint, groups of any size), ``--users`` means users in all, long runs report progress, the
bundled scenarios are listed and the format is printed without a checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockscim.app import create_app
from mockscim.cli.main import main
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from mockscim.testing.factories import Factory, generate_scenario, split_evenly

CLI = [sys.executable, "-m", "mockscim.cli.main", "scenario"]
TOKEN_PREFIX = "ssoready_scim_bearer_token_"


def _users(scenario: dict) -> list[int]:
    counts = [len(o["directory"]["users"]) for o in scenario["stytch"]["organizations"]]
    for org in scenario["ssoready"]["organizations"]:
        counts += [
            len((d.get("directory") or {}).get("users", [])) for d in org["scim_directories"]
        ]
    return counts


def test_generated_ssoready_tokens_are_ones_ssoready_could_mint():
    """ssoready/ssoready ``internal/store/idformat``: ``SCIMBearerToken.Format(uuid.New())``:
    25 base-36 digits of a 128-bit UUID. 25 random digits are >= 2**128 about half the time,
    which the real parser (and ``exact``) treats as an invariant failure."""
    factory = Factory(0)
    for _ in range(200):
        digits = factory.ssoready_token().removeprefix(TOKEN_PREFIX)
        assert len(digits) == 25
        value = int(digits, 36)
        assert value < 2**128
        assert (value >> 76) & 0xF == 4  # a version-4 UUID, as uuid.New() makes


@pytest.mark.parametrize("seed", range(6))
def test_generated_scenarios_load_in_exact_and_their_tokens_work(seed):
    app = create_app(Settings(ssoready_profile="exact"))
    report = mock_of(app).load(generate_scenario(seed, 4, 2, stytch_orgs=0, ssoready_orgs=2))
    client = app.test_client()
    for org in report["ssoready"]["organizations"]:
        (directory,) = org["scim_directories"]
        listed = client.get(
            f"{directory['scim_base_path']}/Users",
            headers={"Authorization": f"Bearer {directory['bearer_token']}"},
        )
        assert listed.status_code == 200, listed.get_data(as_text=True)


def test_users_and_groups_are_totals_spread_over_the_organizations(capsys):
    assert main(["scenario", "generate", "--seed", "3", "--users", "25", "--groups", "5"]) == 0
    scenario = json.loads(capsys.readouterr().out)
    assert _users(scenario) == [13, 12]
    groups = [len(o["directory"]["groups"]) for o in scenario["stytch"]["organizations"]]
    groups += [
        len(d["directory"]["groups"])
        for o in scenario["ssoready"]["organizations"]
        for d in o["scim_directories"]
    ]
    assert groups == [3, 2]
    assert split_evenly(7, 3) == [3, 2, 2] and split_evenly(5, 0) == []


def test_users_need_an_organization(capsys):
    argv = ["scenario", "generate", "--users", "5", "--stytch-orgs", "0", "--ssoready-orgs", "0"]
    assert main(argv) == 2
    assert "at least one organization" in capsys.readouterr().err


def test_long_generation_reports_progress_on_stderr(tmp_path: Path):
    out = tmp_path / "big.json"
    done = subprocess.run(
        [*CLI, "generate", "--users", "5000", "--groups", "2", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("generating:")]
    assert len(progress) >= 2 and progress[-1].startswith("generating: 5000/5000 users")
    assert sum(_users(json.loads(out.read_text()))) == 5000
    assert "5000 users" in done.stderr.splitlines()[-1]


def test_a_group_larger_than_the_body_limit_still_builds():
    """``scenario generate --users 20000`` made a 19,869-member group (a 1.3 MB POST) that the
    builder's own request could not send under the 1 MiB limit, so ``scenario check`` refused
    the tool's own output. Same shape here, with a small limit."""
    factory = Factory(1)
    org = factory.stytch_org(users=120, groups=0)
    org["directory"]["groups"] = [
        factory.scim_group("Everyone", [u["userName"] for u in org["directory"]["users"]])
    ]
    scenario = {"mockscim_scenario": 1, "stytch": {"organizations": [org]}}
    body = json.dumps(org["directory"]["groups"][0])
    limit = 4096
    assert len(body) > limit
    app = create_app(Settings(max_body_bytes=limit))
    report = mock_of(app).load(scenario)
    assert report["users"] == 120 and report["groups"] == 1
    # The served surface keeps its limit.
    (built,) = report["stytch"]["organizations"]
    too_big = app.test_client().post(
        f"{built['scim_base_path']}/Groups",
        data=body,
        headers={
            "Authorization": f"Bearer {built['bearer_token']}",
            "Content-Type": "application/scim+json",
        },
    )
    assert too_big.status_code == 413


def test_list_names_every_bundled_scenario(capsys):
    assert main(["scenario", "list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["demo", "generated-small", "ssoready-tokens", "stytch-rotation"]


def test_format_prints_the_bundled_format_doc(capsys):
    assert main(["scenario", "format"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Scenario files") and '"mockscim_scenario": 1' in out


def test_help_points_at_what_a_pip_user_has(capsys):
    with pytest.raises(SystemExit):
        main(["scenario", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "fixtures/README.md" not in out
    assert "mockscim scenario format" in out
    with pytest.raises(SystemExit):
        main(["scenario", "generate", "--help"])
    assert "users in all" in " ".join(capsys.readouterr().out.split())


def test_a_build_reports_progress_per_user():
    from mockscim.scenario import builder

    seen: list[tuple[int, int]] = []
    app = create_app(Settings())
    builder.load(
        mock_of(app),
        generate_scenario(2, 7, 1),
        False,
        app_factory=create_app,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(n, 7) for n in range(1, 8)]


def test_progress_lines_start_at_5000_users_and_come_every_tenth(capsys):
    from mockscim.cli.scenario import _Progress

    small, large = _Progress("building"), _Progress("building")
    for n in range(1, 4001):
        small(n, 4000)
    for n in range(1, 20_001):
        large(n, 20_000)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 10
    assert err[0].startswith("building: 2000/20000 users (")
    assert err[-1].startswith("building: 20000/20000 users (")
