"""``mockscim serve`` given hostile start-up input: one line on stderr, exit status 2, never a
traceback (issue 20: a 100k-deep state file died in RecursionError, an unresolvable --host
printed 33 lines of waitress's getaddrinfo traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockscim.cli.main", "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result.stderr[-500:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-500:]
    assert lines[0].startswith("mockscim: error: ") and needle in lines[0]
    assert "listening" not in result.stdout


@pytest.mark.parametrize("server", ["waitress", "werkzeug"])
def test_an_unresolvable_host_is_one_line_and_exit_2(server: str) -> None:
    _one_line_error(_serve("--server", server, "--host", "nosuchhost.invalid"), "--host")


def test_a_state_file_nested_100k_deep_is_one_line_and_exit_2(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("[" * 100_000 + "]" * 100_000)
    _one_line_error(_serve("--state-file", str(state)), str(state))
    # The file is left as it was: nothing overwrote the user's data.
    assert state.read_text().startswith("[[[")


def test_a_state_file_nested_past_the_bound_is_refused_too(tmp_path: Path) -> None:
    """Deep enough to parse (500 levels) but deeper than any snapshot mockscim writes."""
    from mockscim.engine.persistence import MAX_STATE_DEPTH, read

    state = tmp_path / "state.json"
    deep = "[" * 500 + "]" * 500
    state.write_text('{"version": 1, "x": ' + deep + "}")
    with pytest.raises(ValueError, match=f"deeper than {MAX_STATE_DEPTH}"):
        read(state)
