"""docs/contract.md's ``schemathesis run`` commands pass, verbatim, against a served mock, and
they run what the suite runs (same phase and checks): the documented command used to report 30
failures (ST204 405 without ``Allow``, ST202/ST201 from checks and phases the suite leaves out)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from contract_tests.test_schemathesis import CHECKS, STYTCH
from tests.serve_helper import serve

ROOT = Path(__file__).resolve().parents[2]


CONFIG = "contract_tests/schemathesis.toml"


def test_the_documented_config_generates_what_the_suite_generates() -> None:
    """The suite loads its documents with ``allow_extra_parameters=False``; the documented CLI
    run must too, or its negative cases add a query parameter the mock (like the vendors)
    ignores, and ST201 fails on a case the suite never sends."""
    config = tomllib.loads((ROOT / CONFIG).read_text(encoding="utf-8"))
    assert config["generation"]["allow-extra-parameters"] is False
    assert STYTCH.config.generation.allow_extra_parameters is False


def documented_commands() -> list[str]:
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    joined = text.replace("\\\n", " ")
    return [
        " ".join(line.split())
        for line in joined.splitlines()
        if line.startswith(f"schemathesis --config-file {CONFIG} run http://127.0.0.1:8765/")
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
            argv = [str(ROOT / CONFIG) if w == CONFIG else w for w in argv]
            run = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=540)
            assert run.returncode == 0, command + "\n" + run.stdout[-4000:]
        server.stop()
