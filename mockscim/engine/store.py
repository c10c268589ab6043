"""All mutable state of a mock, behind one re-entrant lock.

SCIM directories (shared by both vendors) live here directly, of the class the app hands in
(the engine does not know the SCIM core); each vendor registers a state class for its
control-plane objects (organizations, connections, keys). ``reset()`` swaps in
empty containers, which is what makes a per-test reset cost microseconds, and
``snapshot()``/``restore()`` round-trip everything as JSON (token digests only, never secrets).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from mockscim.engine.bulk import collector_paused

SNAPSHOT_VERSION = 1


class VendorState(Protocol):
    def to_json(self) -> dict[str, Any]: ...


# Freeing a large store takes milliseconds; a reset hands the old containers to this thread so
# the per-test reset itself stays O(1).
_graveyard: queue.SimpleQueue[Any] = queue.SimpleQueue()


def _reap() -> None:
    while True:
        item = _graveyard.get()
        del item


threading.Thread(target=_reap, name="mockscim-reaper", daemon=True).start()


def _ready(value: dict[str, Any]) -> Any:
    return lambda: value


@dataclass(frozen=True)
class Prepared:
    """State built from a snapshot by :meth:`Store.prepare`, ready to swap in."""

    directories: dict[str, Any]
    vendors: dict[str, Any]


class Store:
    def __init__(self, directory_class: Any) -> None:
        self.lock = threading.RLock()
        self._directory_class = directory_class
        self.directories: dict[str, Any] = {}
        self._factories: dict[str, Any] = {}
        self._vendors: dict[str, Any] = {}
        self.generation = 0

    def register(self, name: str, state_class: type) -> None:
        """Register a vendor state class: constructible with no arguments, with
        ``to_json()`` and a ``from_json(raw)`` classmethod."""
        with self.lock:
            self._factories[name] = state_class
            self._vendors[name] = state_class()

    def vendor(self, name: str) -> Any:
        return self._vendors[name]

    def new_directory(self, directory_id: str, vendor: str) -> Any:
        with self.lock:
            directory = self._directory_class(directory_id, vendor)
            self.directories[directory_id] = directory
            return directory

    def reset(self) -> None:
        with self.lock:
            _graveyard.put((self.directories, self._vendors))
            self.directories = {}
            self._vendors = {name: cls() for name, cls in self._factories.items()}
            self.generation += 1

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-ready data. Under the lock only the cheap part runs:
        directories offering ``capture()`` (the SCIM core's) hand back a builder that makes
        their JSON afterwards, so other requests are not held up by a large snapshot."""
        with self.lock:
            builders = [
                d.capture() if hasattr(d, "capture") else _ready(d.to_json())
                for d in self.directories.values()
            ]
            vendors = {name: state.to_json() for name, state in self._vendors.items()}
        with collector_paused():
            directories = [build() for build in builders]
        return {"version": SNAPSHOT_VERSION, "directories": directories, "vendors": vendors}

    def restore(self, raw: dict[str, Any]) -> None:
        """Replace all state with a snapshot; on any error the current state is kept."""
        with collector_paused():
            prepared = self.prepare(raw)
        self.install(prepared)

    def prepare(self, raw: dict[str, Any]) -> Prepared:
        """Build the state a snapshot describes, aside and without the lock (a 50k-user
        snapshot takes seconds to build; no other request should wait for that). Raises
        ``ValueError`` on a malformed snapshot, having changed nothing."""
        if not isinstance(raw, dict) or raw.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"not a mockscim snapshot of version {SNAPSHOT_VERSION}")
        # Any exception the loaders raise on the wrong shape is a malformed snapshot.
        try:
            directories = {}
            items = raw.get("directories", [])
            if not isinstance(items, list):
                raise TypeError("'directories' must be a list")
            for item in items:
                directory = self._directory_class.from_json(item)
                directories[directory.id] = directory
            vendors_raw = raw.get("vendors", {})
            if not isinstance(vendors_raw, dict):
                raise TypeError("'vendors' must be an object")
            vendors = {}
            for name, cls in self._factories.items():
                if name not in vendors_raw:
                    vendors[name] = cls()
                    continue
                if not isinstance(vendors_raw[name], dict):
                    raise TypeError(f"'vendors.{name}' must be an object")
                vendors[name] = cls.from_json(vendors_raw[name])
        except (AttributeError, TypeError, KeyError, ValueError, IndexError) as exc:
            raise ValueError(f"invalid state snapshot: {type(exc).__name__}: {exc}") from exc
        return Prepared(directories, vendors)

    def install(self, prepared: Prepared) -> None:
        """Swap in prepared state: the only part of a restore that holds the lock."""
        with self.lock:
            _graveyard.put((self.directories, self._vendors))
            self.directories = prepared.directories
            self._vendors = prepared.vendors
            self.generation += 1

    def stats(self) -> dict[str, int]:
        with self.lock:
            return {
                "directories": len(self.directories),
                "users": sum(len(d.users) for d in self.directories.values()),
                "groups": sum(len(d.groups) for d in self.directories.values()),
            }
