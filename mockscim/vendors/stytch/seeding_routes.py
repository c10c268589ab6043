"""``/_mockscim/stytch/...``: seed Stytch state and mint member sessions over HTTP.

- ``POST /_mockscim/stytch/roles`` ``{"role_id", "permissions": {resource_id: [actions]}}``
- ``POST /_mockscim/stytch/members`` ``{"organization_id", "email_address", "roles"?, "name"?}``
  -> ``{"member": ...}``
- ``POST /_mockscim/stytch/sessions`` ``{"member_id", "session_duration_minutes"?}``
  -> ``{"session_token", "session_jwt", ...}``
- ``POST /_mockscim/stytch/login`` ``{"member": member_id or email, "organization"?,
  "session_duration_minutes"?, "session_custom_claims"?}`` -> the same, after Stytch's own
  checks on the duration (5..527040 minutes)

Errors use Stytch's error JSON (these are Stytch objects), without authentication like the
rest of ``/_mockscim``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response

from mockscim.engine.mock import Mock
from mockscim.http.bodies import BodyError, request_json
from mockscim.vendors.stytch import errors, sessions
from mockscim.vendors.stytch import seeding as helpers
from mockscim.vendors.stytch.errors import StytchError


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _body() -> dict[str, Any]:
    try:
        return request_json()
    except BodyError as exc:
        raise errors.bad_request(str(exc)) from exc


def _str(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise errors.invalid_argument(f"'{key}' is required and must be a string.")
    return value


def register_seeding_routes(app: Flask, mock: Mock) -> None:
    bp = Blueprint("stytch_admin", __name__, url_prefix="/_mockscim/stytch")

    @bp.errorhandler(StytchError)
    def _error(error: StytchError) -> Response:
        return errors.render(error)

    @bp.post("/roles")
    def define_role() -> Response:
        body = _body()
        return _json(helpers.define_role(mock, _str(body, "role_id"), body.get("permissions")))

    @bp.post("/members")
    def create_member() -> Response:
        body = _body()
        org_id = _str(body, "organization_id")
        email = _str(body, "email_address")
        extra = {k: v for k, v in body.items() if k not in ("organization_id", "email_address")}
        return _json({"member": helpers.create_member(mock, org_id, email, **extra)})

    @bp.post("/sessions")
    def mint_session() -> Response:
        body = _body()
        minutes = body.get("session_duration_minutes", 60)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise errors.invalid_argument("'session_duration_minutes' must be a positive integer.")
        return _json(helpers.mint_session(mock, _str(body, "member_id"), minutes))

    @bp.post("/login")
    def login() -> Response:
        body = _body()
        organization = body.get("organization")
        if organization is not None and not isinstance(organization, str):
            raise errors.invalid_argument("'organization' must be a string.")
        return _json(
            helpers.login(
                mock,
                _str(body, "member"),
                organization,
                body.get("session_duration_minutes", sessions.DEFAULT_DURATION_MINUTES),
                body.get("session_custom_claims"),
            )
        )

    app.register_blueprint(bp)
