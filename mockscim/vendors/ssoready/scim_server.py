"""The ``rfc`` profile's SCIM 2.0 server of each SSOReady directory, at
``/v1/scim/{scim_directory_id}``: the shared RFC 7644 core with SSOReady's rules.

As scim.go's ``scimMiddleware``: the directory must exist (404 plain text, not logged as a
SCIM request of any directory) before the bearer token is checked (401 plain text). The
resolver runs under the store lock together with the SCIM operation, so once
``rotate-bearer-token`` has returned, no request presenting the old token can succeed.
"""

from __future__ import annotations

from flask import Flask, request

from mockscim.engine.mock import Mock
from mockscim.http.context import (
    bearer_token,
    public_url,
    set_credential,
)
from mockscim.scim.blueprint import ScimContext, make_scim_blueprint
from mockscim.vendors.ssoready import rotation
from mockscim.vendors.ssoready.models import scim_base_url
from mockscim.vendors.ssoready.policy import (
    SSOReadyScimPolicy,
    directory_not_found,
    invalid_bearer_token,
)
from mockscim.vendors.ssoready.state import SSOReadyState

SCIM_PREFIX = "/v1/scim/<directory_key>"


def register_scim_server(app: Flask, mock: Mock) -> None:

    def resolve(directory_id: str) -> ScimContext:
        state: SSOReadyState = mock.store.vendor("ssoready")
        meta = state.directories.get(directory_id)
        directory = mock.store.directories.get(directory_id)
        if meta is None or directory is None:
            raise directory_not_found()
        token = bearer_token()
        if not token:
            set_credential("none", directory_id)
            raise invalid_bearer_token()
        now = mock.clock.now()
        if not rotation.authenticate(meta, token, now):
            set_credential("invalid", directory_id)
            raise invalid_bearer_token()
        set_credential("current", directory_id)
        policy = SSOReadyScimPolicy(state, method=request.method)
        return ScimContext(
            directory,
            scim_base_url(public_url(vendor="ssoready"), directory_id),
            policy,
            now,
        )

    app.register_blueprint(
        make_scim_blueprint("ssoready_scim", SCIM_PREFIX, resolve, SSOReadyScimPolicy, mock)
    )
