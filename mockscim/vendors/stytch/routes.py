"""The Stytch B2B control plane under ``/v1/b2b``: organizations, members, SCIM connections.

Routes are thin: authenticate, parse, call a domain function under the store lock, serialize.
Authentication (HTTP Basic ``project_id:secret``), the optional member-session RBAC check and
the operation all run in one critical section.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim.engine.mock import Mock
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import public_url, set_credential
from mockscim.vendors.stytch import (
    connections,
    errors,
    members,
    models,
    rbac,
    rotation,
    search,
    sessions,
)
from mockscim.vendors.stytch import organizations as orgs
from mockscim.vendors.stytch.errors import StytchError
from mockscim.vendors.stytch.rbac import MEMBER_RESOURCE, ORGANIZATION_RESOURCE, SCIM_RESOURCE
from mockscim.vendors.stytch.state import Member, MemberSession, Organization, StytchState
from mockscim.vendors.stytch.webhooks import CREATE, DELETE, UPDATE, StytchEvents

#: Go's ``strconv.ParseBool`` spellings, how a boolean query parameter is read.
QUERY_BOOLS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("", "0", "f", "F", "FALSE", "false", "False"), False),
}


def query_bool(body: dict[str, Any], name: str) -> bool:
    """A boolean query parameter (Stytch's openapi.yml ``type: boolean``), read with Go's
    ``strconv.ParseBool`` spellings; anything else is ``invalid_argument`` (decided)."""
    raw = str(body.get(name, "false"))
    if raw not in QUERY_BOOLS:
        raise errors.invalid_argument(f"{name} must be true or false.")
    return QUERY_BOOLS[raw]


def ok(payload: dict[str, Any], status: int = 200) -> Response:
    body = {"status_code": status, "request_id": errors.request_id(), **payload}
    return Response(json.dumps(body), status=status, content_type="application/json")


def read_body() -> dict[str, Any]:
    """The JSON body of POST/PUT (the SDK also sends path parameters there); GET reads the
    query string; DELETE bodies are ignored (the SDK sends a JSON content type and nothing)."""
    if request.method in ("GET", "HEAD"):
        return request.args.to_dict()
    if request.method == "DELETE":
        return {}
    try:
        return request_json()
    except BodyError as exc:
        raise errors.bad_request(str(exc)) from exc


def check_basic_auth(mock: Mock) -> None:
    auth = request.authorization
    if auth is None or auth.type != "basic":
        set_credential("none")
        raise errors.unauthorized_credentials()
    settings = mock.settings
    good_id = hmac.compare_digest(
        (auth.username or "").encode(), settings.stytch_project_id.encode()
    )
    good_secret = hmac.compare_digest(
        (auth.password or "").encode(), settings.stytch_secret.encode()
    )
    if not (good_id and good_secret):
        set_credential("invalid")
        raise errors.unauthorized_credentials()
    set_credential("api_key")


class ApiBlueprint:
    """What every ``/v1/b2b`` blueprint of the mock shares: errors in Stytch's JSON, HTTP Basic
    on every request, handlers run under the store lock with the vendor state and the body,
    and the request's member session (which the journal then names as the credential)."""

    def __init__(self, name: str, mock: Mock) -> None:
        self.mock = mock
        self.bp = Blueprint(name, __name__, url_prefix="/v1/b2b")
        self.bp.register_error_handler(StytchError, errors.render)
        self.bp.before_request(lambda: check_basic_auth(mock))

    def state(self) -> StytchState:
        return self.mock.store.vendor("stytch")

    def locked(self, fn: Callable[..., Response]) -> Callable[..., Response]:
        """``fn(state, body, **path)`` in one critical section with its checks."""

        def wrapper(**kwargs: Any) -> Response:
            body = read_body()
            with self.mock.store.lock:
                return fn(self.state(), body, **kwargs)

        wrapper.__name__ = fn.__name__
        return wrapper

    def session_of(self, st: StytchState, org: Organization) -> MemberSession | None:
        """The request's member session (validity and tenancy checked), or None."""
        session = sessions.current(
            st,
            request.headers.get(sessions.SESSION_HEADER),
            request.headers.get(sessions.JWT_HEADER),
            org,
            self.mock.clock.now(),
        )
        if session is not None:
            set_credential("session")
        return session

    def require_on_member(
        self,
        st: StytchState,
        org: Organization,
        session: MemberSession | None,
        member: Member | None,
        action: str,
    ) -> None:
        """``action`` on stytch.member, or on stytch.self when the session's own member is the
        target ("stytch.member or stytch.self (depending on the target MemberID)", docs
        api-reference b2b members); no session: the project secret alone is enough."""
        if session is None:
            return
        directories = self.mock.store.directories
        if (
            member is not None
            and session.member_id == member.member_id
            and sessions.allows(st, directories, session, org, rbac.SELF_RESOURCE, action)
        ):
            return
        sessions.require(st, directories, session, org, [(MEMBER_RESOURCE, action)])

    def member_payload(self, st: StytchState, member: Member, org: Organization) -> dict[str, Any]:
        """The answer of every single-member operation: the Member and its Organization."""
        return {
            "member_id": member.member_id,
            "member": models.member(member, st, self.mock.store.directories),
            "organization": models.organization(org, st),
        }


def register_routes(app: Flask, mock: Mock) -> None:
    api = ApiBlueprint("stytch", mock)
    bp, locked, session_of = api.bp, api.locked, api.session_of
    member_payload = api.member_payload
    store = mock.store
    events = StytchEvents(mock)  # webhook: direct.* events, emitted under the store lock

    def authorize(st: StytchState, org: Organization, action: str) -> None:
        session = sessions.authorize(
            st,
            store.directories,
            request.headers.get(sessions.SESSION_HEADER),
            request.headers.get(sessions.JWT_HEADER),
            org,
            SCIM_RESOURCE,
            action,
            mock.clock.now(),
        )
        if session is not None:
            set_credential("session")

    def require(
        st: StytchState,
        org: Organization,
        session: MemberSession | None,
        needs: list[tuple[str, str]],
    ) -> None:
        sessions.require(st, store.directories, session, org, needs)

    def member_needs(
        st: StytchState,
        org: Organization,
        session: MemberSession | None,
        member: Member,
        body: dict[str, Any],
    ) -> None:
        """RBAC of Update Member: one action per field, on stytch.member, or on stytch.self
        for a member updating itself (openapi members UpdateRequest field descriptions)."""
        if session is None:
            return
        if body.get("trusted_metadata") is not None:
            raise errors.cannot_update_trusted_metadata()
        is_self = session.member_id == member.member_id
        if is_self and body.get("email_address") is not None:
            raise errors.member_cannot_update_their_email_address()
        for key, action in rbac.MEMBER_UPDATE_ACTIONS.items():
            if body.get(key) is None:
                continue
            if (
                is_self
                and action in rbac.MEMBER_SELF_ACTIONS
                and sessions.allows(st, store.directories, session, org, rbac.SELF_RESOURCE, action)
            ):
                continue
            require(st, org, session, [(MEMBER_RESOURCE, action)])

    def org_json(st: StytchState, org: Organization) -> dict[str, Any]:
        return models.organization(org, st)

    # ------------------------------------------------------------ organizations
    @bp.post("/organizations")
    @locked
    def create_organization(st: StytchState, body: dict[str, Any]) -> Response:
        org = orgs.create_organization(st, body, mock.clock.now())
        events.organization(CREATE, org)  # webhook
        return ok({"organization": org_json(st, org)})

    @bp.get("/organizations/<organization_id>")
    @locked
    def get_organization(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        return ok({"organization": org_json(st, orgs.resolve(st, organization_id))})

    @bp.put("/organizations/<organization_id>")
    @locked
    def update_organization(
        st: StytchState, body: dict[str, Any], organization_id: str
    ) -> Response:
        org = orgs.resolve(st, organization_id)
        session = session_of(st, org)
        if session is not None and body.get("trusted_metadata") is not None:
            raise errors.cannot_update_trusted_metadata()
        needs = [
            (ORGANIZATION_RESOURCE, action)
            for key, action in rbac.ORGANIZATION_UPDATE_ACTIONS.items()
            if body.get(key) is not None
        ]
        require(st, org, session, list(dict.fromkeys(needs)))
        orgs.update_organization(st, org, body, mock.clock.now())
        events.organization(UPDATE, org)  # webhook
        return ok({"organization": org_json(st, org)})

    @bp.delete("/organizations/<organization_id>")
    @locked
    def delete_organization(
        st: StytchState, body: dict[str, Any], organization_id: str
    ) -> Response:
        org = orgs.resolve(st, organization_id)
        require(st, org, session_of(st, org), [(ORGANIZATION_RESOURCE, "delete")])
        orgs.delete_organization(st, store.directories, org)
        events.organization_deleted(org.organization_id)  # webhook
        return ok({"organization_id": org.organization_id})

    @bp.post("/organizations/search")
    @locked
    def search_organizations(st: StytchState, body: dict[str, Any]) -> Response:
        found, total, next_cursor = search.search_organizations(st, body)
        return ok(
            {
                "organizations": [org_json(st, o) for o in found],
                "results_metadata": {"total": total, "next_cursor": next_cursor},
            }
        )

    # ------------------------------------------------------------ members
    @bp.post("/organizations/<organization_id>/members")
    @locked
    def create_member(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        org = orgs.resolve(st, organization_id)
        require(st, org, session_of(st, org), [(MEMBER_RESOURCE, "create")])
        member = members.create_member(st, org, body, mock.clock.now())
        events.member(CREATE, member)  # webhook
        return ok(member_payload(st, member, org))

    @bp.get("/organizations/<organization_id>/member")
    @locked
    def get_member(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        org = orgs.resolve(st, organization_id)
        member_id = body.get("member_id")
        email = body.get("email_address")
        if member_id:
            member = members.find_member(st, org, member_id)
        elif email:
            member = st.member_by_email(org.organization_id, email)
            if member is None:
                raise errors.member_not_found()
        else:
            raise errors.invalid_member_get_fields()
        return ok(member_payload(st, member, org))

    @bp.put("/organizations/<organization_id>/members/<member_id>")
    @locked
    def update_member(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
    ) -> Response:
        org = orgs.resolve(st, organization_id)
        session = session_of(st, org)
        member = members.find_member(st, org, member_id)
        member_needs(st, org, session, member, body)
        members.update_member(st, org, member, body, mock.clock.now())
        events.member(UPDATE, member)  # webhook
        return ok(member_payload(st, member, org))

    @bp.delete("/organizations/<organization_id>/members/<member_id>")
    @locked
    def delete_member(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
    ) -> Response:
        org = orgs.resolve(st, organization_id)
        session = session_of(st, org)
        member = members.find_member(st, org, member_id)
        # "delete on stytch.member or stytch.self" (docs api-reference b2b delete-member).
        api.require_on_member(st, org, session, member, "delete")
        members.delete_member(st, member, mock.clock.now())
        events.member(DELETE, member)  # webhook
        return ok({"member_id": member.member_id})

    @bp.put("/organizations/<organization_id>/members/<member_id>/reactivate")
    @locked
    def reactivate_member(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
    ) -> Response:
        org = orgs.resolve(st, organization_id)
        # Reactivation needs create on stytch.member (docs b2b/api/reactivate-member).
        require(st, org, session_of(st, org), [(MEMBER_RESOURCE, "create")])
        # "this endpoint does not accept an external_id" (openapi ..._members_Reactivate).
        member = members.find_member(
            st, org, member_id, include_deleted=True, allow_external_id=False
        )
        members.reactivate_member(st, member, mock.clock.now())
        events.member(UPDATE, member)  # webhook
        return ok(member_payload(st, member, org))

    def check_member_search_session(st: StytchState, body: dict[str, Any]) -> None:
        """With a session, ``search`` on stytch.member is needed "and organization_ids may
        only contain the organization_id of the Member Session" (docs search-members)."""
        token = request.headers.get(sessions.SESSION_HEADER)
        jwt = request.headers.get(sessions.JWT_HEADER)
        if not token and not jwt:
            return
        session = sessions.find(st, token, jwt, mock.clock.now())
        set_credential("session")
        keys = body.get("organization_ids")
        for key in keys if isinstance(keys, list) else []:
            org = st.find_organization(key) if isinstance(key, str) else None
            if org is None or org.organization_id != session.organization_id:
                raise errors.session_authorization_tenancy_error()
        own = st.organizations[session.organization_id]
        require(st, own, session, [(MEMBER_RESOURCE, "search")])

    @bp.post("/organizations/members/search")
    @locked
    def search_members(st: StytchState, body: dict[str, Any]) -> Response:
        check_member_search_session(st, body)
        found, total, next_cursor, by_id = search.search_members(st, store.directories, body)
        return ok(
            {
                "members": [models.member(m, st, store.directories) for m in found],
                "results_metadata": {"total": total, "next_cursor": next_cursor},
                "organizations": {
                    oid: org_json(st, o)
                    for oid, o in by_id.items()
                    if any(m.organization_id == oid for m in found)
                },
            }
        )

    @bp.get("/organizations/members/dangerously_get/<member_id>")
    @locked
    def dangerously_get_member(st: StytchState, body: dict[str, Any], member_id: str) -> Response:
        include_deleted = query_bool(body, "include_deleted")
        member = st.members.get(member_id)
        if member is None or (member.deleted and not include_deleted):
            raise errors.member_not_found()
        org = st.organizations[member.organization_id]
        return ok(member_payload(st, member, org))

    # ------------------------------------------------------------ SCIM connections
    def authorized_connection(
        st: StytchState, organization_id: str, connection_id: str, action: str
    ) -> tuple[Organization, Any]:
        """The path's connection, once a member session (if any) may perform ``action``."""
        org = orgs.resolve(st, organization_id)
        authorize(st, org, action)
        return org, connections.find(st, org, connection_id)

    def connection_json(st: StytchState, connection: Any, **tokens: str) -> dict[str, Any]:
        directory = store.directories.get(connection.connection_id)
        return models.connection(connection, public_url(vendor="stytch"), directory, **tokens)

    @bp.post("/scim/<organization_id>/connection")
    @locked
    def create_connection(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        org = orgs.resolve(st, organization_id)
        authorize(st, org, "create")
        connection, token = connections.create(
            st, store, org, body, mock.clock.now(), mock.settings.stytch_token_lifetime_seconds
        )
        events.connection(CREATE, connection)  # webhook
        return ok({"connection": connection_json(st, connection, bearer_token=token)})

    @bp.get("/scim/<organization_id>/connection")
    @locked
    def get_connection(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        org = orgs.resolve(st, organization_id)
        authorize(st, org, "get")
        return ok({"connection": connection_json(st, connections.active(st, org))})

    @bp.put("/scim/<organization_id>/connection/<connection_id>")
    @locked
    def update_connection(
        st: StytchState, body: dict[str, Any], organization_id: str, connection_id: str
    ) -> Response:
        org, connection = authorized_connection(st, organization_id, connection_id, "update")
        if body.get("scim_group_implicit_role_assignments") is not None:
            # "If attempting to modify the scim_group_implicit_role_assignments the caller must
            # have the update.settings.implicit-roles permission on the stytch.organization
            # resource" (stytch-browser packages/core/src/public/b2b/scim.ts updateConnection).
            require(st, org, session_of(st, org), rbac.CONNECTION_ASSIGNMENT_NEEDS)
        directory = store.directories.get(connection_id)
        connections.update(st, directory, org, connection, body)
        events.connection(UPDATE, connection)  # webhook
        return ok({"connection": connection_json(st, connection)})

    @bp.delete("/scim/<organization_id>/connection/<connection_id>")
    @locked
    def delete_connection(
        st: StytchState, body: dict[str, Any], organization_id: str, connection_id: str
    ) -> Response:
        _org, connection = authorized_connection(st, organization_id, connection_id, "delete")
        deleted = connections.delete(st, store, connection)
        events.connection(DELETE, connection)  # webhook
        return ok({"connection_id": deleted})

    @bp.get("/scim/<organization_id>/connection/<connection_id>")
    @locked
    def get_connection_groups(
        st: StytchState, body: dict[str, Any], organization_id: str, connection_id: str
    ) -> Response:
        _org, connection = authorized_connection(st, organization_id, connection_id, "get")
        items, next_cursor = connections.groups(
            store.directories.get(connection_id), connection, body.get("cursor"), body.get("limit")
        )
        return ok({"scim_groups": items, "next_cursor": next_cursor})

    @bp.post("/scim/<organization_id>/connection/<connection_id>/rotate/start")
    @locked
    def rotate_start(
        st: StytchState, body: dict[str, Any], organization_id: str, connection_id: str
    ) -> Response:
        _org, connection = authorized_connection(st, organization_id, connection_id, "update")
        token = rotation.start(
            connection, mock.clock.now(), mock.settings.stytch_token_lifetime_seconds
        )
        payload = connection_json(st, connection, next_bearer_token=token)
        return ok({"connection": payload})

    @bp.post("/scim/<organization_id>/connection/<connection_id>/rotate/complete")
    @locked
    def rotate_complete(
        st: StytchState, body: dict[str, Any], organization_id: str, connection_id: str
    ) -> Response:
        _org, connection = authorized_connection(st, organization_id, connection_id, "update")
        rotation.complete(connection)
        return ok({"connection": connection_json(st, connection)})

    @bp.post("/scim/<organization_id>/connection/<connection_id>/rotate/cancel")
    @locked
    def rotate_cancel(
        st: StytchState, body: dict[str, Any], organization_id: str, connection_id: str
    ) -> Response:
        _org, connection = authorized_connection(st, organization_id, connection_id, "update")
        rotation.cancel(connection)
        return ok({"connection": connection_json(st, connection)})

    app.register_blueprint(bp)
