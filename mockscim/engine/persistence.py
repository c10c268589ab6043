"""``--state-file``: the store persisted to disk so a restarted mock picks up where it left off.

Writes are atomic: the snapshot goes to a temporary file in the same directory, is flushed
and fsynced, then renamed over the target (``os.replace``) and the directory is fsynced. A
kill at any moment leaves either the previous complete snapshot or the new one, never a torn
file. A background thread writes shortly after state-changing requests (coalescing bursts) and
once more at shutdown. Snapshots hold token digests only, never a usable secret.

The promise (README, "--state-file"): a change acknowledged to a client is on disk within
:data:`DEBOUNCE_SECONDS` plus the time one snapshot takes to write; a SIGKILL loses at most
the changes acknowledged in that window. Temporary files a kill left behind are removed when
the next process opens the same state file (:func:`clean_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockscim.engine import jsontext

log = logging.getLogger("mockscim")

#: A snapshot nests a handful of levels around resources whose bodies nest at most 64 (the
#: request body bound); anything deeper was not written by mockscim.
MAX_STATE_DEPTH = 128

#: Seconds to wait after a change before writing, so a burst of requests costs one write.
DEBOUNCE_SECONDS = 0.2


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def clean_stale_temp_files(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files a killed writer of ``path`` left (``.<name>.*.tmp`` beside
    it); returns what was removed. Called before this process writes ``path`` itself."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    removed = []
    if not directory.is_dir():
        return removed
    for candidate in directory.glob(f"{_temp_prefix(target)}*.tmp"):
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def save(snapshot: dict[str, Any], path: str | os.PathLike[str]) -> None:
    write_atomic(path, json.dumps(snapshot, separators=(",", ":")).encode("utf-8"))


def read(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The snapshot at ``path``, or None when there is no file yet."""
    file = Path(path)
    if not file.exists():
        return None
    try:
        raw = jsontext.loads(file.read_text(encoding="utf-8"), MAX_STATE_DEPTH)
    except jsontext.TooDeep as exc:  # json.loads alone raised RecursionError at 100k deep
        raise ValueError(f"state file {path} is not a mockscim snapshot: {exc}") from exc
    except ValueError as exc:
        raise ValueError(f"state file {path} is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError(f"state file {path} does not hold a mockscim snapshot")
    raw.pop("clock", None)
    return raw


class StateFileWriter:
    """Writes the store to ``path`` after changes, from one background thread."""

    def __init__(
        self,
        snapshot: Callable[[], dict[str, Any]],
        path: str,
        debounce: float = DEBOUNCE_SECONDS,
    ) -> None:
        self.snapshot = snapshot
        self.path = path
        self.debounce = debounce
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mockscim-state-file", daemon=True)
        self.writes = 0

    def start(self) -> None:
        self._thread.start()

    def mark_dirty(self) -> None:
        self._dirty.set()

    def flush(self) -> None:
        """Write now (from the calling thread)."""
        self._dirty.clear()
        save(self.snapshot(), self.path)
        self.writes += 1

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait()
            if self._stop.is_set():
                return
            self._stop.wait(self.debounce)
            if self._stop.is_set():
                return
            try:
                self.flush()
            except OSError as exc:
                log.error("mockscim: cannot write state file %s: %s", self.path, exc)
