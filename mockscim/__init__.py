"""mockscim: the Stytch B2B and SSOReady SCIM provisioning APIs, emulated in memory."""

from mockscim.app import create_app
from mockscim.settings import Settings
from mockscim.testing.server import MockServer
from mockscim.version import __version__

__all__ = ["MockServer", "Settings", "__version__", "create_app"]
