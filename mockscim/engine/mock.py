"""The :class:`Mock`: one emulated world (store, clock, journal, faults) and its lifecycle.

Everything a per-test reset, a scenario load, a snapshot or a state file touches is a field
here, and every such operation is a method here, so there is one reset, one load and one
baseline. The engine knows no HTTP framework and no vendor: vendors register their state
classes with the store, and the scenario builder (which drives the vendors' APIs) is handed
in as a :data:`ScenarioLoader`.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from mockscim.engine import jsontext
from mockscim.engine.bulk import collector_paused
from mockscim.engine.clock import Clock, format_instant, parse_instant
from mockscim.engine.faults import Faults
from mockscim.engine.journal import Journal
from mockscim.engine.persistence import (
    MAX_STATE_DEPTH,
    StateFileWriter,
    clean_stale_temp_files,
    read,
)
from mockscim.engine.store import Prepared, Store
from mockscim.engine.tokens import IdSource
from mockscim.engine.webhooks import Webhooks
from mockscim.settings import Settings

#: The key that marks a JSON document as a scenario (rather than a state snapshot).
SCENARIO_KEY = "mockscim_scenario"
#: Server-side tracebacks kept for the pytest plugin; older ones are dropped.
SERVER_ERRORS_KEPT = 100

#: Builds a scenario into a mock (``merge``: on top of its current state); returns the report.
ScenarioLoader = Callable[["Mock", dict[str, Any], bool], dict[str, Any]]


def is_scenario(raw: Any) -> bool:
    return isinstance(raw, dict) and SCENARIO_KEY in raw


def bundled_scenario(name: str) -> Path | None:
    """The scenario shipped in the package under ``name`` (``"demo"``), if there is one."""
    if not name.replace("-", "").replace("_", "").isalnum():
        return None
    candidate = files("mockscim") / "data" / f"{name}.json"
    return Path(str(candidate)) if candidate.is_file() else None


def scenario_path(name_or_path: str) -> Path:
    """A scenario file's path: an existing file, else a bundled scenario's name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = bundled_scenario(name_or_path)
    if bundled is not None:
        return bundled
    raise ValueError(f"scenario file not found: {name_or_path}")


def read_scenario(name_or_path: str) -> Any:
    path = scenario_path(name_or_path)
    try:
        return jsontext.loads(path.read_text(encoding="utf-8"), MAX_STATE_DEPTH)
    except ValueError as exc:
        raise ValueError(f"scenario file {name_or_path} is not valid JSON: {exc}") from exc


