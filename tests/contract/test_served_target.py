"""The contract suite passes unchanged against `mockscim serve` on a real port.

`make test` already runs it in-process; this runs the same suite as a user's CI would against
a served mock (`MOCKSCIM_TARGET=http://host:port`), with a smaller fuzzing budget.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_contract_suite_passes_against_a_served_mock(tmp_path):
    server = subprocess.Popen(
        # The contract suite describes SSOReady's rfc profile (contract_tests/harness/targets.py).
        [
            sys.executable,
            "-m",
            "mockscim.cli.main",
            "serve",
            "--port",
            "0",
            "--quiet",
            "--ssoready-profile",
            "rfc",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        match = re.search(r"listening on (http://\S+)", server.stdout.readline())
        assert match, server.stderr.read() if server.poll() is not None else "no banner"
        env = {**os.environ, "MOCKSCIM_TARGET": match.group(1), "MOCKSCIM_FUZZ_EXAMPLES": "3"}
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
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=20)
    tail = run.stdout[-3000:]
    assert run.returncode == 0, tail
    assert re.search(r"\b\d+ passed\b", tail) and "failed" not in tail and "skipped" not in tail, (
        tail
    )
    assert server.returncode == 0
