"""OpenAPI document of the Stytch B2B subset mockscim emulates: organizations, members, SCIM
connections and their two-phase token rotation, the RBAC policies and the member-account
endpoints (retired emails, factor deletes, provider reads, metrics).

Written from Stytch's public API reference and the official ``stytch`` SDK's models (every
non-Optional model field is ``required`` here, because the SDK's pydantic models crash without
it). It describes Stytch's API, not the mock: the mock must conform to it.
"""

from __future__ import annotations

from typing import Any

from mockscim.http.openapi import (
    BOOL,
    INSTANT,
    INT,
    RETRY_AFTER,
    STR,
    Schema,
    arr,
    link,
    nullable,
    obj,
    operation,
    path_param,
    query_param,
    ref,
    request_obj,
    response,
)
from mockscim.vendors.stytch import session_openapi
from mockscim.vendors.stytch.models import SCIM_IDPS

IDPS = list(SCIM_IDPS)
POLICY = ["ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"]

ORG_ID = path_param(
    "organization_id",
    "organization_id, or the organization's slug or external id",
)
CONNECTION_ID = path_param("connection_id", "The SCIM connection's id")
MEMBER_ID = path_param("member_id", "member_id, or the member's external id")
SESSION_HEADERS = [
    {
        "name": "X-Stytch-Member-Session",
        "in": "header",
        "required": False,
        "description": "A member session token; when present Stytch enforces RBAC "
        "(stytch.organization, stytch.member or stytch.scim actions).",
        # Stytch's openapi.yml: a plain string; an empty one is treated as absent.
        "schema": {"type": "string"},
    },
]
EXTERNAL_ID = {"type": "string", "pattern": "^[A-Za-z0-9._|-]{0,128}$"}  # "" = unset
JIT = ["RESTRICTED", "NOT_ALLOWED"]


