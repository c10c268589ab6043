"""SSOReady's self-serve setup: ``POST /v1/setup-urls`` and the customer's admin page.

``CreateSetupURL`` (store/admin_mgmt.go) stores a one-time token's digest with the
organization, ``canManageSaml``/``canManageScim`` and an expiry 24 hours ahead, and answers
``{admin setup URL}?one-time-token=ssoready_one_time_token_...``. The admin app
(``admin/src/pages/SetupPage.tsx``) redeems the token with ``AdminRedeemOneTimeToken``, which
turns it into an admin session (store/admin.go: 32 random bytes, hex, only the digest kept;
the one-time token is cleared, so a link works once) and then calls the ``Admin*`` Connect
RPCs with ``Authorization: Bearer <session>``. The redeem itself has no expiry condition; the
session lookup has (``expire_time > now``), so an expired link opens a page whose calls fail.

The mock serves the page at ``/ssoready-admin/setup`` and the RPCs it needs at both of the
real server's Connect mounts (``/ssoready.v1.SSOReadyService/...`` and
``/internal/connect/ssoready.v1.SSOReadyService/...``), in the Connect protocol's JSON. Every
other RPC of the service (the dashboard's) answers Connect's ``unimplemented``.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim.engine.mock import Mock
from mockscim.engine.tokens import ISSUED, digest
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import public_url, set_credential, set_error_kind
from mockscim.vendors.ssoready import errors, models, rotation, saml
from mockscim.vendors.ssoready.errors import SSOReadyError
from mockscim.vendors.ssoready.organizations import StoreError
from mockscim.vendors.ssoready.state import (
    DIRECTORY_PREFIX,
    ONE_TIME_TOKEN_PREFIX,
    AdminAccessToken,
    SSOReadyState,
    id_error,
    new_id,
)

#: store/admin_mgmt.go: ``ExpireTime: time.Now().Add(time.Hour * 24)``.
SETUP_LIFETIME = timedelta(hours=24)
SETUP_PATH = "/ssoready-admin/setup"
#: mockscim's bound on kept setup links (the oldest go first).
MAX_SETUP_TOKENS = 10_000
SERVICE = "ssoready.v1.SSOReadyService"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SETUP_ORG = StoreError("parse organization id: ", "get organization: no rows in result set")


# ---------------------------------------------------------------------- setup URLs
def create_setup_token(
    state: SSOReadyState, body: dict[str, Any], now: datetime, exact: bool = True
) -> str:
    """``CreateSetupURL``: the organization (wrapped errors), then a one-time token whose
    plaintext is returned once."""
    org_id = body.get("organizationId", "")
    org_id = org_id if isinstance(org_id, str) else ""
    saml.find_organization(state, org_id, SETUP_ORG if exact else None)
    token = new_id(ONE_TIME_TOKEN_PREFIX)
    ISSUED.remember(digest(token))
    state.admin_tokens.append(
        AdminAccessToken(
            organization_id=org_id,
            can_manage_saml=body.get("canManageSaml") is True,
            can_manage_scim=body.get("canManageScim") is True,
            expires_at=now + SETUP_LIFETIME,
            one_time_token=digest(token),
        )
    )
    del state.admin_tokens[:-MAX_SETUP_TOKENS]
    return token


def setup_url(host: str, token: str) -> str:
    return f"{host}{SETUP_PATH}?one-time-token={token}"


def redeem_one_time_token(state: SSOReadyState, token: str) -> str:
    """``AdminRedeemOneTimeToken``: a new admin session for a valid, unused token."""
    if id_error(ONE_TIME_TOKEN_PREFIX, token):
        raise errors.unknown("")  # fmt.Errorf("") in the source
    presented = digest(token)
    for row in state.admin_tokens:
        if row.one_time_token is not None and hmac.compare_digest(presented, row.one_time_token):
            session = secrets.token_bytes(32)
            row.one_time_token = None
            row.session_token = digest(session.hex())
            ISSUED.remember(row.session_token)
            return session.hex()
    raise errors.unknown("get admin access token: no rows in result set")


def admin_session(state: SSOReadyState, header: str, now: datetime) -> AdminAccessToken:
    """authninterceptor.go for the ``Admin*`` RPCs, then ``AdminGetAdminSession``."""
    if not header:
        raise errors.unauthenticated("authorization header is required")
    if not header.startswith("Bearer "):
        raise errors.unauthenticated("")
    token = header[len("Bearer ") :]
    prefix = "store: get admin session: "
    try:
        bytes.fromhex(token)
    except ValueError:
        raise errors.unknown(prefix + "parse session token: encoding/hex: invalid byte") from None
    presented = digest(token.lower())
    for row in state.admin_tokens:
        known = row.session_token is not None and hmac.compare_digest(presented, row.session_token)
        if known and now < row.expires_at:
            return row
    raise errors.unknown(prefix + "get organization by admin access token: no rows in result set")


# ---------------------------------------------------------------------- the Admin RPCs
def _connect_error(error: SSOReadyError) -> Response:
    """The Connect protocol's unary error: ``{"code": "<name>", "message": ...}``."""
    set_error_kind(error.name)
    body: dict[str, Any] = {"code": error.name}
    if error.message:
        body["message"] = error.message
    return Response(json.dumps(body), status=error.status, content_type="application/json")


