"""The per-app bundle of settings, store, clock and journal, and how handlers reach it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, current_app, g, request

from mockscim.clock import Clock
from mockscim.journal import Journal
from mockscim.settings import Settings
from mockscim.store import Store

ErrorRenderer = Callable[[int, str], Response]


@dataclass(frozen=True)
class Surface:
    """One emulated API surface: which paths it owns and how it renders an HTTP error.

    Unknown routes, wrong methods, oversized bodies and unexpected exceptions are answered in
    the format of the surface the path belongs to, so a client never sees Flask's HTML pages.
    """

    name: str
    vendor: str
    pattern: re.Pattern[str]
    render_error: ErrorRenderer


@dataclass
class Mock:
    settings: Settings
    store: Store
    clock: Clock
    journal: Journal
    surfaces: list[Surface] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    def add_surface(self, surface: Surface) -> None:
        self.surfaces.append(surface)

    def surface_for(self, path: str) -> Surface | None:
        for surface in self.surfaces:
            if surface.pattern.match(path):
                return surface
        return None

    def reset(self) -> None:
        """Empty every store, clear the journal and return the clock to real time."""
        self.store.reset()
        self.journal.clear()
        self.clock.reset()
        for hook in self.extensions.get("reset_hooks", []):
            hook()


def current_mock() -> Mock:
    return current_app.extensions["mockscim"]


def public_url() -> str:
    """The URL clients reach this server at, for base URLs and ``Location`` headers."""
    configured = current_mock().settings.public_url
    if configured:
        return configured.rstrip("/")
    # Cheaper than request.host_url, which re-encodes the whole URL on every call.
    req = request._get_current_object()  # type: ignore[attr-defined]
    return f"{req.scheme}://{req.host}"


def set_credential(kind: str, directory_id: str | None = None) -> None:
    """Record which credential authenticated this request, for the journal."""
    ctx = g._get_current_object()  # type: ignore[attr-defined]
    ctx.mockscim_credential = kind
    if directory_id is not None:
        ctx.mockscim_directory = directory_id


def set_error_kind(kind: str) -> None:
    g.mockscim_error_kind = kind


def set_journal_extra(**fields: Any) -> None:
    """Attach vendor-specific facts to this request's journal entry (its ``extra``)."""
    ctx = g._get_current_object()  # type: ignore[attr-defined]
    ctx.mockscim_extra = {**getattr(ctx, "mockscim_extra", {}), **fields}
