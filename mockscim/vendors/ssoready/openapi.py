"""OpenAPI document of SSOReady's management API (organizations, SCIM directories, rotation,
SAML connections, setup URLs) and app API (SAML logins, provisioned users and groups), as
served at https://api.ssoready.com.

Written from SSOReady's public API reference, its open-source server and the official
``ssoready`` SDK. Bodies are protobuf JSON (camelCase), so no field is ``required``: fields
holding their default value may be absent. Errors are google.rpc.Status JSON.
"""

from __future__ import annotations

from typing import Any

from mockscim.http.openapi import (
    BOOL,
    STR,
    Schema,
    arr,
    link,
    obj,
    operation,
    path_param,
    query_param,
    ref,
    request_obj,
    response,
)

ID = path_param("id")


def _schemas() -> dict[str, Schema]:
    def wrap(key: str, schema: str) -> Schema:
        return obj({key: ref(schema)}, (key,))

    def page(key: str, schema: str) -> Schema:
        return obj({key: arr(ref(schema)), "nextPageToken": STR})

    return {
        "Status": obj(
            {
                "code": {"type": "integer", "minimum": 1, "maximum": 16},
                "message": STR,
                "details": arr({"type": "object"}),
            },
            ("code",),
        ),
        "Organization": obj(
            {
                "id": STR,
                "environmentId": STR,
                "displayName": STR,
                "externalId": STR,
                "domains": arr(STR),
            }
        ),
        "OrganizationInput": request_obj(
            {
                "displayName": STR,
                "externalId": STR,
                "domains": arr({"type": "string", "minLength": 1}),
            }
        ),
        "SCIMDirectory": obj(
            {
                "id": STR,
                "organizationId": STR,
                "primary": BOOL,
                "scimBaseUrl": STR,
                "clientBearerToken": STR,
                "hasClientBearerToken": BOOL,
            }
        ),
        "SCIMDirectoryInput": request_obj(
            {"organizationId": {"type": "string", "minLength": 1}, "primary": BOOL}
        ),
        "SCIMUser": obj(
            {
                "id": STR,
                "scimDirectoryId": STR,
                "email": STR,
                "deleted": BOOL,
                "attributes": {"type": "object"},
            }
        ),
        "SCIMGroup": obj(
            {
                "id": STR,
                "scimDirectoryId": STR,
                "displayName": STR,
                "deleted": BOOL,
                "attributes": {"type": "object"},
            }
        ),
        "SAMLConnection": obj(
            {
                "id": STR,
                "organizationId": STR,
                "primary": BOOL,
                "idpRedirectUrl": STR,
                "idpCertificate": STR,
                "idpEntityId": STR,
                "spEntityId": STR,
                "spAcsUrl": STR,
            }
        ),
        "SAMLConnectionInput": request_obj(
            {
                "organizationId": STR,
                "primary": BOOL,
                "idpRedirectUrl": STR,
                "idpCertificate": STR,
                "idpEntityId": STR,
            }
        ),
        "SAMLConnectionResponse": wrap("samlConnection", "SAMLConnection"),
        "ListSAMLConnectionsResponse": page("samlConnections", "SAMLConnection"),
        "CreateSetupURLRequest": request_obj(
            {"organizationId": STR, "canManageSaml": BOOL, "canManageScim": BOOL}
        ),
        "CreateSetupURLResponse": obj({"url": STR}, ("url",)),
        "GetSAMLRedirectURLRequest": request_obj(
            {
                "samlConnectionId": STR,
                "organizationId": STR,
                "organizationExternalId": STR,
                "state": STR,
            }
        ),
        "GetSAMLRedirectURLResponse": obj({"redirectUrl": STR}, ("redirectUrl",)),
        "RedeemSAMLAccessCodeRequest": request_obj({"samlAccessCode": STR}),
        "RedeemSAMLAccessCodeResponse": obj(
            {
                "email": STR,
                "state": STR,
                "attributes": {"type": "object", "additionalProperties": STR},
                "organizationId": STR,
                "organizationExternalId": STR,
                "samlFlowId": STR,
            }
        ),
        "OrganizationResponse": wrap("organization", "Organization"),
        "SCIMDirectoryResponse": wrap("scimDirectory", "SCIMDirectory"),
        "ListOrganizationsResponse": page("organizations", "Organization"),
        "ListSCIMDirectoriesResponse": page("scimDirectories", "SCIMDirectory"),
        "ListSCIMUsersResponse": page("scimUsers", "SCIMUser"),
        "ListSCIMGroupsResponse": page("scimGroups", "SCIMGroup"),
        "RotateSCIMDirectoryBearerTokenResponse": obj(
            {"bearerToken": {"type": "string", "pattern": "^ssoready_scim_bearer_token_"}},
            ("bearerToken",),
        ),
    }


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "InvalidArgument or FailedPrecondition (code 3 or 9)",
        401: "Unauthenticated (code 16): missing/unknown API key, or an app key on the "
        "management API",
        403: "PermissionDenied (code 7)",
        404: "NotFound (code 5)",
        409: "AlreadyExists (code 6): another organization has this externalId (the real "
        "server lets its database refuse it with Unknown, code 2, HTTP 500; mockscim answers "
        "409 on purpose, see SUPPORTED.md)",
    }
    return {str(code): response(text[code], ref("Status")) for code in codes}


