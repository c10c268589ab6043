"""``mockscim serve`` as a user starts it: free port, health, reset, clean Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import requests

from mockscim.cli.main import build_parser


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockscim.cli.main", "serve", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", first)
    assert match, (
        f"unexpected first line: {first!r}; stderr: {proc.stderr.read() if proc.poll() is not None else ''}"
    )
    return proc, match.group(1)


def test_serve_answers_health_and_stops_cleanly_on_ctrl_c():
    proc, url = _start()
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                response = requests.get(f"{url}/_mockscim/health", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "profiles": {"ssoready": "exact"}}
        assert requests.post(f"{url}/_mockscim/reset", timeout=2).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "mockscim stopped" in out
    assert "Traceback" not in err


def test_serve_prints_a_line_per_surface_with_credentials():
    proc, url = _start(
        "--stytch-project-id",
        "project-test-abc",
        "--stytch-secret",
        "shh",
        "--ssoready-api-key",
        "ssoready_sk_custom",
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    text = "".join(lines)
    assert f"stytch    {url}/  project_id=project-test-abc secret=shh" in text
    assert f"ssoready  {url}  api_key=ssoready_sk_custom" in text
    assert "profile=exact" in text
    assert f"control   {url}/_mockscim" in text


def test_serve_takes_the_ssoready_profile_and_shows_it_in_banner_and_health():
    proc, url = _start("--ssoready-profile", "rfc")
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        health = requests.get(f"{url}/_mockscim/health", timeout=5).json()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    assert any(line.startswith("  ssoready") and "profile=rfc" in line for line in lines), lines
    assert health["profiles"] == {"ssoready": "rfc"}


def test_serve_refuses_an_unknown_ssoready_profile():
    proc = subprocess.run(
        [sys.executable, "-m", "mockscim.cli.main", "serve", "--ssoready-profile", "strict"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "invalid choice: 'strict'" in proc.stderr


def test_serve_reports_a_port_in_use_without_traceback():
    proc, url = _start()
    try:
        port = url.rsplit(":", 1)[1]
        clash = subprocess.run(
            [sys.executable, "-m", "mockscim.cli.main", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=20,
        )
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    assert clash.returncode == 2
    assert "cannot bind" in clash.stderr and "Traceback" not in clash.stderr


def test_help_documents_every_design_flag(capsys):
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    text = sub.format_help()
    for flag in (
        "--host",
        "--port",
        "--scenario",
        "--seed",
        "--stytch-project-id",
        "--stytch-secret",
        "--ssoready-api-key",
        "--state-file",
    ):
        assert flag in text


def test_top_level_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "mockscim.cli.main", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    for command in ("serve", "scenario", "push", "contract"):
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.MULTILINE), result.stdout
