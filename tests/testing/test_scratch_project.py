"""Done-when: in a scratch project that only ``pip install``s mockscim, a test file using the
fixtures passes with no conftest.py (the plugin arrives through the pytest11 entry point).

Builds a fresh virtualenv and installs the repository into it with pip (dependencies come
from PyPI or the local pip cache), so it is marked ``network``."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

USER_TEST = """
import requests


def test_org_with_users(mockscim, scim_user_factory):
    org = mockscim.stytch.create_org("Acme", users=2)
    ada = scim_user_factory(domain="acme.test")
    headers = {"Authorization": "Bearer " + org["bearer_token"]}
    created = requests.post(org["base_url"] + "/Users", json=ada, headers=headers)
    assert created.status_code == 201, created.text
    listed = requests.get(org["base_url"] + "/Users", headers=headers).json()
    assert listed["totalResults"] == 3
    mockscim.journal.assert_called("POST", "/v1/b2b/scim/*/Users", credential="current")


def test_state_was_reset(mockscim):
    assert mockscim.state.stats()["users"] == 0


def test_sdk_fixture_skips_without_the_sdk(stytch_client):
    raise AssertionError("the stytch SDK is not installed here; this test must be skipped")
"""


@pytest.mark.network
def test_pip_installed_package_works_without_conftest(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(REPO), "pytest"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_with_mockscim.py").write_text(USER_TEST)
    assert not (project / "conftest.py").exists()
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "2 passed, 1 skipped" in output, output
    assert "the stytch SDK is not installed" in output, output
    assert sys.executable != str(python)
