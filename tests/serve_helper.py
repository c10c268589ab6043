"""The one way tests run ``mockscim serve`` as a child process.

Every child is stopped and reaped in a ``finally``, whatever the test did: first the signal the
test asked for (SIGTERM by default: a background job's children ignore SIGINT), then SIGKILL
if it has not exited within the grace period.
A test that fails, times out or is interrupted therefore never leaves a server behind (a
background ``make test`` used to orphan several).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANNER = re.compile(r"listening on (https?://\S+)")


@dataclass
class Served:
    """A running ``mockscim serve`` child: its process, URL and first banner line."""

    proc: subprocess.Popen[str]
    url: str
    first_line: str
    out: str = ""
    err: str = ""
    stopped: bool = False

    def readline(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def stop(self, sig: int = signal.SIGTERM, grace: float = 20.0) -> int:
        """Send ``sig``, wait up to ``grace`` seconds, then SIGKILL; always reaps. Returns the
        exit status and keeps what the child printed in ``out``/``err``."""
        return stop(self, sig, grace)


def stop(served: Served, sig: int = signal.SIGTERM, grace: float = 20.0) -> int:
    proc = served.proc
    if served.stopped:
        return proc.returncode
    served.stopped = True
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
    try:
        out, err = proc.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    served.out += out or ""
    served.err += err or ""
    return proc.returncode


@contextmanager
def child(argv: list[str], **popen: object) -> Iterator[subprocess.Popen[bytes]]:
    """Any other child process: SIGKILLed (if still running) and reaped when the block ends."""
    proc = subprocess.Popen(argv, **popen)  # type: ignore[call-overload]
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@contextmanager
def serve(
    *args: str,
    quiet: bool = True,
    port: str = "0",
    merge_stderr: bool = False,
    env: Mapping[str, str] | None = None,
    stop_signal: int = signal.SIGTERM,
) -> Iterator[Served]:
    """Run ``mockscim serve --port 0 [--quiet] *args`` until the block ends.

    The block gets a :class:`Served` once the banner's first line names the URL; on leaving
    it the child is stopped with ``stop_signal`` (then killed) and reaped. A test may stop it
    earlier itself (``served.stop(...)``) to assert on the exit status and output.
    """
    argv = [sys.executable, "-m", "mockscim.cli.main", "serve", "--port", port]
    if quiet:
        argv.append("--quiet")
    argv += args
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    served = Served(proc, "", "")
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        served.first_line = first
        match = BANNER.search(first)
        if match is None:
            stop(served, signal.SIGKILL)
            raise AssertionError(f"mockscim serve did not start: {first!r}\n{served.err}")
        served.url = match.group(1)
        yield served
    finally:
        stop(served, stop_signal)
