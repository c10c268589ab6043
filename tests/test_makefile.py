"""The Makefile a new user runs first: ``make help`` lists every target, and ``make serve``
installs only the runtime dependencies (the dev and contract extras pull in ~80 packages,
Playwright and ruff among them, that serving never imports)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args: str) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _phony_targets() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^\.PHONY:(.*)$", text, re.M)
    assert line, "the Makefile declares its targets .PHONY"
    return line.group(1).split()


def test_make_help_lists_every_target() -> None:
    listed = _make("help")
    for target in _phony_targets():
        assert re.search(rf"^\s+make {re.escape(target)}\b", listed, re.M), (target, listed)


def test_make_serve_installs_only_the_runtime_dependencies(tmp_path: Path) -> None:
    # A dry run against a venv that does not exist: the commands a brand-new checkout runs.
    plan = _make("-n", "serve", f"VENV={tmp_path / 'venv'}")
    installs = [line for line in plan.splitlines() if "pip install" in line]
    assert installs, plan
    for line in installs:
        assert "[" not in line and "dev" not in line and "contract" not in line, line
    assert "mockscim serve" in plan


def test_make_test_still_installs_the_dev_and_contract_extras(tmp_path: Path) -> None:
    plan = _make("-n", "unit", f"VENV={tmp_path / 'venv'}")
    assert "-e '.[dev,contract]'" in plan, plan