def _schemas() -> dict[str, Schema]:
    base = {"status_code": INT, "request_id": STR}
    role_assignment = obj(
        {"role_id": STR, "group_id": STR, "group_name": STR}, ("role_id", "group_id", "group_name")
    )
    common: dict[str, Schema] = {
        "organization_id": STR,
        "connection_id": STR,
        "status": {"type": "string", "enum": ["active", "deleted"]},
        "display_name": STR,
        "identity_provider": STR,
        "base_url": STR,
        "scim_group_implicit_role_assignments": arr(role_assignment),
        "bearer_token_expires_at": nullable(INSTANT),
    }
    common_required = (
        "organization_id",
        "connection_id",
        "status",
        "display_name",
        "identity_provider",
        "base_url",
        "scim_group_implicit_role_assignments",
    )
    token = {"type": "string", "minLength": 1}
    return {
        "StytchError": obj(
            {
                "status_code": INT,
                "request_id": STR,
                "error_type": {"type": "string", "minLength": 1},
                "error_message": STR,
                "error_url": STR,
            },
            ("status_code", "error_type", "error_message"),
        ),
        "ActiveSCIMConnection": obj(
            {
                "connection_id": STR,
                "display_name": STR,
                "bearer_token_last_four": STR,
                "bearer_token_expires_at": nullable(INSTANT),
            },
            ("connection_id", "display_name", "bearer_token_last_four"),
        ),
        "Organization": obj(
            {
                "organization_id": STR,
                "organization_name": STR,
                "organization_logo_url": STR,
                "organization_slug": STR,
                "organization_external_id": nullable(STR),
                "sso_jit_provisioning": STR,
                "sso_jit_provisioning_allowed_connections": arr(STR),
                "sso_active_connections": arr({"type": "object"}),
                "email_allowed_domains": arr(STR),
                "email_jit_provisioning": STR,
                "email_invites": STR,
                "auth_methods": STR,
                "allowed_auth_methods": arr(STR),
                "mfa_policy": STR,
                "rbac_email_implicit_role_assignments": arr({"type": "object"}),
                "mfa_methods": STR,
                "allowed_mfa_methods": arr(STR),
                "oauth_tenant_jit_provisioning": STR,
                "claimed_email_domains": arr(STR),
                "first_party_connected_apps_allowed_type": STR,
                "allowed_first_party_connected_apps": arr(STR),
                "third_party_connected_apps_allowed_type": STR,
                "allowed_third_party_connected_apps": arr(STR),
                "custom_roles": arr({"type": "object"}),
                "trusted_metadata": nullable({"type": "object"}),
                "created_at": nullable(INSTANT),
                "updated_at": nullable(INSTANT),
                "sso_default_connection_id": nullable(STR),
                "scim_active_connection": nullable(ref("ActiveSCIMConnection")),
                "allowed_oauth_tenants": nullable({"type": "object"}),
            },
            (
                "organization_id",
                "organization_name",
                "organization_logo_url",
                "organization_slug",
                "sso_jit_provisioning",
                "sso_jit_provisioning_allowed_connections",
                "sso_active_connections",
                "email_allowed_domains",
                "email_jit_provisioning",
                "email_invites",
                "auth_methods",
                "allowed_auth_methods",
                "mfa_policy",
                "rbac_email_implicit_role_assignments",
                "mfa_methods",
                "allowed_mfa_methods",
                "oauth_tenant_jit_provisioning",
                "claimed_email_domains",
                "first_party_connected_apps_allowed_type",
                "allowed_first_party_connected_apps",
                "third_party_connected_apps_allowed_type",
                "allowed_third_party_connected_apps",
                "custom_roles",
            ),
        ),
        "MemberRole": obj(
            {
                "role_id": STR,
                "sources": arr(obj({"type": STR, "details": {"type": "object"}}, ("type",))),
            },
            ("role_id", "sources"),
        ),
        "SCIMRegistration": obj(
            {
                "connection_id": STR,
                "registration_id": STR,
                "external_id": nullable(STR),
                "scim_attributes": nullable({"type": "object"}),
            },
            ("connection_id", "registration_id"),
        ),
        "Member": obj(
            {
                "organization_id": STR,
                "member_id": STR,
                "email_address": STR,
                "status": STR,
                "name": STR,
                "sso_registrations": arr({"type": "object"}),
                "is_breakglass": BOOL,
                "member_password_id": STR,
                "oauth_registrations": arr({"type": "object"}),
                "email_address_verified": BOOL,
                "mfa_phone_number_verified": BOOL,
                "is_admin": BOOL,
                "totp_registration_id": STR,
                "retired_email_addresses": arr(
                    obj({"email_id": STR, "email_address": STR}, ("email_id", "email_address"))
                ),
                "is_locked": BOOL,
                "mfa_enrolled": BOOL,
                "mfa_phone_number": STR,
                "default_mfa_method": STR,
                "roles": arr(ref("MemberRole")),
                "trusted_metadata": nullable({"type": "object"}),
                "untrusted_metadata": nullable({"type": "object"}),
                "created_at": nullable(INSTANT),
                "updated_at": nullable(INSTANT),
                "scim_registration": nullable(ref("SCIMRegistration")),
                "external_id": nullable(STR),
                "lock_created_at": nullable(INSTANT),
                "lock_expires_at": nullable(INSTANT),
            },
            (
                "organization_id",
                "member_id",
                "email_address",
                "status",
                "name",
                "sso_registrations",
                "is_breakglass",
                "member_password_id",
                "oauth_registrations",
                "email_address_verified",
                "mfa_phone_number_verified",
                "is_admin",
                "totp_registration_id",
                "retired_email_addresses",
                "is_locked",
                "mfa_enrolled",
                "mfa_phone_number",
                "default_mfa_method",
                "roles",
            ),
        ),
        "ResultsMetadata": obj({"total": INT, "next_cursor": nullable(STR)}, ("total",)),
        "SCIMConnection": obj(
            {
                **common,
                "bearer_token_last_four": STR,
                "next_bearer_token_last_four": STR,
                "next_bearer_token_expires_at": nullable(INSTANT),
            },
            (*common_required, "bearer_token_last_four", "next_bearer_token_last_four"),
        ),
        # The two token-bearing shapes are exactly stytch-openapi's schemas of these names:
        # nothing beyond their properties.
        "SCIMConnectionWithToken": {
            **obj({**common, "bearer_token": token}, (*common_required, "bearer_token")),
            "additionalProperties": False,
        },
        "SCIMConnectionWithNextToken": {
            **obj(
                {
                    **common,
                    "bearer_token_last_four": STR,
                    "next_bearer_token": token,
                    "next_bearer_token_expires_at": nullable(INSTANT),
                },
                (*common_required, "bearer_token_last_four", "next_bearer_token"),
            ),
            "additionalProperties": False,
        },
        "SCIMGroup": obj(
            {"group_id": STR, "group_name": STR, "organization_id": STR, "connection_id": STR},
            ("group_id", "group_name", "organization_id", "connection_id"),
        ),
        "OrganizationResponse": obj(
            {**base, "organization": ref("Organization")}, ("status_code", "organization")
        ),
        "MemberResponse": obj(
            {
                **base,
                "member_id": STR,
                "member": ref("Member"),
                "organization": ref("Organization"),
            },
            ("status_code", "member_id", "member", "organization"),
        ),
        "ConnectionResponse": obj(
            {**base, "connection": ref("SCIMConnection")}, ("status_code", "connection")
        ),
        "SearchQuery": request_obj(
            {
                "operator": {"type": "string", "enum": ["AND", "OR"]},
                "operands": arr(
                    obj({"filter_name": STR, "filter_value": {}}, ("filter_name", "filter_value"))
                ),
            },
        ),
    }


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Invalid argument (error_type says which)",
        401: "Missing or wrong project credentials (`unauthorized_credentials`) or session",
        403: "The member session lacks the RBAC permission, or belongs to another organization",
        404: "Not found (`organization_not_found`, `member_not_found`, "
        "`no_active_scim_connection`, `session_not_found`)",
    }
    out = {str(code): response(text[code], ref("StytchError")) for code in codes}
    out["429"] = response("Rate limited", ref("StytchError"), headers=RETRY_AFTER)
    return out


