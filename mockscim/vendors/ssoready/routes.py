"""SSOReady's management API (organizations, SCIM directories, rotation) and app API
(provisioned users and groups), at the root like ``https://api.ssoready.com``.

Routes are thin: authenticate the API key, parse, call a domain function under the store
lock, serialize. Every view authenticates and acts in one critical section, so a rotation is
atomic with respect to every other request.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, g, request

from mockscim.engine.mock import Mock
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import current_mock, public_url, set_credential
from mockscim.scim.directory import ScimDirectory, ScimRecord, member_ids
from mockscim.vendors.ssoready import admin, errors, models, rotation, saml, samllogin, vanguard
from mockscim.vendors.ssoready import organizations as orgs
from mockscim.vendors.ssoready.errors import SSOReadyError
from mockscim.vendors.ssoready.state import (
    GROUP_PREFIX,
    USER_PREFIX,
    DirectoryRecord,
    SSOReadyState,
    decode_page_key,
    encode_page_key,
    id_error,
)

MANAGEMENT = "management"
APP = "app"


def _exact() -> bool:
    """The ``exact`` profile answers store failures as the real server does (code 2, 500)."""
    return bool(current_mock().settings.ssoready_profile == "exact")


#: The API key format (idformat.APISecretKey): ``ssoready_sk_`` + 25 base-36 digits.
SECRET_KEY_PREFIX = "ssoready_sk_"
_HEX = re.compile(r"^(?:[0-9a-fA-F]{2})*$")


def _json(body: Any) -> Response:
    return Response(json.dumps(body), status=200, content_type="application/json")


# ---------------------------------------------------------------------- auth
def authenticate(scope: str) -> None:
    """authninterceptor.go: a Bearer ``ssoready_sk_`` key; app keys only reach the app API."""
    settings = current_mock().settings
    # Go's net/http trims the whitespace around a header value before the interceptor reads
    # it (net/textproto ReadMIMEHeader), so "Bearer " arrives as "Bearer" and fails the
    # "Bearer " prefix cut: trim here too, whatever server (or test client) the mock runs on.
    header = (request.headers.get("Authorization") or "").strip(" \t")
    if not header:
        set_credential("none")
        raise errors.unauthenticated("authorization header is required")
    exact = _exact()
    if not header.startswith("Bearer "):
        set_credential("invalid")
        # strings.CutPrefix fails: connect.NewError(CodeUnauthenticated, nil), no message.
        raise errors.unauthenticated(
            "" if exact else "authorization header must be 'Bearer <api key>'"
        )
    key = header[len("Bearer ") :] if exact else header[len("Bearer ") :].strip()
    is_management = _same(key, settings.ssoready_api_key)
    is_app = bool(settings.ssoready_app_key) and _same(key, settings.ssoready_app_key or "")
    if not (is_management or is_app):
        set_credential("invalid")
        if exact:
            raise _unknown_credential(key)
        raise errors.unauthenticated("invalid api key")
    set_credential("api_key")
    if scope == MANAGEMENT and not is_management:
        raise errors.not_management_key()


def _unknown_credential(key: str) -> errors.SSOReadyError:
    """authninterceptor.go returns the store's error as is (code 2, 500): an
    ``ssoready_sk_`` key is looked up by its secret, anything else as an app session token."""
    if key.startswith(SECRET_KEY_PREFIX):
        problem = id_error(SECRET_KEY_PREFIX, key)
        if problem:
            return errors.unknown(f"parse api secret key: {problem}")
        return errors.unknown("get api key by secret value: no rows in result set")
    session = "appauthinterceptor: store: get app session: "
    if not _HEX.match(key):
        bad = next((c for c in key if c not in "0123456789abcdefABCDEF"), None)
        if bad is None:
            return errors.unknown(
                session + "parse session token: encoding/hex: odd length hex string"
            )
        return errors.unknown(
            session + f"parse session token: encoding/hex: invalid byte: U+{ord(bad):04X} {bad!r}"
        )
    return errors.unknown(session + "no rows in result set")


def _same(presented: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


# ---------------------------------------------------------------------- input
def _body() -> dict[str, Any]:
    """The JSON body as protobuf JSON reads it: an object, null values meaning absent;
    camelCase and the proto's snake_case names are both accepted. ``exact``: as vanguard
    decoded it before authentication (an empty body is an empty message)."""
    if _exact():
        return dict(g.ssoready_body)
    try:
        body = request_json(required=True)
    except BodyError as exc:
        raise errors.invalid_argument(str(exc)) from exc
    return {_camel(k): v for k, v in body.items() if v is not None}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _query(name: str) -> str:
    """A query parameter by its camelCase name or, as vanguard resolves them by proto field
    name, its snake_case one."""
    value = request.args.get(name, "")
    if not value:
        value = request.args.get(_snake(name), "")
    return value


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _page(items: list[Any], scope: str) -> tuple[list[Any], str]:
    """One page of ``items`` ordered by id, as every store list query is (``where id >=
    $start order by id limit 11``); the token names the next page's first id."""
    size = max(1, current_mock().settings.ssoready_page_size)
    try:
        start = decode_page_key(_query("pageToken") or None, scope)
    except errors.SSOReadyError:
        if _exact():
            raise errors.bad_page_token() from None
        raise
    ordered = sorted((i for i in items if i.id >= start), key=lambda i: i.id)
    page = ordered[:size]
    return page, encode_page_key(scope, ordered[size].id) if len(ordered) > size else ""


