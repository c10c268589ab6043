"""The contract suite passes unchanged against `mockscim serve` on a real port.

`make test` already runs it in-process; this runs the same suite as a user's CI would against
a served mock (`MOCKSCIM_TARGET=http://host:port`), with a smaller fuzzing budget.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mockscim.control.client import Control
from tests.serve_helper import serve

ROOT = Path(__file__).resolve().parents[2]
#: What a Stytch or SSOReady user's shell holds: the suite must not hand these to a mock.
VENDOR_ENV = {
    "STYTCH_SECRET": "junk",
    "STYTCH_PROJECT_ID": "project-live-junk",
    "SSOREADY_API_KEY": "junk",
    "SSOREADY_APP_KEY": "junk",
}


def readme_command() -> list[str]:
    """README's served-mock contract command, word for word (before its comment)."""
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("make contract TARGET=http://127.0.0.1:8765"):
            return line.split("#", 1)[0].split()
    raise AssertionError("README.md lost its `make contract TARGET=http://...` line")


def run_make(
    command: list[str], url: str, tmp_path: Path, **env: str
) -> subprocess.CompletedProcess:
    """``command`` aimed at ``url``, on the interpreter running these tests (``VENV``), without
    reinstalling (``-o`` the setup stamp) and without the outer make's variables."""
    venv = Path(sys.executable).parent.parent
    argv = [a.replace("http://127.0.0.1:8765", url) for a in command]
    argv += [f"VENV={venv}", "-o", f"{venv}/.installed"]
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VENDOR_OPENAPI", "MOCKSCIM_TARGET")
    }
    return subprocess.run(
        argv,
        cwd=ROOT,
        env={**clean, **VENDOR_ENV, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


# The whole contract suite runs in the subprocess (its own 600 s limit); on a loaded 2-core
# machine it outlasts the default per-test timeout.
@pytest.mark.timeout(660)
def test_contract_suite_passes_against_a_served_mock(tmp_path):
    """README's command, run against the demo-loaded mock started as README says
    (``--ssoready-profile rfc``), with junk vendor credentials in the environment: the harness
    takes the mock's credentials from ``GET /_mockscim/info``, and puts the demo state back
    when it is done."""
    with serve("--ssoready-profile", "rfc") as server:
        before = Control(server.url).state.snapshot()
        run = run_make(readme_command(), server.url, tmp_path, MOCKSCIM_FUZZ_EXAMPLES="3")
        after = Control(server.url).state.snapshot()
        returncode = server.stop()
    before.pop("clock")
    after.pop("clock")
    assert after == before  # the demo is back, no fuzz organization left behind
    tail = run.stdout[-3000:] + run.stderr[-2000:]
    assert run.returncode == 0, tail
    assert re.search(r"\b\d+ passed\b", tail) and "failed" not in tail and "skipped" not in tail, (
        tail
    )
    assert returncode == 0


@pytest.mark.timeout(300)
def test_a_default_served_mock_stops_the_run_with_one_line(tmp_path):
    """``mockscim serve`` runs SSOReady ``exact`` by default, which the suite's documents do
    not describe: README's command stops before any test with one line naming the flag (it
    used to fail 25 of 67 tests over 4,811 lines)."""
    with serve() as server:
        run = run_make(readme_command(), server.url, tmp_path)
        server.stop()
    assert run.returncode != 0
    errors = [line for line in (run.stdout + run.stderr).splitlines() if "ERROR" in line]
    pytest_errors = [line for line in errors if line.startswith("ERROR:")]
    assert len(pytest_errors) == 1, run.stdout + run.stderr
    assert "exact" in pytest_errors[0] and "--ssoready-profile rfc" in pytest_errors[0]
    assert "passed" not in run.stdout and "failed" not in run.stdout
