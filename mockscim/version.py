"""The package version, in a module of its own so that the control plane (``GET
/_mockscim/info``) can report it without importing the package root, which imports the app
and so the control plane itself."""

from __future__ import annotations

__version__ = "0.1.0"