def _op(
    operation_id: str,
    summary: str,
    ok: Schema,
    *,
    errors: tuple[int, ...] = (400, 401, 404),
    params: list[Schema] | None = None,
    body: Schema | None = None,
    body_required: bool = True,
    links: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        ok,
        _errors(*errors),
        ok_description="Success",
        params=params,
        body=body,
        body_required=body_required,
        links=links,
    )


def _org_body(required: tuple[str, ...]) -> Schema:
    return request_obj(
        {
            "organization_name": {"type": "string", "minLength": 1, "maxLength": 128},
            "organization_slug": {"type": "string", "pattern": "^[A-Za-z0-9._~-]{2,128}$"},
            "organization_logo_url": STR,
            "organization_external_id": EXTERNAL_ID,
            "trusted_metadata": {"type": "object"},
            "sso_jit_provisioning": {"type": "string", "enum": POLICY},
            "email_jit_provisioning": {"type": "string", "enum": JIT},
            "oauth_tenant_jit_provisioning": {"type": "string", "enum": JIT},
            "rbac_email_implicit_role_assignments": arr(
                obj(
                    {
                        "domain": {"type": "string", "pattern": "^[a-z0-9-]+(\\.[a-z0-9-]+)+$"},
                        "role_id": {"type": "string", "enum": ["stytch_admin"]},
                    },
                    ("domain", "role_id"),
                )
            ),
            "email_invites": {"type": "string", "enum": POLICY},
            "auth_methods": {"type": "string", "enum": ["ALL_ALLOWED", "RESTRICTED"]},
            "mfa_methods": {"type": "string", "enum": ["ALL_ALLOWED", "RESTRICTED"]},
            "mfa_policy": {"type": "string", "enum": ["OPTIONAL", "REQUIRED_FOR_ALL"]},
        },
        required,
    )


def _member_body(required: tuple[str, ...], create: bool) -> Schema:
    props: dict[str, Schema] = {
        "email_address": {"type": "string", "format": "email"},
        "name": STR,
        "external_id": EXTERNAL_ID,
        "trusted_metadata": {"type": "object"},
        "untrusted_metadata": {"type": "object"},
        "is_breakglass": BOOL,
        "mfa_phone_number": STR,
        "mfa_enrolled": BOOL,
        "roles": arr(STR),
    }
    if create:
        props["create_member_as_pending"] = BOOL
    return request_obj(props, required)