# ---------------------------------------------------------------------- lookups
def _scim_data(mock: Mock, directory_id: str) -> ScimDirectory:
    """The directory's users and groups (an empty one if a restored snapshot lacks them)."""
    found = mock.store.directories.get(directory_id)
    return found if found is not None else ScimDirectory(directory_id, "ssoready")


def _selected_directory(state: SSOReadyState) -> DirectoryRecord:
    """store/scim.go: scimDirectoryId, else organizationId, else organizationExternalId (the
    organization's primary directory); one of them is required. ``exact``: an unknown or
    malformed id, or an organization without a primary directory, is code 2 (500)."""
    plain = orgs.PLAIN if _exact() else None
    if _query("scimDirectoryId"):
        return orgs.find_directory(state, _query("scimDirectoryId"), plain)
    if _query("organizationId"):
        org = orgs.find_org(state, _query("organizationId"), plain)
        primary = state.primary_directory(org.id)
        if primary is None:
            if plain is not None:
                raise errors.unknown(plain.missing)
            raise errors.invalid_argument(
                "bad organization_id: organization does not have a primary SCIM directory"
            )
        return primary
    if _query("organizationExternalId"):
        found = state.org_by_external_id(_query("organizationExternalId"))
        primary = state.primary_directory(found.id) if found else None
        if primary is None:
            raise errors.invalid_argument(
                "bad organization_external_id: organization not found, or organization does "
                "not have a primary SCIM directory"
            )
        return primary
    raise errors.invalid_argument(
        "one of scim_directory_id, organization_id, or organization_external_id must be provided"
    )


def _user(state: SSOReadyState, record: ScimRecord, directory_id: str) -> dict[str, Any]:
    deleted = orgs.user_deleted(state, record)
    return models.scim_user(record, directory_id, deleted, state.email_of(record.id))


def _group(state: SSOReadyState, record: ScimRecord, directory_id: str) -> dict[str, Any]:
    return models.scim_group(record, directory_id, state.group_names.get(record.id))


def _members(state: SSOReadyState, directory: ScimDirectory, group_id: str) -> set[str]:
    """``ListSCIMUsersInSCIMGroup``: the membership relation (the ``exact`` profile keeps it
    apart from the group's attributes, and a deleted group keeps it); the ``rfc`` profile's
    is the group's ``members``."""
    if group_id in state.memberships:
        return set(state.memberships[group_id])
    group = directory.groups.get(group_id)
    return set(member_ids(group.data)) if group is not None else set()


