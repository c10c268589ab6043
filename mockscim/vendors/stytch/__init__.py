"""Stytch B2B emulation: control plane, member-session RBAC, SCIM token rotation, and a SCIM
2.0 server per connection on the shared core. See SUPPORTED.md (Stytch B2B)."""

from __future__ import annotations

import re

from flask import Flask

from mockscim.runtime import Mock, Surface
from mockscim.scim.blueprint import error_response
from mockscim.scim.errors import ScimError


def register(app: Flask, mock: Mock) -> None:
    """Mount this vendor's blueprints and register its state with the store."""
    from mockscim.vendors.stytch import errors
    from mockscim.vendors.stytch.admin import register_admin
    from mockscim.vendors.stytch.routes import register_routes
    from mockscim.vendors.stytch.scim_policy import POLICY
    from mockscim.vendors.stytch.scim_server import register_scim_server
    from mockscim.vendors.stytch.state import StytchState

    mock.store.register("stytch", StytchState)

    def render_scim(status: int, message: str):  # type: ignore[no-untyped-def]
        return error_response(ScimError(status, message), POLICY)

    # The SCIM server's paths first: they are more specific than the control plane's. Every
    # path below a connection's base_url except the control plane's /connection routes is the
    # SCIM server's, so an IdP gets SCIM errors even for paths the server does not know.
    mock.add_surface(
        Surface(
            "stytch-scim",
            "stytch",
            re.compile(r"^/v1/b2b/scim/[^/]+/(?!connection(/|$))"),
            render_scim,
        )
    )
    mock.add_surface(Surface("stytch", "stytch", re.compile(r"^/v1/b2b(/|$)"), errors.render_http))
    register_scim_server(app, mock)
    register_routes(app, mock)
    register_admin(app, mock)