LIMIT = {"type": "integer", "minimum": 0, "maximum": 1000}
RBAC_ERRORS = (400, 401, 403, 404)

CONN_LINK_PARAMS = {
    "organization_id": "$response.body#/connection/organization_id",
    "connection_id": "$response.body#/connection/connection_id",
}
ORG_LINK_PARAMS = {"organization_id": "$response.body#/organization/organization_id"}
MEMBER_LINK_PARAMS = {
    "organization_id": "$response.body#/member/organization_id",
    "member_id": "$response.body#/member_id",
}


def _paths() -> dict[str, Any]:
    member_ok = ref("MemberResponse")
    scim_errors = (400, 401, 403, 404)
    return {
        "/v1/b2b/organizations": {
            "post": _op(
                "createOrganization",
                "Create an organization",
                ref("OrganizationResponse"),
                errors=(400, 401),
                body=_org_body(("organization_name",)),
                links={
                    "GetOrganization": link("getOrganization", ORG_LINK_PARAMS),
                    "UpdateOrganization": link("updateOrganization", ORG_LINK_PARAMS),
                    "CreateMember": link("createMember", ORG_LINK_PARAMS),
                    "CreateScimConnection": link("createScimConnection", ORG_LINK_PARAMS),
                    "GetScimConnection": link("getScimConnection", ORG_LINK_PARAMS),
                    "DeleteOrganization": link("deleteOrganization", ORG_LINK_PARAMS),
                },
            )
        },
        "/v1/b2b/organizations/search": {
            "post": _op(
                "searchOrganizations",
                "Search organizations",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "organizations": arr(ref("Organization")),
                        "results_metadata": ref("ResultsMetadata"),
                    },
                    ("status_code", "organizations", "results_metadata"),
                ),
                errors=(400, 401),
                body=request_obj({"cursor": STR, "limit": LIMIT, "query": ref("SearchQuery")}),
                body_required=False,
            )
        },
        "/v1/b2b/organizations/{organization_id}": {
            "parameters": [ORG_ID],
            "get": _op("getOrganization", "Get an organization", ref("OrganizationResponse")),
            "put": _op(
                "updateOrganization",
                "Update an organization",
                ref("OrganizationResponse"),
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
                body=_org_body(()),
                body_required=False,
            ),
            "delete": _op(
                "deleteOrganization",
                "Delete an organization with its members and connections",
                obj(
                    {"status_code": INT, "request_id": STR, "organization_id": STR},
                    ("status_code", "organization_id"),
                ),
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
            ),
        },
        "/v1/b2b/organizations/{organization_id}/members": {
            "parameters": [ORG_ID],
            "post": _op(
                "createMember",
                "Create a member",
                member_ok,
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
                body=_member_body(("email_address",), create=True),
                links={
                    "GetMember": link(
                        "getMember",
                        {
                            "organization_id": "$response.body#/member/organization_id",
                            "member_id": "$response.body#/member_id",
                        },
                    ),
                    "UpdateMember": link("updateMember", MEMBER_LINK_PARAMS),
                    "DeleteMember": link("deleteMember", MEMBER_LINK_PARAMS),
                },
            ),
        },
        "/v1/b2b/organizations/{organization_id}/member": {
            "parameters": [ORG_ID],
            "get": _op(
                "getMember",
                "Get a member by member_id or email_address",
                member_ok,
                params=[
                    query_param("member_id", {"type": "string", "minLength": 1}),
                    query_param("email_address", {"type": "string", "minLength": 1}),
                ],
            ),
        },
        "/v1/b2b/organizations/{organization_id}/members/{member_id}": {
            "parameters": [ORG_ID, MEMBER_ID],
            "put": _op(
                "updateMember",
                "Update a member",
                member_ok,
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
                body=_member_body((), create=False),
                body_required=False,
            ),
            "delete": _op(
                "deleteMember",
                "Delete (deactivate) a member",
                obj(
                    {"status_code": INT, "request_id": STR, "member_id": STR},
                    ("status_code", "member_id"),
                ),
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
                links={
                    "ReactivateMember": link(
                        "reactivateMember",
                        {
                            "organization_id": "$request.path.organization_id",
                            "member_id": "$response.body#/member_id",
                        },
                    )
                },
            ),
        },
        "/v1/b2b/organizations/{organization_id}/members/{member_id}/reactivate": {
            "parameters": [ORG_ID, MEMBER_ID],
            "put": _op(
                "reactivateMember",
                "Reactivate a deleted member (member_id only, verified email)",
                member_ok,
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
            ),
        },
        "/v1/b2b/organizations/members/search": {
            "post": _op(
                "searchMembers",
                "Search members across organizations",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "members": arr(ref("Member")),
                        "results_metadata": ref("ResultsMetadata"),
                        "organizations": {
                            "type": "object",
                            "additionalProperties": ref("Organization"),
                        },
                    },
                    ("status_code", "members", "results_metadata", "organizations"),
                ),
                errors=RBAC_ERRORS,
                params=SESSION_HEADERS,
                body=request_obj(
                    {
                        "organization_ids": arr(STR, minItems=1),
                        "cursor": STR,
                        "limit": LIMIT,
                        "query": ref("SearchQuery"),
                    },
                    ("organization_ids",),
                ),
            )
        },
        "/v1/b2b/organizations/members/dangerously_get/{member_id}": {
            "parameters": [path_param("member_id")],
            "get": _op(
                "dangerouslyGetMember",
                "Get a member by member_id without its organization",
                member_ok,
                params=[query_param("include_deleted", BOOL)],
            ),
        },
        "/v1/b2b/scim/{organization_id}/connection": {
            "parameters": [ORG_ID, *SESSION_HEADERS],
            "post": _op(
                "createScimConnection",
                "Create the organization's SCIM connection (its bearer token is shown once)",
                obj(
                    {
                        **{"status_code": INT, "request_id": STR},
                        "connection": ref("SCIMConnectionWithToken"),
                    },
                    ("status_code", "connection"),
                ),
                errors=scim_errors,
                body=request_obj(
                    {
                        "display_name": STR,
                        "identity_provider": {"type": "string", "enum": IDPS},
                    }
                ),
                body_required=False,
                links={
                    "GetScimConnection": link(
                        "getScimConnection",
                        {"organization_id": "$response.body#/connection/organization_id"},
                    ),
                    "UpdateScimConnection": link("updateScimConnection", CONN_LINK_PARAMS),
                    "GetScimConnectionGroups": link("getScimConnectionGroups", CONN_LINK_PARAMS),
                    "RotateStart": link("rotateScimTokenStart", CONN_LINK_PARAMS),
                    "RotateComplete": link("rotateScimTokenComplete", CONN_LINK_PARAMS),
                    "DeleteScimConnection": link("deleteScimConnection", CONN_LINK_PARAMS),
                },
            ),
            "get": _op(
                "getScimConnection",
                "Get the organization's active SCIM connection",
                ref("ConnectionResponse"),
                errors=scim_errors,
            ),
        },
        "/v1/b2b/scim/{organization_id}/connection/{connection_id}": {
            "parameters": [ORG_ID, CONNECTION_ID, *SESSION_HEADERS],
            "put": _op(
                "updateScimConnection",
                "Update a SCIM connection",
                ref("ConnectionResponse"),
                errors=scim_errors,
                body=request_obj(
                    {
                        "display_name": STR,
                        "identity_provider": {"type": "string", "enum": IDPS},
                        "scim_group_implicit_role_assignments": arr(
                            obj(
                                {
                                    "role_id": {"type": "string", "minLength": 1},
                                    "group_id": {"type": "string", "minLength": 1},
                                },
                                ("role_id", "group_id"),
                            )
                        ),
                    }
                ),
                body_required=False,
            ),
            "delete": _op(
                "deleteScimConnection",
                "Delete a SCIM connection",
                obj(
                    {"status_code": INT, "request_id": STR, "connection_id": STR},
                    ("status_code", "connection_id"),
                ),
                errors=scim_errors,
            ),
            "get": _op(
                "getScimConnectionGroups",
                "List the SCIM groups a connection has received",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "scim_groups": arr(ref("SCIMGroup")),
                        "next_cursor": nullable(STR),
                    },
                    ("status_code", "scim_groups"),
                ),
                errors=scim_errors,
                params=[query_param("cursor"), query_param("limit", LIMIT)],
            ),
        },
        "/v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/start": {
            "parameters": [ORG_ID, CONNECTION_ID, *SESSION_HEADERS],
            "post": _op(
                "rotateScimTokenStart",
                "Start a token rotation: mint a next bearer token (pending until complete)",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "connection": ref("SCIMConnectionWithNextToken"),
                    },
                    ("status_code", "connection"),
                ),
                errors=scim_errors,
                links={
                    "RotateComplete": link("rotateScimTokenComplete", CONN_LINK_PARAMS),
                    "RotateCancel": link("rotateScimTokenCancel", CONN_LINK_PARAMS),
                    "GetScimConnection": link(
                        "getScimConnection",
                        {"organization_id": "$response.body#/connection/organization_id"},
                    ),
                },
            ),
        },
        "/v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/complete": {
            "parameters": [ORG_ID, CONNECTION_ID, *SESSION_HEADERS],
            "post": _op(
                "rotateScimTokenComplete",
                "Complete a rotation: the next token becomes current, the old one stops working",
                ref("ConnectionResponse"),
                errors=scim_errors,
                links={
                    "GetScimConnection": link(
                        "getScimConnection",
                        {"organization_id": "$response.body#/connection/organization_id"},
                    ),
                    "RotateStart": link("rotateScimTokenStart", CONN_LINK_PARAMS),
                },
            ),
        },
        "/v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/cancel": {
            "parameters": [ORG_ID, CONNECTION_ID, *SESSION_HEADERS],
            "post": _op(
                "rotateScimTokenCancel",
                "Cancel a rotation: the next token is discarded",
                ref("ConnectionResponse"),
                errors=scim_errors,
            ),
        },
    }


