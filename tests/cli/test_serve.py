"""``mockscim serve`` as a user starts it: free port, health, reset, clean Ctrl-C."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from mockscim.app import create_app
from mockscim.cli import serve as serve_cli
from mockscim.cli.main import build_parser, main
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from tests.serve_helper import serve


def test_serve_answers_health_and_stops_cleanly_on_ctrl_c():
    with serve() as served:
        url = served.url
        deadline = time.monotonic() + 10
        while True:
            try:
                response = requests.get(f"{url}/_mockscim/health", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}  # the design's promise, exactly
        info = requests.get(f"{url}/_mockscim/info", timeout=2).json()
        assert info["profiles"] == {"ssoready": "exact"}
        assert requests.post(f"{url}/_mockscim/reset", json={}, timeout=2).status_code == 200
        returncode = served.stop(signal.SIGINT)  # Ctrl-C
    assert returncode == 0, served.err
    assert "mockscim stopped" in served.out
    assert "Traceback" not in served.err


def test_serve_prints_a_line_per_surface_with_credentials():
    with serve(
        "--stytch-project-id",
        "project-test-abc",
        "--stytch-secret",
        "shh",
        "--ssoready-api-key",
        "ssoready_sk_custom",
    ) as served:
        url = served.url
        lines = [served.readline() for _ in range(4)]
    text = "".join(lines)
    assert f"stytch    {url}/  project_id=project-test-abc secret=shh" in text
    assert f"ssoready  {url}  api_key=ssoready_sk_custom" in text
    assert "profile=exact" in text
    assert f"control   {url}/_mockscim" in text
    assert f"  dashboard {url}/_mockscim/ui\n" in text


def test_serve_takes_the_ssoready_profile_and_shows_it_in_banner_and_info():
    with serve("--ssoready-profile", "rfc") as served:
        lines = [served.readline() for _ in range(3)]
        info = requests.get(f"{served.url}/_mockscim/info", timeout=5).json()
    assert any(line.startswith("  ssoready") and "profile=rfc" in line for line in lines), lines
    assert info["profiles"] == {"ssoready": "rfc"}


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
    with serve() as served:
        port = served.url.rsplit(":", 1)[1]
        clash = subprocess.run(
            [sys.executable, "-m", "mockscim.cli.main", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert clash.returncode == 2
    assert "cannot bind" in clash.stderr and "Traceback" not in clash.stderr


def test_help_documents_every_design_flag(capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["serve", "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for flag in (
        "--host",
        "--port",
        "--scenario",
        "--seed",
        "--stytch-project-id",
        "--stytch-secret",
        "--ssoready-api-key",
        "--state-file",
        "--server",
        "--tls",
        "--idle-timeout",
    ):
        assert flag in text


def test_a_non_positive_idle_timeout_is_refused_before_binding():
    result = subprocess.run(
        [sys.executable, "-m", "mockscim.cli.main", "serve", "--port", "0", "--idle-timeout", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--idle-timeout must be a positive number" in result.stderr
    assert "Traceback" not in result.stderr and "listening" not in result.stdout


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


def _serve_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *argv])


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "http"])
def test_port_outside_the_tcp_range_is_refused_by_argparse(port, capsys):
    """The OS would take 99999 modulo 65536 and bind 34463."""
    with pytest.raises(SystemExit) as exit_:
        _serve_args("--port", port)
    assert exit_.value.code == 2
    assert "argument --port" in capsys.readouterr().err


def test_port_edges_are_accepted():
    assert _serve_args("--port", "0").port == 0
    assert _serve_args("--port", "65535").port == 65535


def test_mockscim_variables_are_serve_defaults_and_flags_win(monkeypatch):
    monkeypatch.setenv("MOCKSCIM_HOST", "127.0.0.2")
    monkeypatch.setenv("MOCKSCIM_PORT", "9123")
    monkeypatch.setenv("MOCKSCIM_SCENARIO", "none")
    monkeypatch.setenv("MOCKSCIM_SEED", "7")
    monkeypatch.setenv("MOCKSCIM_STYTCH_SECRET", "from-env")
    monkeypatch.setenv("MOCKSCIM_CONTROL_TOKEN", "tok")
    args = _serve_args()
    assert (args.host, args.port, args.scenario, args.seed) == ("127.0.0.2", 9123, "none", 7)
    settings = serve_cli.settings_from(args)
    assert settings.stytch_secret == "from-env" and settings.control_token == "tok"
    assert _serve_args("--port", "1", "--seed", "2").port == 1


def test_a_bad_port_variable_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("MOCKSCIM_PORT", "70000")
    with pytest.raises(SystemExit):
        _serve_args()
    assert "outside 0-65535" in capsys.readouterr().err


def test_bare_mockscim_prints_help_and_succeeds(capsys):
    assert main([]) == 0
    assert "serve" in capsys.readouterr().out


def test_scenario_check_help_has_a_description_and_defaults():
    scenario = build_parser()._subparsers._group_actions[0].choices["scenario"]  # type: ignore[union-attr]
    actions = scenario._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert "Validate a scenario file" in actions["check"].format_help()
    assert "(default: 20)" in actions["generate"].format_help()


def test_scenario_check_takes_a_bundled_name(capsys):
    assert main(["scenario", "check", "demo"]) == 0
    captured = capsys.readouterr()
    assert "demo: ok" in captured.out
    assert "demo: building 4 organizations, 20 users" in captured.err  # said before the work


def test_banner_warns_loudly_when_not_on_loopback():
    app = create_app(Settings(scenario="none"))
    quiet = "\n".join(serve_cli.banner(mock_of(app), "http://127.0.0.1:8765"))
    assert "WARNING" not in quiet
    loud = "\n".join(serve_cli.banner(mock_of(app), "http://0.0.0.0:8765"))
    assert "WARNING: bound to 0.0.0.0" in loud and "WITHOUT AUTHENTICATION" in loud
    guarded = create_app(Settings(scenario="none", control_token="t"))
    assert "only with the control token" in "\n".join(
        serve_cli.banner(mock_of(guarded), "http://[::]:8765")
    )


def test_allow_host_and_a_host_name_reach_the_settings():
    settings = serve_cli.settings_from(_serve_args("--host", "mockbox", "--allow-host", "a.test"))
    assert set(settings.allowed_hosts) == {"a.test", "mockbox"}


def test_quiet_turns_off_the_request_lines():
    assert serve_cli.settings_from(_serve_args("--quiet")).log_requests is False
    assert serve_cli.settings_from(_serve_args()).log_requests is True


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc/<pid>/stat")
def test_an_idle_serve_sleeps():
    """An idle ``mockscim serve`` burned a whole core (waitress's poll loop read
    ``asyncore_loop_timeout=0.2`` as 0 and never slept): under 5% of a core now."""
    with serve() as served:
        assert requests.get(f"{served.url}/_mockscim/health", timeout=10).status_code == 200
        time.sleep(0.5)  # let start-up work settle
        before = _cpu_seconds(served.proc.pid)
        time.sleep(3)
        used = _cpu_seconds(served.proc.pid) - before
    assert used < 0.05 * 3, f"an idle serve used {used:.2f} CPU seconds in 3 s"


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--max-connections", "0"),
        ("--read-timeout", "0"),
        ("--read-timeout", "nan"),
        ("--idle-timeout", "inf"),
        ("--idle-timeout", "nan"),
    ],
)
def test_connection_bounds_are_checked(flag, value, capsys):
    assert main(["serve", "--port", "0", flag, value]) == 2
    err = capsys.readouterr().err
    assert f"{flag} must be" in err
    assert "Traceback" not in err


def test_connection_bounds_reach_the_server():
    """``--max-connections 2``: a third kept-alive connection closes the longest-idle one."""
    request = b"GET /_mockscim/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with serve("--max-connections", "2", "--read-timeout", "5") as served:
        host, port = served.url.removeprefix("http://").rsplit(":", 1)
        with ExitStack() as stack:
            socks = []
            for _ in range(3):
                sock = stack.enter_context(socket.create_connection((host, int(port)), 10))
                assert _ask(sock, request).startswith(b"HTTP/1.1 200")
                socks.append(sock)
            assert socks[0].recv(16) == b""  # closed to make room
            assert _ask(socks[2], request).startswith(b"HTTP/1.1 200")


def _ask(sock: socket.socket, request: bytes) -> bytes:
    """Send one request on a kept-alive socket and read its whole (small JSON) answer."""
    sock.sendall(request)
    answer = b""
    while not answer.endswith(b"}"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    return answer
