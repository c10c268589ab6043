"""The pip user's path: the built wheel, installed alone into a fresh virtualenv far from any
checkout, runs the README's snippets verbatim.

Catches what a test inside the checkout cannot: a README that names files of the repository
(``fixtures/demo.json``), data missing from the wheel, an extra that does not exist. The
dependencies come from PyPI or the local pip cache, so it is marked ``network``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def readme_block(after: str, lang: str = "python") -> str:
    """The first fenced ``lang`` block that follows the line containing ``after``."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(after)
    match = re.compile(rf"^```{lang}\n(.*?)^```", re.S | re.M).search(text, start)
    assert match, f"no ```{lang} block after {after!r} in README.md"
    return match.group(1)


def readme_command(prefix: str) -> list[str]:
    """The arguments of the first inline `prefix ...` command in README.md."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"`({re.escape(prefix)}[^`]*)`", text)
    assert match, f"no `{prefix} ...` in README.md"
    return shlex.split(match.group(1))[1:]


def test_readme_without_pytest_snippet_is_found():
    block = readme_block("**Without pytest**")
    assert "MockServer" in block and 'scenario="demo"' in block


@pytest.mark.network
@pytest.mark.slow  # ~30-75 s: a wheel build and two pip installs
def test_wheel_in_a_fresh_venv_runs_the_readme_snippets(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = dist.glob("mockscim-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mockscim/data/demo.json" in names
    # Every scenario the docs name by name, and the format doc `scenario format` prints.
    for bundled in ("stytch-rotation.json", "ssoready-tokens.json", "scenario-format.md"):
        assert f"mockscim/data/{bundled}" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{wheel}[sdk]", "pytest"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    elsewhere = tmp_path / "user-project"  # no fixtures/, no checkout on sys.path
    elsewhere.mkdir()
    snippet = readme_block("**Without pytest**")
    (elsewhere / "snippet.py").write_text(snippet + "\nprint('snippet ok')\n")
    ran = subprocess.run(
        [str(python), "snippet.py"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "snippet ok" in ran.stdout

    # The README's first pytest example, as test_scim.py with no conftest.py.
    (elsewhere / "test_scim.py").write_text(readme_block("Write a test (say `test_scim.py`)"))
    tested = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_scim.py"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert tested.returncode == 0 and "2 passed" in tested.stdout, tested.stdout + tested.stderr

    mockscim = env_dir / "bin" / "mockscim"
    for argv, expected in (
        ([], "serve"),
        (["serve", "--help"], "--control-token"),
        (["scenario", "check", "demo"], "demo: ok"),
        (["scenario", "check", "stytch-rotation"], "stytch-rotation: ok"),
        (["scenario", "list"], "ssoready-tokens"),
        (["scenario", "format"], "# Scenario files"),
        # README's "More scenarios" command, verbatim, then the check it suggests.
        (readme_command("mockscim scenario generate"), ""),
        (["scenario", "check", "my.json"], "my.json: ok (2 organizations, 200 users"),
    ):
        result = subprocess.run(
            [str(mockscim), *argv], cwd=elsewhere, capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert expected in result.stdout