# ---------------------------------------------------------------------- routes
def register_routes(app: Flask, mock: Mock, environment_id: str) -> None:
    bp = Blueprint("ssoready", __name__)
    exact = mock.settings.ssoready_profile == "exact"
    # exact: vanguard answers OPTIONS (and HEAD) with its 405, not Flask's automatic answer.
    # (rfc: Flask's default, which also lists OPTIONS among a rule's methods.)
    route_options: dict[str, Any] = {"provide_automatic_options": False} if exact else {}

    @bp.errorhandler(SSOReadyError)
    def _error(error: SSOReadyError) -> Response:
        return errors.render(error)

    def guarded(scope: str, action: Callable[[SSOReadyState], Any]) -> Response:
        if exact:
            early, g.ssoready_body = vanguard.before_handler()
            if early is not None:
                return early
        with mock.store.lock:
            authenticate(scope)
            return _json(action(mock.store.vendor("ssoready")))

    env = environment_id

    # ------------------------------------------------------------ organizations
    @bp.route("/v1/organizations", methods=["GET", "POST"], **route_options)
    def organizations() -> Response:
        if request.method == "POST":

            def create(state: SSOReadyState) -> Any:
                org = orgs.create_organization(state, _body(), mock.clock.now(), exact)
                return {"organization": models.organization(org, env)}

            return guarded(MANAGEMENT, create)

        def listing(state: SSOReadyState) -> Any:
            page, token = _page(list(state.organizations.values()), "organizations")
            return {
                "organizations": [models.organization(o, env) for o in page],
                "nextPageToken": token,
            }

        return guarded(MANAGEMENT, listing)

    @bp.route("/v1/organizations/<org_id>", methods=["GET", "PATCH"], **route_options)
    def organization(org_id: str) -> Response:
        def act(state: SSOReadyState) -> Any:
            if request.method == "PATCH":
                org = orgs.update_organization(state, org_id, _body(), exact)
            else:
                org = orgs.find_org(state, org_id, orgs.ORG_LOOKUP if exact else None)
            return {"organization": models.organization(org, env)}

        return guarded(MANAGEMENT, act)

    # ------------------------------------------------------------ SCIM directories
    @bp.route("/v1/scim-directories", methods=["GET", "POST"], **route_options)
    def scim_directories() -> Response:
        host = public_url(vendor="ssoready")
        if request.method == "POST":

            def create(state: SSOReadyState) -> Any:
                directory = orgs.create_directory(mock, state, _body(), exact)
                return {"scimDirectory": models.scim_directory(directory, host)}

            return guarded(MANAGEMENT, create)

        def listing(state: SSOReadyState) -> Any:
            org_id = _query("organizationId")
            if not org_id and not exact:
                raise errors.invalid_argument("organizationId is required")
            orgs.find_org(state, org_id, orgs.PLAIN if exact else None)
            page, token = _page(state.directories_of(org_id), f"scim-directories:{org_id}")
            return {
                "scimDirectories": [models.scim_directory(d, host) for d in page],
                "nextPageToken": token,
            }

        return guarded(MANAGEMENT, listing)

    @bp.route("/v1/scim-directories/<directory_id>", methods=["GET", "PATCH"], **route_options)
    def scim_directory(directory_id: str) -> Response:
        host = public_url(vendor="ssoready")

        def act(state: SSOReadyState) -> Any:
            if request.method == "PATCH":
                directory = orgs.update_directory(state, directory_id, _body(), exact)
            else:
                directory = orgs.find_directory(
                    state, directory_id, orgs.DIRECTORY_LOOKUP if exact else None
                )
            return {"scimDirectory": models.scim_directory(directory, host)}

        return guarded(MANAGEMENT, act)

    @bp.route(
        "/v1/scim-directories/<directory_id>/rotate-bearer-token", methods=["POST"], **route_options
    )
    def rotate_bearer_token(directory_id: str) -> Response:
        def act(state: SSOReadyState) -> Any:
            directory = orgs.find_directory(
                state, directory_id, orgs.DIRECTORY_LOOKUP if exact else None
            )
            return {"bearerToken": rotation.rotate(directory, mock.clock.now())}

        return guarded(MANAGEMENT, act)

    # ------------------------------------------------------------ app API
    @bp.route("/v1/scim/users", methods=["GET"], **route_options)
    def list_scim_users() -> Response:
        def act(state: SSOReadyState) -> Any:
            meta = _selected_directory(state)
            directory = _scim_data(mock, meta.id)
            group_id = _query("scimGroupId")
            if exact and group_id and (problem := id_error(GROUP_PREFIX, group_id)):
                raise errors.unknown(f"parse scim group id: {problem}")
            records = list(directory.users.values())
            if group_id:
                records = [r for r in records if r.id in _members(state, directory, group_id)]
            page, token = _page(records, f"scim-users:{meta.id}:{group_id}")
            return {
                "scimUsers": [_user(state, r, meta.id) for r in page],
                "nextPageToken": token,
            }

        return guarded(APP, act)

    @bp.route("/v1/scim/users/<user_id>", methods=["GET"], **route_options)
    def get_scim_user(user_id: str) -> Response:
        def act(state: SSOReadyState) -> Any:
            for directory_id in state.directories:
                record = _scim_data(mock, directory_id).users.get(user_id)
                if record is not None:
                    return {"scimUser": _user(state, record, directory_id)}
            if exact:
                raise orgs.PLAIN.error(USER_PREFIX, user_id)
            raise errors.not_found(f"scim user not found: {user_id}")

        return guarded(APP, act)

    @bp.route("/v1/scim/groups", methods=["GET"], **route_options)
    def list_scim_groups() -> Response:
        def act(state: SSOReadyState) -> Any:
            meta = _selected_directory(state)
            directory = _scim_data(mock, meta.id)
            page, token = _page(list(directory.groups.values()), f"scim-groups:{meta.id}")
            return {
                "scimGroups": [_group(state, r, meta.id) for r in page],
                "nextPageToken": token,
            }

        return guarded(APP, act)

    @bp.route("/v1/scim/groups/<group_id>", methods=["GET"], **route_options)
    def get_scim_group(group_id: str) -> Response:
        def act(state: SSOReadyState) -> Any:
            for directory_id in state.directories:
                record = _scim_data(mock, directory_id).groups.get(group_id)
                if record is not None:
                    return {"scimGroup": _group(state, record, directory_id)}
            if exact:
                raise orgs.PLAIN.error(GROUP_PREFIX, group_id)
            raise errors.not_found(f"scim group not found: {group_id}")

        return guarded(APP, act)

    # ------------------------------------------------------------ SAML connections
    @bp.route("/v1/saml-connections", methods=["GET", "POST"], **route_options)
    def saml_connections() -> Response:
        auth_url = public_url(vendor="ssoready")
        if request.method == "POST":

            def create(state: SSOReadyState) -> Any:
                connection = saml.create_connection(state, _body(), auth_url, exact)
                return {"samlConnection": saml.connection_json(connection)}

            return guarded(MANAGEMENT, create)

        def listing(state: SSOReadyState) -> Any:
            org_id = _query("organizationId")
            saml.find_organization(state, org_id, orgs.PLAIN if exact else None)
            page, token = _page(saml.connections_of(state, org_id), f"saml-connections:{org_id}")
            return {
                "samlConnections": [saml.connection_json(c) for c in page],
                "nextPageToken": token,
            }

        return guarded(MANAGEMENT, listing)

    @bp.route("/v1/saml-connections/<conn_id>", methods=["GET", "PATCH"], **route_options)
    def saml_connection(conn_id: str) -> Response:
        def act(state: SSOReadyState) -> Any:
            if request.method == "PATCH":
                connection = saml.update_connection(state, conn_id, _body(), exact)
            else:
                connection = saml.find_connection(state, conn_id, saml.PLAIN if exact else None)
            return {"samlConnection": saml.connection_json(connection)}

        return guarded(MANAGEMENT, act)

    # ------------------------------------------------------------ SAML logins
    @bp.route("/v1/saml/redirect", methods=["POST"], **route_options)
    def saml_redirect() -> Response:
        auth_url = public_url(vendor="ssoready")

        def act(state: SSOReadyState) -> Any:
            body = _body()
            connection = saml.redirect_connection(state, body, exact)
            relay = body.get("state", "")
            flow = saml.start_flow(
                state, connection, relay if isinstance(relay, str) else "", mock.clock.now()
            )
            return {"redirectUrl": samllogin.init_url(auth_url, connection.id, flow.id)}

        return guarded(APP, act)

    @bp.route("/v1/saml/redeem", methods=["POST"], **route_options)
    def saml_redeem() -> Response:
        def act(state: SSOReadyState) -> Any:
            code = _body().get("samlAccessCode", "")
            return saml.redeem(state, code if isinstance(code, str) else "")

        return guarded(APP, act)

    # ------------------------------------------------------------ setup URLs
    @bp.route("/v1/setup-urls", methods=["POST"], **route_options)
    def setup_urls() -> Response:
        host = public_url(vendor="ssoready")

        def act(state: SSOReadyState) -> Any:
            token = admin.create_setup_token(state, _body(), mock.clock.now(), exact)
            return {"url": admin.setup_url(host, token)}

        return guarded(MANAGEMENT, act)

    app.register_blueprint(bp)
