"""The divergence report finds exactly the differences two runs really have.

The Stytch scenario suite runs twice in-process, against two mock configurations that differ
on purpose: B does not let the pending token authenticate before rotate/complete, and its
tokens never expire. ``mockscim contract diff`` must report those two differences, at exactly
the steps that show them, and nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mockscim.cli.main import main
from mockscim.contract.report import Observation, Results, diff, to_markdown

ROOT = Path(__file__).resolve().parents[2]


def run_suite(tmp_path: Path, name: str, settings: dict) -> Path:
    out = tmp_path / f"results-{name}.json"
    env = {
        **os.environ,
        "MOCKSCIM_TARGET": "inprocess",
        "MOCKSCIM_CONTRACT_SETTINGS": json.dumps(settings),
        "MOCKSCIM_CONTRACT_RESULTS": str(out),
        "MOCKSCIM_CONTRACT_LABEL": name,
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "contract_tests/test_stytch_scenarios.py",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def expiry_paths(shape: object, path: str = "$") -> list[str]:
    """Where a token expiry (a string in run A) sits in a recorded shape."""
    out: list[str] = []
    if isinstance(shape, dict):
        for key, sub in shape.items():
            if key.endswith("bearer_token_expires_at") and sub == "string":
                out.append(f"{path}.{key}")
            else:
                out += expiry_paths(sub, f"{path}.{key}")
    return out


def test_report_finds_exactly_the_configured_differences(tmp_path: Path, capsys) -> None:
    left = run_suite(tmp_path, "default", {})
    right = run_suite(
        tmp_path,
        "strict",
        {"stytch_next_token_authenticates": False, "stytch_token_lifetime_seconds": None},
    )
    out = tmp_path / "report"
    code = main(["contract", "diff", str(left), str(right), "--out", str(out)])
    assert code == 0
    report = json.loads((out / "divergence.json").read_text())
    markdown = (out / "divergence.md").read_text()

    # Difference 1: the pending token, one step, seen as status, error type, fields, shape.
    pending = [
        d for d in report["differences"] if d["step"].endswith("07-next-token-while-pending")
    ]
    assert {d["kind"] for d in pending} == {"status", "error_type", "fields", "shape"}
    status = next(d for d in pending if d["kind"] == "status")
    assert (status["left"], status["right"]) == (200, 401)

    # Difference 2: no expiry, so every step that shows a connection omits its expiries (an
    # unset Optional field is absent, mockscim/vendors/stytch/models.py).
    rest = [d for d in report["differences"] if d not in pending]
    assert rest and {d["kind"] for d in rest} == {"shape"}
    results = Results.load(left)
    expected = {
        (key, path) for key, obs in results.observations.items() for path in expiry_paths(obs.shape)
    }
    found = {(d["step"], s["path"]) for d in rest for s in d["differences"]}
    assert found == expected
    assert all(s["right"] == "absent" for d in rest for s in d["differences"])
    showing_expiry = {key for key, _ in expected}
    assert {d["step"] for d in rest} == showing_expiry
    assert set(report["differing_steps"]) == showing_expiry | {pending[0]["step"]}

    assert "07-next-token-while-pending" in markdown
    assert "| 200 | 401 |" in markdown
    assert f"{len(report['differing_steps'])} differing step(s)" in capsys.readouterr().out


def test_same_configuration_twice_has_no_differences(tmp_path: Path) -> None:
    left = run_suite(tmp_path, "a", {})
    right = run_suite(tmp_path, "b", {})
    report = diff(Results.load(left), Results.load(right))
    assert report["differences"] == []
    assert "No differences" in to_markdown(report)


def test_steps_run_on_one_side_only_are_reported() -> None:
    a = Results("mock", observations={"s/1": Observation.of(200, {"x": 1})})
    b = Results("live", observations={"s/2": Observation.of(200, {"x": 1})})
    report = diff(a, b)
    assert [(d["step"], d["left"], d["right"]) for d in report["differences"]] == [
        ("s/1", "ran", "not run"),
        ("s/2", "not run", "ran"),
    ]


def test_error_types_per_vendor_format() -> None:
    assert Observation.of(404, {"error_type": "member_not_found"}).error_type == "member_not_found"
    assert Observation.of(404, {"code": 5, "message": "x"}).error_type == "grpc:5"
    scim = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "scimType": "uniqueness"}
    assert Observation.of(409, scim).error_type == "scim:uniqueness"
    assert Observation.of(401, None, "invalid bearer token").error_type == "text"
    assert Observation.of(200, {"a": 1}).error_type is None


def test_fail_on_diff_exit_code(tmp_path: Path) -> None:
    a = Results("mock", observations={"s/1": Observation.of(200, {"x": 1})})
    b = Results("live", observations={"s/1": Observation.of(200, {"x": "1"})})
    a.save(tmp_path / "a.json")
    b.save(tmp_path / "b.json")
    args = ["contract", "diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    assert main([*args, "--out", str(tmp_path / "r"), "--fail-on-diff"]) == 1
    assert main([*args, "--out", str(tmp_path / "r")]) == 0
    assert main(["contract", "diff", str(tmp_path / "missing.json"), str(tmp_path / "b.json")]) == 2
