"""ssoready emulation (control plane, auth, errors, rotation policy) on the shared SCIM core."""

from __future__ import annotations

from flask import Flask

from mockscim.runtime import Mock


def register(app: Flask, mock: Mock) -> None:
    """Mount this vendor's blueprints and register its state with the store."""