def _account_paths() -> dict[str, Any]:
    """The RBAC policies and the member-account endpoints (stytch-openapi paths of the same
    names; :mod:`mockscim.vendors.stytch.member_routes`)."""
    member_ok = ref("MemberResponse")
    permission = obj({"resource_id": STR, "actions": arr(STR)}, ("resource_id", "actions"))
    role = obj(
        {"role_id": STR, "description": STR, "permissions": arr(permission)},
        ("role_id", "description", "permissions"),
    )
    org_policy = obj({"roles": arr(role)}, ("roles",))
    org_policy_ok = obj(
        {"status_code": INT, "request_id": STR, "org_policy": org_policy},
        ("status_code", "org_policy"),
    )
    member_path = "/v1/b2b/organizations/{organization_id}/members/{member_id}"
    provider = path_param(
        "provider",
        schema={"type": "string", "enum": ["google", "microsoft", "slack", "hubspot", "github"]},
    )
    return {
        "/v1/b2b/rbac/policy": {
            "get": _op(
                "getRbacPolicy",
                "The project's RBAC policy",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "policy": obj(
                            {
                                "roles": arr(role),
                                "resources": arr(
                                    obj(
                                        {
                                            "resource_id": STR,
                                            "description": STR,
                                            "actions": arr(STR),
                                        },
                                        ("resource_id", "description", "actions"),
                                    )
                                ),
                                "scopes": arr({"type": "object"}),
                            },
                            ("roles", "resources", "scopes"),
                        ),
                    },
                    ("status_code", "policy"),
                ),
                errors=(401,),
            )
        },
        "/v1/b2b/rbac/organizations/{organization_id}": {
            "parameters": [ORG_ID],
            "get": _op("getOrgPolicy", "The organization's RBAC policy", org_policy_ok),
            "put": _op(
                "setOrgPolicy",
                "Replace the organization's roles",
                org_policy_ok,
                body=request_obj({"org_policy": org_policy}, ("org_policy",)),
            ),
        },
        "/v1/b2b/organizations/{organization_id}/external_id": {
            "parameters": [ORG_ID, *SESSION_HEADERS],
            "delete": _op(
                "deleteOrganizationExternalId",
                "Unset the organization's external id",
                ref("OrganizationResponse"),
                errors=RBAC_ERRORS,
            ),
        },
        "/v1/b2b/organizations/{organization_id}/metrics": {
            "parameters": [ORG_ID],
            "get": _op(
                "getOrganizationMetrics",
                "Organization metrics",
                obj(
                    {"status_code": INT, "request_id": STR, "member_count": INT},
                    ("status_code", "member_count"),
                ),
            ),
        },
        member_path + "/external_id": {
            "parameters": [ORG_ID, MEMBER_ID, *SESSION_HEADERS],
            "delete": _op(
                "deleteMemberExternalId",
                "Unset a member's external id",
                member_ok,
                errors=RBAC_ERRORS,
            ),
        },
        member_path + "/totp": {
            "parameters": [ORG_ID, MEMBER_ID, *SESSION_HEADERS],
            "delete": _op(
                "deleteMemberTotp",
                "Delete a member's TOTP registration",
                member_ok,
                errors=RBAC_ERRORS,
            ),
        },
        "/v1/b2b/organizations/{organization_id}/members/mfa_phone_numbers/{member_id}": {
            "parameters": [ORG_ID, MEMBER_ID, *SESSION_HEADERS],
            "delete": _op(
                "deleteMemberMfaPhoneNumber",
                "Delete a member's MFA phone number",
                member_ok,
                errors=RBAC_ERRORS,
            ),
        },
        "/v1/b2b/organizations/{organization_id}/members/passwords/{member_password_id}": {
            "parameters": [ORG_ID, path_param("member_password_id"), *SESSION_HEADERS],
            "delete": _op(
                "deleteMemberPassword", "Delete a member's password", member_ok, errors=RBAC_ERRORS
            ),
        },
        member_path + "/unlink_retired_email": {
            "parameters": [ORG_ID, MEMBER_ID, *SESSION_HEADERS],
            "post": _op(
                "unlinkRetiredEmail",
                "Unlink a retired email so other members may use it",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "member_id": STR,
                        "organization_id": STR,
                        "member": ref("Member"),
                        "organization": ref("Organization"),
                    },
                    ("status_code", "member_id", "organization_id", "member", "organization"),
                ),
                errors=RBAC_ERRORS,
                body=request_obj({"email_id": STR, "email_address": STR}),
                body_required=False,
            ),
        },
        member_path + "/start_email_update": {
            "parameters": [ORG_ID, MEMBER_ID, *SESSION_HEADERS],
            "post": _op(
                "startEmailUpdate",
                "Start a self-serve email update",
                member_ok,
                errors=RBAC_ERRORS,
                body=request_obj(
                    {
                        "email_address": STR,
                        "login_redirect_url": STR,
                        "locale": STR,
                        "login_template_id": STR,
                        "delivery_method": STR,
                    },
                    ("email_address",),
                ),
            ),
        },
        member_path + "/oidc_providers": {
            "parameters": [ORG_ID, MEMBER_ID, query_param("include_refresh_token", BOOL)],
            "get": _op(
                "getMemberOidcProviders",
                "A member's OIDC registrations",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "registrations": arr({"type": "object"}),
                    },
                    ("status_code", "registrations"),
                ),
            ),
        },
        member_path + "/oauth_providers/{provider}": {
            "parameters": [ORG_ID, MEMBER_ID, provider, query_param("include_refresh_token", BOOL)],
            "get": _op(
                "getMemberOauthProvider",
                "A member's OAuth tokens with one provider",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "provider_type": STR,
                        "registrations": arr({"type": "object"}),
                    },
                    ("status_code", "provider_type"),
                ),
            ),
        },
    }


def build() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stytch B2B: organizations, members and SCIM connections (subset)",
            "version": "2025-01",
            "description": (
                "The part of Stytch's B2B API that mockscim emulates, written from Stytch's API "
                "reference and the official SDK models. Every response carries `status_code` "
                "and `request_id`; every error is a StytchError with an `error_type`."
            ),
        },
        "servers": [
            {"url": "https://test.stytch.com", "description": "Stytch test environment"},
            {"url": "https://api.stytch.com", "description": "Stytch live environment"},
        ],
        "security": [{"projectSecret": []}],
        "paths": {**_paths(), **_account_paths(), **session_openapi.paths()},
        "components": {
            "securitySchemes": {
                "projectSecret": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "HTTP Basic with project_id as user and secret as password.",
                }
            },
            "schemas": {**_schemas(), **session_openapi.schemas()},
        },
    }