def render_connect_http(status: int, message: str) -> Response:
    """Routing errors, faults and oversized bodies on the Connect mounts and the setup page,
    as a Connect error with the code the status maps to."""
    code = errors.CODE_FOR_STATUS.get(status, errors.INTERNAL if status >= 500 else 3)
    return _connect_error(SSOReadyError(code, message, status))


def _list_directories(
    state: SSOReadyState, row: AdminAccessToken, body: dict[str, Any], host: str
) -> dict[str, Any]:
    # store/admin.go AdminListSCIMDirectories checks CanManageSAML, not CanManageSCIM.
    if not row.can_manage_saml:
        raise errors.unauthenticated("not authorized to manage saml")
    directories = sorted(state.directories_of(row.organization_id), key=lambda d: d.id)
    return {
        "scimDirectories": [models.scim_directory(d, host) for d in directories[:10]],
        "nextPageToken": "",
    }


def _rotate(
    state: SSOReadyState, row: AdminAccessToken, body: dict[str, Any], now: datetime
) -> dict[str, Any]:
    if not row.can_manage_scim:
        raise errors.unauthenticated("not authorized to manage scim")
    directory_id = body.get("scimDirectoryId", "")
    directory_id = directory_id if isinstance(directory_id, str) else ""
    problem = id_error(DIRECTORY_PREFIX, directory_id)
    if problem:
        raise errors.unknown(f"parse scim directory id: {problem}")
    directory = state.directories.get(directory_id)
    if directory is None:
        raise errors.unknown("get saml conn by id: no rows in result set")
    if directory.organization_id != row.organization_id:
        raise errors.unknown("scim dir organization id != admin access token org id")
    return {"bearerToken": rotation.rotate(directory, now)}


def _list_connections(state: SSOReadyState, row: AdminAccessToken) -> dict[str, Any]:
    if not row.can_manage_saml:
        raise errors.unauthenticated("not authorized to manage saml")
    connections = sorted(saml.connections_of(state, row.organization_id), key=lambda c: c.id)
    return {
        "samlConnections": [saml.connection_json(c) for c in connections[:10]],
        "nextPageToken": "",
    }


def register_admin(app: Flask, mock: Mock) -> None:
    bp = Blueprint(
        "ssoready_setup", __name__, static_folder="static", static_url_path="/ssoready-admin/static"
    )

    @bp.errorhandler(SSOReadyError)
    def _error(error: SSOReadyError) -> Response:
        return _connect_error(error)

    def admin_call(
        action: Callable[[SSOReadyState, AdminAccessToken, dict[str, Any]], dict[str, Any]],
    ) -> Response:
        body = _rpc_body()
        with mock.store.lock:
            state: SSOReadyState = mock.store.vendor("ssoready")
            row = admin_session(state, request.headers.get("Authorization", ""), mock.clock.now())
            set_credential("admin_session")
            result = action(state, row, body)
        return Response(json.dumps(result), status=200, content_type="application/json")

    def rpc(method: str) -> Response:
        host = public_url(vendor="ssoready")
        if method == "AdminRedeemOneTimeToken":
            body = _rpc_body()
            token = body.get("oneTimeToken") or ""
            if not isinstance(token, str):
                # connect-go: a body its codec cannot unmarshal is InvalidArgument.
                raise errors.invalid_argument(
                    "unmarshal into ssoready.v1.AdminRedeemOneTimeTokenRequest: invalid value "
                    "for string field oneTimeToken"
                )
            with mock.store.lock:
                state: SSOReadyState = mock.store.vendor("ssoready")
                session = redeem_one_time_token(state, token)
            set_credential("one_time_token")
            return Response(
                json.dumps({"adminSessionToken": session}), content_type="application/json"
            )
        if method == "AdminListSCIMDirectories":
            return admin_call(lambda s, row, b: _list_directories(s, row, b, host))
        if method == "AdminRotateSCIMDirectoryBearerToken":
            return admin_call(lambda s, row, b: _rotate(s, row, b, mock.clock.now()))
        if method == "AdminListSAMLConnections":
            return admin_call(lambda s, row, b: _list_connections(s, row))
        if not request.headers.get("Authorization"):
            # authninterceptor.go runs before any handler of the service.
            raise errors.unauthenticated("authorization header is required")
        raise SSOReadyError(
            errors.UNIMPLEMENTED,
            f"{SERVICE}.{method} is not emulated by mockscim (see SUPPORTED.md)",
        )

    for mount in ("", "/internal/connect"):
        bp.add_url_rule(
            f"{mount}/{SERVICE}/<method>",
            f"rpc{mount.replace('/', '_')}",
            rpc,
            methods=["POST"],
        )

    @bp.get(SETUP_PATH)
    @bp.get("/ssoready-admin/")
    def setup_page() -> Response:
        page = resources.files("mockscim.vendors.ssoready").joinpath("static/setup.html")
        return Response(
            page.read_text(encoding="utf-8"),
            content_type="text/html; charset=utf-8",
            headers={
                "Cache-Control": "no-store",
                # The link's one-time token must not leak through a Referer header.
                "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": PAGE_POLICY,
            },
        )

    app.register_blueprint(bp)


def _rpc_body() -> dict[str, Any]:
    """A Connect unary request body (a JSON object; empty reads as an empty message)."""
    try:
        body = request_json()
    except BodyError as exc:
        raise errors.invalid_argument(str(exc)) from None
    return dict(body)
