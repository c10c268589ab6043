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


# The whole contract suite runs in the subprocess (its own 600 s limit); on a loaded 2-core
# machine it outlasts the default per-test timeout.
@pytest.mark.timeout(660)
def test_contract_suite_passes_against_a_served_mock(tmp_path):
    """Run against the demo-loaded mock with junk vendor credentials in the environment: the
    harness takes the mock's credentials from ``GET /_mockscim/info``, and puts the demo
    state back when it is done."""
    # The contract suite describes SSOReady's rfc profile (contract_tests/harness/targets.py).
    with serve("--ssoready-profile", "rfc") as server:
        before = Control(server.url).state.snapshot()
        env = {
            **os.environ,
            **VENDOR_ENV,
            "MOCKSCIM_TARGET": server.url,
            "MOCKSCIM_FUZZ_EXAMPLES": "3",
        }
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "contract_tests",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={tmp_path / 'junit.xml'}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        after = Control(server.url).state.snapshot()
        returncode = server.stop()
    before.pop("clock")
    after.pop("clock")
    assert after == before  # the demo is back, no fuzz organization left behind
    tail = run.stdout[-3000:]
    assert run.returncode == 0, tail
    assert re.search(r"\b\d+ passed\b", tail) and "failed" not in tail and "skipped" not in tail, (
        tail
    )
    assert returncode == 0
