"""What ``mockscim serve`` (and ``MockServer``) do to a fresh app before it takes traffic, what a
reset returns to, and what happens at shutdown.

- ``settings.scenario`` (a scenario file or a state snapshot) is loaded and becomes the
  *baseline*: ``POST /_mockscim/reset`` returns to it (``{"empty": true}`` empties instead).
- ``settings.state_file``: if the file exists it is loaded (it wins over the scenario, which
  stays the reset baseline); afterwards every state change is written back atomically.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from flask import Flask, request

from mockscim.clock import parse_instant
from mockscim.journal import redact_text
from mockscim.runtime import Mock
from mockscim.statefile import StateFileWriter, read


class RedactingFilter(logging.Filter):
    """Scrubs secrets (``?access_token=...``, bearer values, SSOReady keys) from log lines
    such as werkzeug's request log, which prints the request line with its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactingFilter()


def install_log_redaction() -> None:
    for name in ("werkzeug", "mockscim"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def prepare(app: Flask) -> None:
    mock: Mock = app.extensions["mockscim"]
    settings = mock.settings
    install_log_redaction()
    if settings.scenario and settings.scenario != "none":
        mock.extensions["scenario_report"] = load_file(mock, settings.scenario)
        set_baseline(mock)
    if settings.state_file:
        saved = read(settings.state_file)
        if saved is not None:
            try:
                mock.store.restore(saved)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"state file {settings.state_file}: {exc}") from exc
        start_state_file(app, mock, settings.state_file)
    for hook in mock.extensions.get("startup_hooks", []):
        hook()


def start_state_file(app: Flask, mock: Mock, path: str) -> StateFileWriter:
    writer = StateFileWriter(mock, path)
    mock.extensions["state_file_writer"] = writer

    def mark() -> None:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            writer.mark_dirty()

    mock.extensions.setdefault("before_request_hooks", []).insert(0, mark)
    mock.extensions.setdefault("reset_hooks", []).append(writer.mark_dirty)
    mock.extensions.setdefault("shutdown_hooks", []).append(writer.stop)
    writer.flush()  # the file exists (and is complete) from the first moment
    writer.start()
    return writer


def bundled_demo() -> str:
    """Path of the demo scenario shipped in the package (``fixtures/demo.json``)."""
    from importlib.resources import files

    return str(files("mockscim") / "data" / "demo.json")


def describe(mock: Mock, url: str) -> list[str]:
    """Lines for the ``serve`` banner: each loaded SCIM directory with its base URL and the
    tokens the scenario published (they are the scenario author's, never stored)."""
    report = mock.extensions.get("scenario_report") or {}
    name = report.get("name") or "scenario"
    lines = []
    for org in (report.get("stytch") or {}).get("organizations", []):
        if org.get("scim_base_path"):
            nxt = f" next={org['next_bearer_token']}" if org.get("next_bearer_token") else ""
            lines.append(
                f"  scenario  {name}: {org.get('key')} (stytch) {url}{org['scim_base_path']}"
                f" token={org['bearer_token']}{nxt}"
            )
    for org in (report.get("ssoready") or {}).get("organizations", []):
        for directory in org.get("scim_directories", []):
            token = directory.get("bearer_token") or "(none yet: rotate to mint one)"
            lines.append(
                f"  scenario  {name}: {org.get('key')} (ssoready) {url}"
                f"{directory['scim_base_path']} token={token}"
            )
    return lines


def shutdown(app: Flask) -> None:
    mock: Mock = app.extensions["mockscim"]
    for hook in mock.extensions.get("shutdown_hooks", []):
        hook()


def read_json_file(path: str) -> Any:
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"scenario file not found: {path}")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"scenario file {path} is not valid JSON: {exc}") from exc


def load_file(mock: Mock, path: str) -> dict[str, Any]:
    """Load a scenario file or a JSON state snapshot (the ``GET /_mockscim/state`` format)."""
    return load_raw(mock, read_json_file(path))


def load_raw(mock: Mock, raw: Any, *, merge: bool = False) -> dict[str, Any]:
    """Replace (or, for scenarios with ``merge``, extend) the state with a scenario or snapshot."""
    from mockscim import scenario

    if scenario.is_scenario(raw):
        return scenario.load(mock, raw, merge=merge)
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object: a scenario or a mockscim state snapshot")
    if merge:
        raise ValueError("only scenarios can be merged into the current state")
    raw = dict(raw)
    raw.pop("clock", None)
    try:
        mock.store.restore(raw)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"invalid state snapshot: {exc}") from exc
    return {"status": "restored", **mock.store.stats()}


def set_baseline(mock: Mock, snapshot: dict[str, Any] | None = None) -> None:
    """Make the current state (or ``snapshot``) what every reset returns to."""
    snap = snapshot if snapshot is not None else mock.store.snapshot()
    mock.extensions["baseline"] = json.dumps(snap, separators=(",", ":"))


def clear_baseline(mock: Mock) -> None:
    mock.extensions.pop("baseline", None)


def reset(mock: Mock, *, reseed: bool = True) -> dict[str, Any]:
    """A per-test reset: empty store and journal, real (or configured) clock, no faults, then
    back to the baseline scenario if there is one and ``reseed``."""
    baseline = mock.extensions.get("baseline")
    with mock.store.lock:
        mock.reset()
        if baseline and reseed:
            mock.store.restore(json.loads(baseline))
    if mock.settings.frozen_at:
        mock.clock.freeze(parse_instant(mock.settings.frozen_at))
    mock.extensions.pop("server_errors", None)
    return {"status": "reset", "generation": mock.store.generation, **mock.store.stats()}
