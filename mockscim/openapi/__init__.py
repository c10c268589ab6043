"""OpenAPI 3.1 documents describing each emulated vendor surface, served under ``/_mockscim/openapi``."""

from __future__ import annotations

from flask import Flask

from mockscim.runtime import Mock


def register(app: Flask, mock: Mock) -> None:
    """Serve ``/_mockscim/openapi/<surface>.json``."""
