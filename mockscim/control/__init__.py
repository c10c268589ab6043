"""The control plane of the mock: its HTTP routes under ``/_mockscim`` (:mod:`.routes`), the
OpenAPI documents it serves (:mod:`.openapi`) and the Python client every handle is built on
(:mod:`.client`, ``Control``)."""

from mockscim.control.client import Control, ControlError

__all__ = ["Control", "ControlError"]
