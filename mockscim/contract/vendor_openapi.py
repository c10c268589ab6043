"""The vendors' own OpenAPI documents as the contract, and every adaptation made to them.

A user who downloaded Stytch's ``openapi.yml`` (stytchauth/stytch-openapi) and SSOReady's
``openapi.yaml`` (ssoready/ssoready, ``internal/gen/openapi.yaml``) points the contract suite
at the folder holding them (``make contract VENDOR_OPENAPI=DIR``); the suite fuzzes the mock
against them. This repository never holds a copy: the documents are read by path.

The documents alone are not the whole contract: each vendor documents more elsewhere, and
this module is the ONE place where that knowledge is added (docs/contract.md lists the same):

Stytch (``openapi.yml``)
  * only the operations mockscim emulates are fuzzed (:data:`STYTCH_OPERATIONS`);
  * every operation may answer **403** and **404** in Stytch's error format: the error
    catalogue (https://stytch.com/docs/api/errors/403, /404: ``unauthorized_action``,
    ``organization_not_found``, ``member_not_found``, ``no_active_scim_connection``...) has
    them, the document lists only 200/400/401/429/500;
  * a property the official SDK's model declares ``Optional[...] = None`` may be JSON
    ``null`` (stytch-python ``stytch/b2b/models/*.py``); the document has no nullability.
    :data:`STYTCH_SDK_OPTIONAL` names them.

SSOReady (``openapi.yaml``)
  * all of the management and app API is fuzzed (:data:`SSOREADY_OPERATIONS`; the
    :data:`SSOREADY_PENDING` set of not-yet-emulated operations is empty);
  * the management and app API authenticate with ``Authorization: Bearer <key>``
    (ssoready-python ``client.py``; ``authninterceptor.go``), which the document does not say;
  * a request body is optional (:data:`SSOREADY_EMPTY_BODY_IS_EMPTY_MESSAGE`): vanguard
    reads a missing body as the empty message;
  * in the ``exact`` profile an HTTP 500 whose body is a ``google.rpc.Status`` with code 2
    (``unknown``) is the vendor's answer, not a mock crash: connect-go gives every plain Go
    error from the store (``no rows in result set``, an id that does not parse) code 2, and
    vanguard maps code 2 to HTTP 500 (:func:`tolerated_server_error`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The Stytch B2B operations mockscim emulates, as (METHOD, path) of Stytch's document.
STYTCH_OPERATIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/v1/b2b/organizations"),
        ("GET", "/v1/b2b/organizations/{organization_id}"),
        ("PUT", "/v1/b2b/organizations/{organization_id}"),
        ("DELETE", "/v1/b2b/organizations/{organization_id}"),
        ("POST", "/v1/b2b/organizations/search"),
        ("POST", "/v1/b2b/organizations/{organization_id}/members"),
        ("GET", "/v1/b2b/organizations/{organization_id}/member"),
        ("PUT", "/v1/b2b/organizations/{organization_id}/members/{member_id}"),
        ("DELETE", "/v1/b2b/organizations/{organization_id}/members/{member_id}"),
        ("PUT", "/v1/b2b/organizations/{organization_id}/members/{member_id}/reactivate"),
        ("POST", "/v1/b2b/organizations/members/search"),
        ("GET", "/v1/b2b/organizations/members/dangerously_get/{member_id}"),
        ("POST", "/v1/b2b/scim/{organization_id}/connection"),
        ("GET", "/v1/b2b/scim/{organization_id}/connection"),
        ("PUT", "/v1/b2b/scim/{organization_id}/connection/{connection_id}"),
        ("DELETE", "/v1/b2b/scim/{organization_id}/connection/{connection_id}"),
        ("GET", "/v1/b2b/scim/{organization_id}/connection/{connection_id}"),
        ("POST", "/v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/start"),
        ("POST", "/v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/complete"),
        ("POST", "/v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/cancel"),
        ("DELETE", "/v1/b2b/organizations/{organization_id}/external_id"),
        ("GET", "/v1/b2b/organizations/{organization_id}/metrics"),
        ("DELETE", "/v1/b2b/organizations/{organization_id}/members/{member_id}/external_id"),
        ("DELETE", "/v1/b2b/organizations/{organization_id}/members/mfa_phone_numbers/{member_id}"),
        ("DELETE", "/v1/b2b/organizations/{organization_id}/members/{member_id}/totp"),
        (
            "DELETE",
            "/v1/b2b/organizations/{organization_id}/members/passwords/{member_password_id}",
        ),
        ("POST", "/v1/b2b/organizations/{organization_id}/members/{member_id}/start_email_update"),
        (
            "POST",
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/unlink_retired_email",
        ),
        ("GET", "/v1/b2b/organizations/{organization_id}/members/{member_id}/oidc_providers"),
        *(
            (
                "GET",
                f"/v1/b2b/organizations/{{organization_id}}/members/{{member_id}}/oauth_providers/{p}",
            )
            for p in ("google", "microsoft", "slack", "hubspot", "github")
        ),
        ("GET", "/v1/b2b/rbac/policy"),
        ("GET", "/v1/b2b/rbac/organizations/{organization_id}"),
        ("PUT", "/v1/b2b/rbac/organizations/{organization_id}"),
        ("GET", "/v1/b2b/sessions"),
        ("POST", "/v1/b2b/sessions/authenticate"),
        ("POST", "/v1/b2b/sessions/revoke"),
        ("POST", "/v1/b2b/sessions/exchange"),
        ("GET", "/v1/b2b/sessions/jwks/{project_id}"),
    }
)

#: SSOReady's whole management and app API (every operation of its document).
SSOREADY_OPERATIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/v1/organizations"),
        ("POST", "/v1/organizations"),
        ("GET", "/v1/organizations/{id}"),
        ("PATCH", "/v1/organizations/{id}"),
        ("GET", "/v1/saml-connections"),
        ("POST", "/v1/saml-connections"),
        ("GET", "/v1/saml-connections/{id}"),
        ("PATCH", "/v1/saml-connections/{id}"),
        ("POST", "/v1/saml/redeem"),
        ("POST", "/v1/saml/redirect"),
        ("GET", "/v1/scim-directories"),
        ("POST", "/v1/scim-directories"),
        ("GET", "/v1/scim-directories/{id}"),
        ("PATCH", "/v1/scim-directories/{id}"),
        ("POST", "/v1/scim-directories/{id}/rotate-bearer-token"),
        ("GET", "/v1/scim/groups"),
        ("GET", "/v1/scim/groups/{id}"),
        ("GET", "/v1/scim/users"),
        ("GET", "/v1/scim/users/{id}"),
        ("POST", "/v1/setup-urls"),
    }
)

#: SSOReady operations the mock answers 501 (not emulated): none since SAML connections, setup
#: URLs and SAML logins are emulated; kept (empty) so a future gap has one place to go.
SSOREADY_PENDING: frozenset[tuple[str, str]] = frozenset()

#: Stytch schema -> properties the stytch-python SDK (15.x) model of the same name declares
#: ``Optional[...] = None`` (``stytch/b2b/models/scim.py``, ``scim_connection.py``,
#: ``organizations.py``, ``organizations_members.py``): Stytch may send them as ``null``.
#: None of them is in a ``required`` list of the document.
STYTCH_SDK_OPTIONAL: dict[str, tuple[str, ...]] = {
    "api_b2b_scim_v1_EnterpriseExtension": ("manager",),
    "api_b2b_scim_v1_SCIMAttributes": ("name", "enterprise_extension"),
    "api_b2b_scim_v1_SCIMConnection": ("bearer_token_expires_at", "next_bearer_token_expires_at"),
    "api_b2b_scim_v1_SCIMConnectionWithNextToken": (
        "bearer_token_expires_at",
        "next_bearer_token_expires_at",
    ),
    "api_b2b_scim_v1_SCIMConnectionWithToken": ("bearer_token_expires_at",),
    "api_b2b_scim_v1_b2b_scim_connection_CreateResponse": ("connection",),
    "api_b2b_scim_v1_b2b_scim_connection_GetGroupsResponse": ("next_cursor",),
    "api_b2b_scim_v1_b2b_scim_connection_GetResponse": ("connection",),
    "api_b2b_scim_v1_b2b_scim_connection_RotateCancelResponse": ("connection",),
    "api_b2b_scim_v1_b2b_scim_connection_RotateCompleteResponse": ("connection",),
    "api_b2b_scim_v1_b2b_scim_connection_RotateStartResponse": ("connection",),
    "api_b2b_scim_v1_b2b_scim_connection_UpdateResponse": ("connection",),
    "api_organization_v1_ActiveSCIMConnection": ("bearer_token_expires_at",),
    "api_organization_v1_Member": (
        "trusted_metadata",
        "untrusted_metadata",
        "created_at",
        "updated_at",
        "scim_registration",
        "external_id",
        "lock_created_at",
        "lock_expires_at",
    ),
    "api_organization_v1_MemberRoleSource": ("details",),
    "api_organization_v1_OAuthRegistration": ("profile_picture_url", "locale"),
    "api_organization_v1_Organization": (
        "trusted_metadata",
        "created_at",
        "updated_at",
        "organization_external_id",
        "sso_default_connection_id",
        "scim_active_connection",
        "allowed_oauth_tenants",
    ),
    "api_organization_v1_ResultsMetadata": ("next_cursor",),
    "api_organization_v1_SCIMRegistration": ("external_id", "scim_attributes"),
    "api_organization_v1_SSORegistration": ("sso_attributes",),
}

#: A Stytch POST/PUT without a body is answered as if it carried ``{}``. NOT documented by
#: Stytch: the mock's own choice (docs/contract.md "Decisions made without vendor evidence"),
#: as protobuf HTTP gateways read an empty body as the empty message. The SDKs always send one.
STYTCH_EMPTY_BODY_IS_EMPTY_MESSAGE = True
#: An SSOReady POST/PATCH without a body is the empty request message: vanguard-go v0.2.0
#: ``prepareUnmarshalledRequestFromBody`` returns before decoding when ``len(src) == 0``, so the
#: handler runs with empty fields (the ``exact`` profile does the same; ``required: true`` in
#: ``openapi.yaml`` is only the generator's default).
SSOREADY_EMPTY_BODY_IS_EMPTY_MESSAGE = True

#: Stytch's error object (every error of the catalogue has this shape).
STYTCH_ERROR = {
    "type": "object",
    "properties": {
        "status_code": {"type": "integer"},
        "request_id": {"type": "string"},
        "error_type": {"type": "string"},
        "error_message": {"type": "string"},
        "error_url": {"type": "string"},
    },
    "required": ["status_code", "error_type", "error_message"],
}

#: Statuses the Stytch error catalogue adds to every operation, with why.
STYTCH_EXTRA_RESPONSES = {
    "403": "Forbidden (error catalogue: unauthorized_action and the RBAC errors)",
    "404": "Not found (error catalogue: organization_not_found, member_not_found, "
    "no_active_scim_connection...)",
}

#: connect-go's ``unknown`` code (vanguard answers it as HTTP 500).
CONNECT_UNKNOWN = 2

VENDORS = ("stytch", "ssoready")


class VendorDocumentError(Exception):
    """The folder does not hold a recognizable vendor document; the message says why."""


@dataclass(frozen=True)
class VendorDocument:
    vendor: str
    path: Path
    #: The adapted document: emulated operations only, vendor-documented additions applied.
    document: dict[str, Any]
    #: (METHOD, path) fuzzed, and those left out because the mock does not emulate them yet.
    operations: frozenset[tuple[str, str]]
    pending: frozenset[tuple[str, str]]


def _load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)
    if not isinstance(data, dict) or "paths" not in data:
        raise VendorDocumentError(f"{path}: not an OpenAPI document")
    return data


def vendor_of(doc: Mapping[str, Any]) -> str | None:
    """Which vendor's document this is, from its paths (the file name is the user's choice)."""
    paths = doc.get("paths") or {}
    if any(p.startswith("/v1/b2b/") for p in paths):
        return "stytch"
    if "/v1/scim-directories" in paths:
        return "ssoready"
    return None


def find_documents(folder: str | Path) -> dict[str, Path]:
    """vendor -> document file in ``folder`` (any ``*.yml``/``*.yaml``/``*.json`` whose paths
    are Stytch's B2B API or SSOReady's management API)."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise VendorDocumentError(f"{root}: not a folder (pass the folder holding the documents)")
    found: dict[str, Path] = {}
    for path in sorted(root.iterdir()):
        if path.suffix not in (".yml", ".yaml", ".json") or not path.is_file():
            continue
        try:
            vendor = vendor_of(_load(path))
        except (VendorDocumentError, ValueError, UnicodeDecodeError):
            continue
        except Exception as exc:  # a YAML syntax error names the file
            raise VendorDocumentError(f"{path}: {exc}") from exc
        if vendor is not None:
            if vendor in found:
                raise VendorDocumentError(
                    f"{root}: two {vendor} documents: {found[vendor]}, {path}"
                )
            found[vendor] = path
    if not found:
        raise VendorDocumentError(
            f"{root}: no Stytch openapi.yml or SSOReady openapi.yaml found there"
        )
    return found


