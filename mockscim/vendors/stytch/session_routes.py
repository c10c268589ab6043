"""``/v1/b2b/sessions/*``: Stytch's B2B Sessions API (OAS tag ``Session``; stytch-python
``b2b/api/sessions.py``: ``get``, ``authenticate``, ``revoke``, ``exchange``, ``get_jwks``).

HTTP Basic ``project_id:secret`` like the rest of ``/v1/b2b``, except the JWKS: the SDKs fetch
it with PyJWT's ``PyJWKClient`` (Python) or ``jose``'s remote key set (Node), which send no
credentials (stytch-python ``b2b/client.py`` ``get_jwks_client``). Each operation runs under
the store lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim.engine.mock import Mock
from mockscim.http.context import set_credential
from mockscim.vendors.stytch import errors, members, session_api, session_jwt, sessions
from mockscim.vendors.stytch import organizations as orgs
from mockscim.vendors.stytch.errors import StytchError
from mockscim.vendors.stytch.routes import check_basic_auth, ok, read_body
from mockscim.vendors.stytch.state import StytchState


def register_session_routes(app: Flask, mock: Mock) -> None:
    bp = Blueprint("stytch_sessions", __name__, url_prefix="/v1/b2b/sessions")
    store = mock.store

    @bp.errorhandler(StytchError)
    def _stytch_error(error: StytchError) -> Response:
        return errors.render(error)

    @bp.before_request
    def _authenticate() -> None:
        if request.endpoint != "stytch_sessions.get_jwks":
            check_basic_auth(mock)

    def locked(fn: Callable[..., dict[str, Any]]) -> Callable[..., Response]:
        def wrapper(**kwargs: Any) -> Response:
            body = read_body()
            session_jwt.key_for(project_id())  # generated once, outside the store lock
            with store.lock:
                return ok(fn(store.vendor("stytch"), body, **kwargs))

        wrapper.__name__ = fn.__name__
        return wrapper

    def project_id() -> str:
        return mock.settings.stytch_project_id

    @bp.get("")
    @locked
    def get(st: StytchState, body: dict[str, Any]) -> dict[str, Any]:
        org_key, member_key = body.get("organization_id"), body.get("member_id")
        if not org_key or not member_key:
            raise errors.invalid_argument("organization_id and member_id are required.")
        org = orgs.resolve(st, org_key)
        member = members.find_member(st, org, member_key)
        found = session_api.of_member(st, member, mock.clock.now())
        return {"member_sessions": [sessions.to_json(st, store.directories, s) for s in found]}

    @bp.post("/authenticate")
    @locked
    def authenticate(st: StytchState, body: dict[str, Any]) -> dict[str, Any]:
        return session_api.authenticate(st, store.directories, body, mock.clock.now(), project_id())

    @bp.post("/revoke")
    @locked
    def revoke(st: StytchState, body: dict[str, Any]) -> dict[str, Any]:
        session_api.revoke(st, body, mock.clock.now(), project_id())
        return {}

    @bp.post("/exchange")
    @locked
    def exchange(st: StytchState, body: dict[str, Any]) -> dict[str, Any]:
        org_key = body.get("organization_id")
        if not isinstance(org_key, str) or not org_key:
            raise errors.invalid_argument("organization_id is required.")
        org = orgs.resolve(st, org_key)
        return session_api.exchange(
            st, store.directories, body, org, mock.clock.now(), project_id()
        )

    @bp.get("/jwks/<project>")
    def get_jwks(project: str) -> Response:
        set_credential("none")
        # Only this project's key set exists; another project id is an unknown project.
        if project != project_id():
            raise errors.project_not_found()
        return ok({"keys": session_jwt.jwks(project)})

    app.register_blueprint(bp)
