"""Surfaces: which paths an emulated API owns and how it renders an HTTP error.

Unknown routes, wrong methods, oversized bodies, injected faults and unexpected exceptions are
answered in the format of the surface the path belongs to, so a client never sees Flask's
HTML pages. Vendors add their surfaces when they register; more specific patterns go first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response

ErrorRenderer = Callable[[int, str], Response]
SURFACES_KEY = "mockscim.surfaces"


@dataclass(frozen=True)
class Surface:
    name: str
    vendor: str
    pattern: re.Pattern[str]
    render_error: ErrorRenderer


class Surfaces:
    """The ordered surfaces of one app; the first whose pattern matches a path owns it."""

    def __init__(self) -> None:
        self._items: list[Surface] = []

    def add(self, surface: Surface, *, first: bool = False) -> None:
        if first:
            self._items.insert(0, surface)
        else:
            self._items.append(surface)

    def for_path(self, path: str) -> Surface | None:
        for surface in self._items:
            if surface.pattern.match(path):
                return surface
        return None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(list(self._items))


def surfaces_of(app: Flask) -> Surfaces:
    return app.extensions[SURFACES_KEY]
