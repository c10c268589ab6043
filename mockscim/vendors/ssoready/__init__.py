"""SSOReady emulation: management API (organizations, SCIM directories, one-step token
rotation), app API (provisioned users and groups), and a SCIM 2.0 server per directory on the
shared core, with SSOReady's rules and per-directory SCIM request log.
See SUPPORTED.md (SSOReady)."""

from __future__ import annotations

import re

from flask import Flask

from mockscim.runtime import Mock, Surface
from mockscim.scim.blueprint import error_response
from mockscim.scim.errors import ScimError

#: The SCIM server: ``/v1/scim/{scim_directory_id}/...`` but not the app API's
#: ``/v1/scim/users`` and ``/v1/scim/groups``.
SCIM_PATTERN = re.compile(r"^/v1/scim/(?!users(/|$)|groups(/|$))[^/]+(/|$)")
API_PATTERN = re.compile(
    r"^/v1/(organizations|scim-directories|scim/|saml|setup-urls|saml-connections)"
)


def register(app: Flask, mock: Mock) -> None:
    """Mount this vendor's blueprints and register its state with the store."""
    from mockscim.vendors.ssoready import errors
    from mockscim.vendors.ssoready.requestlog import register_request_log
    from mockscim.vendors.ssoready.routes import register_routes
    from mockscim.vendors.ssoready.scim_policy import POLICY
    from mockscim.vendors.ssoready.scim_server import register_scim_server
    from mockscim.vendors.ssoready.state import ENV_PREFIX, SSOReadyState, new_id

    mock.store.register("ssoready", SSOReadyState)
    mock.extensions["ssoready_environment_id"] = mock.settings.ssoready_environment_id or new_id(
        ENV_PREFIX
    )

    def render_scim(status: int, message: str):  # type: ignore[no-untyped-def]
        return error_response(ScimError(status, message), POLICY)

    # The SCIM server first: /v1/scim/{id}/... is more specific than the app API's /v1/scim/.
    mock.add_surface(Surface("ssoready-scim", "ssoready", SCIM_PATTERN, render_scim))
    mock.add_surface(Surface("ssoready", "ssoready", API_PATTERN, errors.render_http))
    register_scim_server(app, mock)
    register_routes(app, mock)
    register_request_log(app, mock)
