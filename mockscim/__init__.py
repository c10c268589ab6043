"""mockscim: the Stytch B2B and SSOReady SCIM provisioning APIs, emulated in memory.

``create_app``, ``MockServer`` and ``intercept`` load on first use: the pytest plugin imports
this package in every pytest process (each xdist worker too), including runs that never use
a mock, so importing it stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockscim.settings import Settings
from mockscim.version import __version__

if TYPE_CHECKING:
    from mockscim.app import create_app
    from mockscim.testing.intercept import intercept
    from mockscim.testing.server import MockServer

__all__ = ["MockServer", "Settings", "__version__", "create_app", "intercept"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from mockscim.app import create_app

        return create_app
    if name == "MockServer":
        from mockscim.testing.server import MockServer

        return MockServer
    if name == "intercept":  # mockscim.intercept() is the callable
        from mockscim.testing.intercept import intercept

        return intercept
    raise AttributeError(f"module 'mockscim' has no attribute {name!r}")