def _op(
    operation_id: str,
    summary: str,
    ok: str,
    *,
    errors: tuple[int, ...] = (400, 401, 404),
    params: list[Schema] | None = None,
    body: str | None = None,
    links: dict[str, Any] | None = None,
    tag: str = "management",
) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        ref(ok),
        _errors(*errors),
        params=params,
        body=ref(body) if body is not None else None,
        links=links,
        tags=[tag],
    )


ORG_LINK = {"id": "$response.body#/organization/id"}
CONN_LINK = {"id": "$response.body#/samlConnection/id"}
DIR_LINK = {"id": "$response.body#/scimDirectory/id"}

SELECTORS = [
    query_param("scimDirectoryId"),
    query_param("organizationId"),
    query_param("organizationExternalId"),
]


def _paths() -> dict[str, Any]:
    page_token = query_param("pageToken")
    return {
        "/v1/organizations": {
            "get": _op(
                "listOrganizations",
                "List organizations (10 per page)",
                "ListOrganizationsResponse",
                errors=(400, 401),
                params=[page_token],
            ),
            "post": _op(
                "createOrganization",
                "Create an organization",
                "OrganizationResponse",
                errors=(400, 401, 409),
                body="OrganizationInput",
                links={
                    "GetOrganization": link("getOrganization", ORG_LINK),
                    "UpdateOrganization": link("updateOrganization", ORG_LINK),
                    "CreateSCIMDirectory": link(
                        "createScimDirectory",
                        requestBody={
                            "organizationId": "$response.body#/organization/id",
                            "primary": True,
                        },
                    ),
                },
            ),
        },
        "/v1/organizations/{id}": {
            "parameters": [ID],
            "get": _op("getOrganization", "Get an organization", "OrganizationResponse"),
            "patch": _op(
                "updateOrganization",
                "Update an organization",
                "OrganizationResponse",
                errors=(400, 401, 404, 409),
                body="OrganizationInput",
            ),
        },
        "/v1/scim-directories": {
            "get": _op(
                "listScimDirectories",
                "List an organization's SCIM directories",
                "ListSCIMDirectoriesResponse",
                params=[
                    query_param("organizationId"),
                    page_token,
                ],
            ),
            "post": _op(
                "createScimDirectory",
                "Create a SCIM directory (it has no bearer token until the first rotation)",
                "SCIMDirectoryResponse",
                body="SCIMDirectoryInput",
                links={
                    "GetSCIMDirectory": link("getScimDirectory", DIR_LINK),
                    "UpdateSCIMDirectory": link("updateScimDirectory", DIR_LINK),
                    "RotateBearerToken": link("rotateScimDirectoryBearerToken", DIR_LINK),
                    "ListSCIMUsers": link(
                        "listScimUsers", {"scimDirectoryId": "$response.body#/scimDirectory/id"}
                    ),
                    "ListSCIMGroups": link(
                        "listScimGroups", {"scimDirectoryId": "$response.body#/scimDirectory/id"}
                    ),
                },
            ),
        },
        "/v1/scim-directories/{id}": {
            "parameters": [ID],
            "get": _op("getScimDirectory", "Get a SCIM directory", "SCIMDirectoryResponse"),
            "patch": _op(
                "updateScimDirectory",
                "Update a SCIM directory",
                "SCIMDirectoryResponse",
                body="SCIMDirectoryInput",
            ),
        },
        "/v1/scim-directories/{id}/rotate-bearer-token": {
            "parameters": [ID],
            "post": _op(
                "rotateScimDirectoryBearerToken",
                "Mint a new SCIM bearer token; the previous one stops working at once",
                "RotateSCIMDirectoryBearerTokenResponse",
                links={
                    "RotateAgain": link(
                        "rotateScimDirectoryBearerToken", {"id": "$request.path.id"}
                    ),
                    "GetSCIMDirectory": link("getScimDirectory", {"id": "$request.path.id"}),
                },
            ),
        },
        "/v1/saml-connections": {
            "get": _op(
                "listSamlConnections",
                "List an organization's SAML connections (10 per page)",
                "ListSAMLConnectionsResponse",
                params=[query_param("organizationId"), page_token],
            ),
            "post": _op(
                "createSamlConnection",
                "Create a SAML connection (SP entity id and ACS URL derived from its id)",
                "SAMLConnectionResponse",
                body="SAMLConnectionInput",
                links={
                    "GetSAMLConnection": link("getSamlConnection", CONN_LINK),
                    "UpdateSAMLConnection": link("updateSamlConnection", CONN_LINK),
                },
            ),
        },
        "/v1/saml-connections/{id}": {
            "parameters": [ID],
            "get": _op("getSamlConnection", "Get a SAML connection", "SAMLConnectionResponse"),
            "patch": _op(
                "updateSamlConnection",
                "Replace a SAML connection's IdP fields and primary flag",
                "SAMLConnectionResponse",
                body="SAMLConnectionInput",
            ),
        },
        "/v1/setup-urls": {
            "post": _op(
                "createSetupUrl",
                "Create a one-time self-serve setup URL (valid 24 hours)",
                "CreateSetupURLResponse",
                body="CreateSetupURLRequest",
            ),
        },
        "/v1/saml/redirect": {
            "post": _op(
                "getSamlRedirectUrl",
                "Start a SAML login: the URL to send the user to",
                "GetSAMLRedirectURLResponse",
                errors=(400, 401),
                body="GetSAMLRedirectURLRequest",
                tag="app",
            ),
        },
        "/v1/saml/redeem": {
            "post": _op(
                "redeemSamlAccessCode",
                "Exchange a SAML access code (once) for the user's email and attributes",
                "RedeemSAMLAccessCodeResponse",
                body="RedeemSAMLAccessCodeRequest",
                tag="app",
            ),
        },
        "/v1/scim/users": {
            "get": _op(
                "listScimUsers",
                "List provisioned users (one directory selector is required)",
                "ListSCIMUsersResponse",
                params=[
                    *SELECTORS,
                    query_param("scimGroupId"),
                    page_token,
                ],
                tag="app",
            ),
        },
        "/v1/scim/users/{id}": {
            "parameters": [ID],
            "get": _op(
                "getScimUser",
                "Get a provisioned user",
                "GetSCIMUserResponse",
                tag="app",
            ),
        },
        "/v1/scim/groups": {
            "get": _op(
                "listScimGroups",
                "List provisioned groups (one directory selector is required)",
                "ListSCIMGroupsResponse",
                params=[*SELECTORS, page_token],
                tag="app",
            ),
        },
        "/v1/scim/groups/{id}": {
            "parameters": [ID],
            "get": _op(
                "getScimGroup",
                "Get a provisioned group",
                "GetSCIMGroupResponse",
                tag="app",
            ),
        },
    }


def build() -> dict[str, Any]:
    schemas = _schemas()
    schemas["GetSCIMUserResponse"] = obj({"scimUser": ref("SCIMUser")}, ("scimUser",))
    schemas["GetSCIMGroupResponse"] = obj({"scimGroup": ref("SCIMGroup")}, ("scimGroup",))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SSOReady management and app API",
            "version": "v1",
            "description": (
                "Organizations, SCIM directories and their one-step bearer-token rotation, SAML "
                "connections and setup URLs (management API), and SAML logins and the "
                "provisioned users and groups (app API). JSON is "
                "protobuf JSON: default-valued fields may be absent. Management endpoints need "
                "a management API key; an app key may only use /v1/scim/* and /v1/saml/*."
            ),
        },
        "servers": [{"url": "https://api.ssoready.com", "description": "SSOReady API host"}],
        "security": [{"apiKey": []}],
        "tags": [
            {"name": "management", "description": "Management API (management key only)"},
            {"name": "app", "description": "App API (app or management key)"},
        ],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer ssoready_sk_...",
                }
            },
            "schemas": schemas,
        },
    }
