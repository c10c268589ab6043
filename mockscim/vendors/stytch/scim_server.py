"""The SCIM 2.0 server of each Stytch connection, at ``/v1/b2b/scim/{connection_id}``.

Bearer tokens are the connection's current token, or its pending next token while a rotation
is in progress (unless ``Settings.stytch_next_token_authenticates`` is off). The resolver runs
under the store lock together with the SCIM operation, so once ``rotate/complete`` has
returned, no request presenting the old token can succeed.
"""

from __future__ import annotations

from flask import Flask, Response

from mockscim.engine.mock import Mock
from mockscim.http.context import (
    bearer_token,
    public_url,
    set_credential,
)
from mockscim.scim import errors
from mockscim.scim.blueprint import ScimContext, error_response, make_scim_blueprint
from mockscim.scim.errors import ScimError
from mockscim.vendors.stytch import rotation
from mockscim.vendors.stytch.policy import StytchScimPolicy
from mockscim.vendors.stytch.state import StytchState
from mockscim.vendors.stytch.webhooks import StytchEvents

SCIM_PREFIX = "/v1/b2b/scim/<directory_key>"

#: What the SCIM server says for routing-level errors, in the SCIM error JSON every other Stytch
#: SCIM error uses (never werkzeug's English pages). Stytch publishes no text for them; these
#: are decided.
_HTTP_DETAILS = {
    404: "The requested SCIM endpoint does not exist.",
    405: "The method is not supported for this SCIM endpoint.",
}


def render_http_error(status: int, message: str) -> Response:
    """The ``stytch-scim`` surface's renderer for unknown paths, wrong methods, oversized bodies
    and faults below a connection's ``base_url``."""
    detail = _HTTP_DETAILS.get(status, message)
    return error_response(ScimError(status, detail), StytchScimPolicy)


def register_scim_server(app: Flask, mock: Mock) -> None:
    settings = mock.settings
    events = StytchEvents(mock)  # webhook: scim.* events, from the policy's hooks

    def resolve(connection_id: str) -> ScimContext:
        state: StytchState = mock.store.vendor("stytch")
        token = bearer_token()
        if not token:
            set_credential("none", connection_id)
            raise errors.unauthorized()
        connection = state.connections.get(connection_id)
        directory = mock.store.directories.get(connection_id)
        now = mock.clock.now()
        kind = None
        if connection is not None and directory is not None:
            kind = rotation.authenticate(
                connection,
                token,
                now,
                next_authenticates=settings.stytch_next_token_authenticates,
            )
        if kind is None:
            # Unknown connection, deleted connection and wrong token all look the same: a
            # token holder learns nothing about connections it cannot open.
            set_credential("invalid", connection_id)
            raise errors.unauthorized()
        set_credential(kind, connection_id)
        return ScimContext(
            directory,
            f"{public_url(vendor='stytch')}/v1/b2b/scim/{connection_id}",
            StytchScimPolicy(state, now, events=events),
            now,
        )

    app.register_blueprint(
        make_scim_blueprint("stytch_scim", SCIM_PREFIX, resolve, StytchScimPolicy, mock)
    )