def _select(doc: dict[str, Any], wanted: Iterable[tuple[str, str]]) -> None:
    """Keep only ``wanted`` operations; fail loudly if the document lacks one of them (a
    renamed path in a newer document must not silently shrink the contract)."""
    wanted = set(wanted)
    present = {
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch")
    }
    missing = sorted(wanted - present)
    if missing:
        raise VendorDocumentError(
            "the document lacks operations mockscim emulates: "
            + ", ".join(f"{m} {p}" for m, p in missing)
        )
    paths: dict[str, Any] = {}
    for path, item in doc["paths"].items():
        kept = {
            key: value
            for key, value in item.items()
            if key not in ("get", "put", "post", "delete", "patch") or (key.upper(), path) in wanted
        }
        if any(k in kept for k in ("get", "put", "post", "delete", "patch")):
            paths[path] = kept
    doc["paths"] = paths


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _prune_schemas(doc: dict[str, Any]) -> None:
    """Drop component schemas no kept operation reaches (Stytch's document has 561)."""
    schemas = doc.get("components", {}).get("schemas")
    if not schemas:
        return
    keep: set[str] = set()
    todo = list(_refs(doc["paths"]))
    while todo:
        name = todo.pop()
        if name in keep or name not in schemas:
            continue
        keep.add(name)
        todo.extend(_refs(schemas[name]))
    doc["components"]["schemas"] = {k: v for k, v in schemas.items() if k in keep}


