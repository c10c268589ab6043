"""docs/contract.md's ``schemathesis run`` commands pass, verbatim, against a served mock, and
they run what the suite runs (same phase and checks): the documented command used to report 30
failures (ST204 405 without ``Allow``, ST202/ST201 from checks and phases the suite leaves out)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from contract_tests.test_schemathesis import CHECKS
from tests.serve_helper import serve

ROOT = Path(__file__).resolve().parents[2]


def documented_commands() -> list[str]:
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    joined = text.replace("\\\n", " ")
    return [
        " ".join(line.split())
        for line in joined.splitlines()
        if line.startswith("schemathesis run http://127.0.0.1:8765/")
    ]


def test_the_documented_commands_check_what_the_suite_checks() -> None:
    commands = documented_commands()
    assert len(commands) == 2, commands
    for command in commands:
        checks = re.search(r"--checks (\S+)", command)
        assert checks and checks.group(1).split(",") == [c.__name__ for c in CHECKS]
        assert "--phases fuzzing" in command  # the suite's stateless runs are hypothesis fuzzing


@pytest.mark.timeout(600)
def test_the_documented_commands_pass_against_a_served_mock(tmp_path: Path) -> None:
    cli = str(Path(sys.executable).parent / "schemathesis")
    with serve("--ssoready-profile", "rfc") as server:
        for command in documented_commands():
            argv = [
                cli if word == "schemathesis" else word.strip("'")
                for word in re.findall(r"'[^']*'|\S+", command)
            ]
            argv = [w.replace("http://127.0.0.1:8765", server.url) for w in argv]
            run = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=540)
            assert run.returncode == 0, command + "\n" + run.stdout[-4000:]
        server.stop()