@dataclass(eq=False)
class Mock:
    settings: Settings
    store: Store
    clock: Clock
    journal: Journal
    faults: Faults
    #: Outgoing webhooks: endpoints, outbox, senders. Never part of a snapshot or state file
    #: (endpoint secrets stay in memory only); a reset clears it like the rest.
    webhooks: Webhooks
    scenario_loader: ScenarioLoader | None = None
    #: Where ids and tokens get their randomness: seeded from ``settings.seed`` when set, so
    #: the same seed and scenario give the same ids, base URLs and tokens on every start.
    ids: IdSource = field(default_factory=IdSource)
    #: Tracebacks of unexpected server errors, for the pytest plugin to fail the test with.
    server_errors: deque[str] = field(default_factory=lambda: deque(maxlen=SERVER_ERRORS_KEPT))
    #: The serialized snapshot every reset returns to (the loaded scenario), if any.
    baseline: str | None = None
    #: What loading the start-up scenario reported (ids, base paths, demo tokens).
    scenario_report: dict[str, Any] | None = None
    persistence: StateFileWriter | None = None

    @classmethod
    def create(
        cls, settings: Settings, store: Store, scenario_loader: ScenarioLoader | None = None
    ) -> Mock:
        clock = Clock(parse_instant(settings.frozen_at) if settings.frozen_at else None)
        faults = Faults(settings.seed)
        webhooks = Webhooks(
            clock,
            timeout=settings.webhook_timeout,
            retry_scale=settings.webhook_retry_scale,
            faults=faults,
        )
        return cls(
            settings,
            store,
            clock,
            Journal(settings.journal_size, settings.journal_max_bytes),
            faults,
            webhooks,
            scenario_loader,
            IdSource(settings.seed),
        )

    # ------------------------------------------------------------------ lifecycle
    def open(self) -> None:
        """Before the first request: register the configured webhook endpoints, load the
        scenario (it becomes the baseline) and the state file (it wins over the scenario, which
        stays the reset baseline)."""
        settings = self.settings
        if settings.webhooks:
            self.webhooks.configure(
                settings.webhooks,
                settings.webhook_secret,
                settings.webhook_events or None,
                dict(settings.webhook_headers) or None,
            )
        if settings.scenario and settings.scenario != "none":
            self.scenario_report = self.load(read_scenario(settings.scenario))
            self.set_baseline()
        if settings.state_file:
            clean_stale_temp_files(settings.state_file)
            saved = read(settings.state_file)
            if saved is not None:
                try:
                    self.store.restore(saved)
                except (KeyError, TypeError, ValueError) as exc:
                    raise ValueError(f"state file {settings.state_file}: {exc}") from exc
                self._fork_ids(saved)
            self.persistence = StateFileWriter(self.snapshot, settings.state_file)
            self.persistence.flush()  # the file exists (and is complete) from the first moment
            self.persistence.start()

    def close(self) -> None:
        self.webhooks.close()
        if self.persistence is not None:
            self.persistence.stop()

    def note_write(self) -> None:
        """A request that may have changed state was answered."""
        if self.persistence is not None:
            self.persistence.mark_dirty()

    # ------------------------------------------------------------------ reset and baseline
    def reset(self, *, reseed: bool = True) -> dict[str, Any]:
        """Empty store, journal, faults and webhooks (endpoints, queue, history; the endpoints
        given at start come back), the configured clock, no recorded server errors; then back to
        the baseline scenario if there is one and ``reseed``."""
        # The baseline is parsed and built before taking the lock (seconds at 50k users);
        # under it, only swaps: other requests never wait for a large reset.
        baseline = self.baseline if reseed else None
        prepared = self._prepare_baseline(baseline)
        with self.store.lock:
            if baseline is not None and baseline is not self.baseline:  # changed meanwhile
                baseline = self.baseline
                prepared = self._prepare_baseline(baseline)
            self.store.reset()
            self.journal.clear()
            self.faults.clear()
            self.webhooks.reset()
            self.clock.reset()
            if prepared is not None:
                self.store.install(prepared)
            if reseed:
                self.ids.rewind()
        if self.settings.frozen_at:
            self.clock.freeze(parse_instant(self.settings.frozen_at))
        self.server_errors.clear()
        self.note_write()
        return {"status": "reset", "generation": self.store.generation, **self.store.stats()}

    def _prepare_baseline(self, baseline: str | None) -> Prepared | None:
        if not baseline:
            return None
        with collector_paused():
            return self.store.prepare(json.loads(baseline))

    def set_baseline(self, snapshot: dict[str, Any] | None = None) -> None:
        """Make the current state (or ``snapshot``) what every reset returns to."""
        snap = snapshot if snapshot is not None else self.store.snapshot()
        self.baseline = json.dumps(snap, separators=(",", ":"))
        if snapshot is not None:
            self.ids.fork(self.baseline.encode("utf-8"))
        self.ids.mark()

    def _fork_ids(self, restored: Any) -> None:
        """After restoring state made elsewhere (a state file from an earlier run with the same
        seed, a snapshot), mint from a stream derived from it so new ids never repeat its ids."""
        if self.ids.seeded:
            self.ids.fork(json.dumps(restored, sort_keys=True, default=str).encode("utf-8"))

    def clear_baseline(self) -> None:
        self.baseline = None

    # ------------------------------------------------------------------ snapshots and loading
    def snapshot(self) -> dict[str, Any]:
        """The whole store as JSON (token digests only), with the clock's reading."""
        snapshot = self.store.snapshot()
        snapshot["clock"] = {"now": format_instant(self.clock.now()), "mode": self.clock.mode}
        return snapshot

    def load(self, raw: Any, *, merge: bool = False) -> dict[str, Any]:
        """Replace (or, for scenarios with ``merge``, extend) the state with a scenario or a
        snapshot; on any error nothing changes."""
        if is_scenario(raw):
            if self.scenario_loader is None:
                raise ValueError("this mock cannot build scenarios")
            return self.scenario_loader(self, raw, merge)
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object: a scenario or a mockscim state snapshot")
        if merge:
            raise ValueError("only scenarios can be merged into the current state")
        raw = dict(raw)
        raw.pop("clock", None)
        try:
            self.store.restore(raw)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"invalid state snapshot: {exc}") from exc
        self._fork_ids(raw)
        return {"status": "restored", **self.store.stats()}

    def load_file(self, name_or_path: str, *, merge: bool = False) -> dict[str, Any]:
        """Load a scenario or snapshot file (or a bundled scenario by name, ``"demo"``)."""
        return self.load(read_scenario(name_or_path), merge=merge)

    # ------------------------------------------------------------------ server errors
    def take_server_errors(self) -> list[str]:
        errors = list(self.server_errors)
        self.server_errors.clear()
        return errors
