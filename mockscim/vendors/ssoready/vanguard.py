"""What SSOReady's REST layer (connectrpc/vanguard-go v0.2.0 in front of the Connect
handlers) does to a request before any handler or the API-key interceptor sees it: the
``exact`` profile's checks, in vanguard's order.

1. The route and method (``transcoder.go`` ``resolveMethod``): unknown path 404, other method
   405 with ``Allow``, plain text; ``HEAD`` and ``OPTIONS`` are methods like any other.
2. The content type (``protocol_rest.go`` ``extractProtocolRequestHeaders``): none,
   ``application/json`` or exactly ``application/json; charset=utf-8``; anything else (even
   ``charset=UTF-8``) is 415 ``"<type>?" sub-format not supported``, plain text.
3. The body (``prepareUnmarshalledRequestFromBody``): an RPC without a body field refuses any
   bytes; an empty body is an empty message; otherwise protojson with ``DiscardUnknown``
   (unknown fields ignored, JSON and proto field names, ``null`` as unset, wrong types and
   lone surrogates refused).
4. Query parameters (``setParameter`` / ``resolvePathToDescriptors``), after the Go mux's
   camelCase-to-snake_case rewrite (``cmd/api/main.go`` ``publicAPICamelToSnake``, GET only,
   four paths): a name that is no field of the request message is refused.

Failures of 3 and 4 are plain Go errors, which ``responseWriter.reportError`` wraps as
``connect.CodeUnknown``: code 2, HTTP 500, the error's text as the message.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, request

from mockscim.engine import jsontext
from mockscim.http.bodies import MAX_DEPTH
from mockscim.http.context import set_error_kind
from mockscim.http.surfaces import Surfaces
from mockscim.settings import Settings
from mockscim.vendors.ssoready import errors
from mockscim.vendors.ssoready.jsonscan import GO_MAX_DEPTH, LONE_SURROGATE, nesting

#: cmd/api/main.go: the GET paths whose camelCase query names are rewritten.
CAMEL_PATHS = ("/v1/organizations", "/v1/saml-connections", "/v1/scim-directories")
CAMEL_TO_SNAKE = {
    "scimDirectoryId": "scim_directory_id",
    "organizationId": "organization_id",
    "organizationExternalId": "organization_external_id",
    "scimGroupId": "scim_group_id",
    "pageToken": "page_token",
}
STRING, BOOL, STRINGS = "string", "bool", "repeated string"

#: Request body messages: JSON name -> (proto name, kind).
ORGANIZATION = {
    "id": ("id", STRING),
    "environmentId": ("environment_id", STRING),
    "displayName": ("display_name", STRING),
    "externalId": ("external_id", STRING),
    "domains": ("domains", STRINGS),
}
SCIM_DIRECTORY = {
    "id": ("id", STRING),
    "organizationId": ("organization_id", STRING),
    "primary": ("primary", BOOL),
    "scimBaseUrl": ("scim_base_url", STRING),
    "hasClientBearerToken": ("has_client_bearer_token", BOOL),
}
SAML_CONNECTION = {
    "id": ("id", STRING),
    "organizationId": ("organization_id", STRING),
    "primary": ("primary", BOOL),
    "idpRedirectUrl": ("idp_redirect_url", STRING),
    "idpCertificate": ("idp_certificate", STRING),
    "idpEntityId": ("idp_entity_id", STRING),
    "spEntityId": ("sp_entity_id", STRING),
    "spAcsUrl": ("sp_acs_url", STRING),
}
CREATE_SETUP_URL = {
    "organizationId": ("organization_id", STRING),
    "canManageSaml": ("can_manage_saml", BOOL),
    "canManageScim": ("can_manage_scim", BOOL),
}
GET_SAML_REDIRECT_URL = {
    "samlConnectionId": ("saml_connection_id", STRING),
    "organizationId": ("organization_id", STRING),
    "organizationExternalId": ("organization_external_id", STRING),
    "state": ("state", STRING),
}
REDEEM_SAML_ACCESS_CODE = {"samlAccessCode": ("saml_access_code", STRING)}


@dataclass(frozen=True)
class Rpc:
    """One REST binding of the service (``google.api.http`` in ssoready.proto)."""

    request_type: str
    #: Proto names a query parameter may set (the request message's own fields).
    fields: tuple[str, ...] = ()
    #: The body's message, or None when the binding has no body.
    body: dict[str, tuple[str, str]] | None = None


_LIST = ("organization_id", "page_token")
_SELECT = ("scim_directory_id", "organization_id", "organization_external_id")
#: (HTTP method, path with ``{id}``) -> the binding, as ssoready.proto declares them.
RPCS: dict[tuple[str, str], Rpc] = {
    ("GET", "/v1/organizations"): Rpc("ListOrganizationsRequest", ("page_token",)),
    ("POST", "/v1/organizations"): Rpc(
        "CreateOrganizationRequest", ("organization",), ORGANIZATION
    ),
    ("GET", "/v1/organizations/{id}"): Rpc("GetOrganizationRequest", ("id",)),
    ("PATCH", "/v1/organizations/{id}"): Rpc(
        "UpdateOrganizationRequest", ("id", "organization"), ORGANIZATION
    ),
    ("GET", "/v1/scim-directories"): Rpc("ListSCIMDirectoriesRequest", _LIST),
    ("POST", "/v1/scim-directories"): Rpc(
        "CreateSCIMDirectoryRequest", ("scim_directory",), SCIM_DIRECTORY
    ),
    ("GET", "/v1/scim-directories/{id}"): Rpc("GetSCIMDirectoryRequest", ("id",)),
    ("PATCH", "/v1/scim-directories/{id}"): Rpc(
        "UpdateSCIMDirectoryRequest", ("id", "scim_directory"), SCIM_DIRECTORY
    ),
    ("POST", "/v1/scim-directories/{id}/rotate-bearer-token"): Rpc(
        "RotateSCIMDirectoryBearerTokenRequest", ("id",)
    ),
    ("GET", "/v1/scim/users"): Rpc(
        "ListSCIMUsersRequest", (*_SELECT, "scim_group_id", "page_token")
    ),
    ("GET", "/v1/scim/users/{id}"): Rpc("GetSCIMUserRequest", ("id",)),
    ("GET", "/v1/scim/groups"): Rpc("ListSCIMGroupsRequest", (*_SELECT, "page_token")),
    ("GET", "/v1/scim/groups/{id}"): Rpc("GetSCIMGroupRequest", ("id",)),
    ("GET", "/v1/saml-connections"): Rpc("ListSAMLConnectionsRequest", _LIST),
    ("POST", "/v1/saml-connections"): Rpc(
        "CreateSAMLConnectionRequest", ("saml_connection",), SAML_CONNECTION
    ),
    ("GET", "/v1/saml-connections/{id}"): Rpc("GetSAMLConnectionRequest", ("id",)),
    ("PATCH", "/v1/saml-connections/{id}"): Rpc(
        "UpdateSAMLConnectionRequest", ("id", "saml_connection"), SAML_CONNECTION
    ),
    ("POST", "/v1/saml/redirect"): Rpc(
        "GetSAMLRedirectURLRequest",
        tuple(p for p, _ in GET_SAML_REDIRECT_URL.values()),
        GET_SAML_REDIRECT_URL,
    ),
    ("POST", "/v1/saml/redeem"): Rpc(
        "RedeemSAMLAccessCodeRequest", ("saml_access_code",), REDEEM_SAML_ACCESS_CODE
    ),
    ("POST", "/v1/setup-urls"): Rpc(
        "CreateSetupURLRequest", tuple(p for p, _ in CREATE_SETUP_URL.values()), CREATE_SETUP_URL
    ),
}
_PLACEHOLDER = re.compile(r"<[^>]+>")


def binding() -> Rpc | None:
    """The binding of the current request's rule and method (None: a method vanguard has no
    route for, such as HEAD or OPTIONS)."""
    rule = request.url_rule
    if rule is None:
        return None
    return RPCS.get((request.method, _PLACEHOLDER.sub("{id}", rule.rule)))


def method_not_allowed(allowed: list[str] | None = None) -> Response:
    """Step 1 for a method the path has no binding for: 405 with the bound methods (by
    default, those of the matched rule)."""
    if allowed is None:
        rule = request.url_rule
        methods = (rule.methods or set()) if rule is not None else set()
        allowed = sorted(m for m in methods if m not in ("HEAD", "OPTIONS"))
    set_error_kind("method_not_allowed")
    return errors.go_http_error(405, "Method Not Allowed", ",".join(allowed))


def before_handler() -> tuple[Response | None, dict[str, Any]]:
    """Steps 1-4 for the current request: an early response, or the decoded body."""
    rpc = binding()
    if rpc is None:
        return method_not_allowed(), {}
    bad_type = content_type_error()
    if bad_type is not None:
        return bad_type, {}
    body = decode_body(request.get_data(cache=True), rpc)
    check_query(rpc, camel_applies(request.path))
    return None, body


#: vanguard's limit is 4 GiB (``DefaultMaxMessageBufferBytes = math.MaxUint32``) and the
#: SCIM server reads bodies with an unbounded ``io.ReadAll``; mockscim keeps a bound of its own.
EXACT_MAX_BODY_BYTES = 32 * 1024 * 1024


def raise_body_limit(
    settings: Settings, surfaces: Surfaces, names: tuple[str, ...]
) -> Callable[[], None]:
    """A before-request hook: the paths of the surfaces ``names`` (SSOReady's API and SCIM
    server, not whatever else lives under ``/v1/``) take bodies up to 32 MiB (or the
    configured ``max_body_bytes`` when larger) instead of the app-wide limit."""
    limit = max(settings.max_body_bytes, EXACT_MAX_BODY_BYTES)

    def hook() -> None:
        surface = surfaces.for_path(request.path)
        if surface is not None and surface.name in names:
            with contextlib.suppress(AttributeError):  # settable per request from Flask 3.1
                request.max_content_length = limit  # type: ignore[misc]

    return hook


def content_type_error() -> Response | None:
    """Step 2: vanguard's 415, before the body is read."""
    content_type = request.headers.get("Content-Type")
    if content_type is None or content_type in (
        "application/json",
        "application/json; charset=utf-8",
    ):
        return None
    set_error_kind("unsupported_media_type")
    return errors.go_http_error(415, f'"{content_type}?" sub-format not supported')


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _go(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def decode_body(raw: bytes, rpc: Rpc) -> dict[str, Any]:
    """Step 3: the body as the handler's request message sees it, with camelCase keys."""
    if rpc.body is None:
        if raw:
            raise errors.unknown(f"request should have no body; instead got {len(raw)} bytes")
        return {}
    if not raw:
        return {}
    depth = nesting(raw)
    if depth > GO_MAX_DEPTH:
        raise errors.unknown("proto: exceeded max recursion depth")
    if depth > MAX_DEPTH:  # mockscim's own bound (README, hostile input)
        raise errors.invalid_argument(f"The request body is nested deeper than {MAX_DEPTH} levels.")
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=jsontext.reject_constant)
    except UnicodeDecodeError:
        raise errors.unknown("proto: syntax error: invalid UTF-8") from None
    except ValueError as exc:
        raise errors.unknown(f"proto: syntax error: {exc}") from None
    if _has_surrogate(value):
        raise errors.unknown("proto: syntax error: invalid escape code in string")
    if not isinstance(value, dict):
        raise errors.unknown(f"proto: syntax error: unexpected token {_go(value)[:40]}")
    by_name = {json_name: (json_name, kind) for json_name, (_, kind) in rpc.body.items()}
    by_name.update({proto: (json_name, kind) for json_name, (proto, kind) in rpc.body.items()})
    out: dict[str, Any] = {}
    for key, item in value.items():
        known = by_name.get(key)
        if known is None or item is None:
            continue  # DiscardUnknown; null is the default
        json_name, kind = known
        ok = (
            isinstance(item, str)
            if kind == STRING
            else isinstance(item, bool)
            if kind == BOOL
            else isinstance(item, list) and all(isinstance(v, str) for v in item)
        )
        if not ok:
            raise errors.unknown(
                f"proto: invalid value for {kind} field {json_name}: {_go(item)[:40]}"
            )
        out[json_name] = item
    return out


def check_query(rpc: Rpc, camel: bool) -> None:
    """Step 4: every query name must be a field of the request message."""
    for name in request.args:
        proto = CAMEL_TO_SNAKE.get(name, name) if camel else name
        element = proto.split(".")[0]
        if element not in rpc.fields:
            raise errors.unknown(
                f'in field path "{proto}": element "{element}" does not correspond to any '
                f"field of type ssoready.v1.{rpc.request_type}"
            )


def camel_applies(path: str) -> bool:
    """``publicAPICamelToSnake`` wraps ``/v1/scim/`` (a prefix) and three exact paths."""
    return request.method == "GET" and (path.startswith("/v1/scim/") or path in CAMEL_PATHS)