def _operations(doc: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for item in doc["paths"].values():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                yield op


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _protojson_requests(doc: dict[str, Any], empty_body: bool) -> None:
    """Request bodies as protobuf JSON reads them (both documents are generated from
    protobuf): ``null`` for a field means "unset" (protobuf JSON mapping: "null is an
    accepted value for all field types and treated as the default value"). With
    ``empty_body``, a missing body is the empty message. The request schema is copied into
    the operation, so a component shared with responses keeps its strict shape there."""
    schemas = doc.get("components", {}).get("schemas", {})
    for op in _operations(doc):
        body = op.get("requestBody")
        if not isinstance(body, dict):
            continue
        if empty_body:
            body["required"] = False
        media = body.get("content", {}).get("application/json")
        if not isinstance(media, dict) or not isinstance(media.get("schema"), dict):
            continue
        schema = media["schema"]
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            schema = schemas.get(ref.rsplit("/", 1)[1], {})
        schema = copy.deepcopy(schema)
        required = set(schema.get("required", ()))
        props = schema.get("properties", {})
        for name, prop in props.items():
            if name not in required:
                props[name] = _nullable(prop)
        media["schema"] = schema


def adapt_stytch(raw: Mapping[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(dict(raw))
    doc.pop("x-code-samples", None)
    _select(doc, STYTCH_OPERATIONS)
    for op in _operations(doc):
        op.pop("x-code-samples", None)
        responses = op.setdefault("responses", {})
        for status, description in STYTCH_EXTRA_RESPONSES.items():
            responses.setdefault(
                status,
                {
                    "description": description,
                    "content": {"application/json": {"schema": STYTCH_ERROR}},
                },
            )
    _prune_schemas(doc)
    _protojson_requests(doc, empty_body=STYTCH_EMPTY_BODY_IS_EMPTY_MESSAGE)
    schemas = doc.get("components", {}).get("schemas", {})
    for name, optional in STYTCH_SDK_OPTIONAL.items():
        schema = schemas.get(name)
        if schema is None:
            continue
        for prop in optional:
            if prop in schema.get("properties", {}):
                schema["properties"][prop] = _nullable(schema["properties"][prop])
    return doc


def adapt_ssoready(raw: Mapping[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(dict(raw))
    _select(doc, SSOREADY_OPERATIONS - SSOREADY_PENDING)
    _prune_schemas(doc)
    _protojson_requests(doc, empty_body=SSOREADY_EMPTY_BODY_IS_EMPTY_MESSAGE)
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearerAuth"] = {
        "type": "http",
        "scheme": "bearer",
    }
    doc["security"] = [{"bearerAuth": []}]
    return doc


def load(folder: str | Path) -> dict[str, VendorDocument]:
    """vendor -> its adapted document, for each vendor document found in ``folder``."""
    out: dict[str, VendorDocument] = {}
    for vendor, path in find_documents(folder).items():
        raw = _load(path)
        if vendor == "stytch":
            out[vendor] = VendorDocument(
                vendor, path, adapt_stytch(raw), STYTCH_OPERATIONS, frozenset()
            )
        else:
            out[vendor] = VendorDocument(
                vendor,
                path,
                adapt_ssoready(raw),
                SSOREADY_OPERATIONS - SSOREADY_PENDING,
                SSOREADY_PENDING,
            )
    return out


def tolerated_server_error(vendor: str, profile: str | None, status: int, body: Any) -> bool:
    """Whether a 5xx is the vendor's own documented answer rather than a mock failure: in
    SSOReady's ``exact`` profile, HTTP 500 with a Status of code 2 (connect-go ``unknown``)."""
    return (
        vendor == "ssoready"
        and profile == "exact"
        and status == 500
        and isinstance(body, dict)
        and body.get("code") == CONNECT_UNKNOWN
    )
