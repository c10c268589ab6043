"""What ``mockscim serve`` does to a fresh app before it takes traffic, and at shutdown.

Kept apart from the CLI so ``MockServer`` users and the plugin can prepare an app the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from mockscim.runtime import Mock


def prepare(app: Flask) -> None:
    """Load ``settings.scenario`` (a state snapshot or scenario file) into the store."""
    mock: Mock = app.extensions["mockscim"]
    path = mock.settings.scenario
    if path:
        load_file(mock, path)
    for hook in mock.extensions.get("startup_hooks", []):
        hook()


def shutdown(app: Flask) -> None:
    mock: Mock = app.extensions["mockscim"]
    for hook in mock.extensions.get("shutdown_hooks", []):
        hook()


def load_file(mock: Mock, path: str) -> None:
    """Load a JSON state snapshot (the ``GET /_mockscim/state`` format)."""
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"scenario file not found: {path}")
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"scenario file {path} is not valid JSON: {exc}") from exc
    loader = mock.extensions.get("scenario_loader")
    if loader is not None:
        loader(raw)
    else:
        raw.pop("clock", None) if isinstance(raw, dict) else None
        mock.store.restore(raw)
