"""OpenAPI documents of the two vendors' SCIM 2.0 servers (what the customer's IdP talks to).

Paths are relative to a directory's base URL (the server URL carries the connection or
directory id), as IdPs see them. The Users/Groups operations follow RFC 7644; where the two
vendors answer differently (SSOReady's plain-text 401/404, its 204 to PATCH, its lowercase
``resources`` list key) the document of that vendor says so.
"""

from __future__ import annotations

from typing import Any

from mockscim.http.openapi import (
    BOOL,
    INT,
    STR,
    Schema,
    arr,
    link,
    obj,
    path_param,
    query_param,
    ref,
    request_obj,
    response,
)

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _scim_schemas() -> dict[str, Schema]:
    multi = obj({"value": STR, "type": STR, "primary": BOOL, "display": STR})
    meta = obj(
        {
            "resourceType": STR,
            "created": STR,
            "lastModified": STR,
            "location": STR,
            "version": STR,
        }
    )
    return {
        "ScimError": obj(
            {
                "schemas": arr(STR),
                "status": STR,
                "scimType": STR,
                "detail": STR,
            },
            ("status",),
        ),
        "UserInput": request_obj(
            {
                "schemas": arr(STR),
                "userName": {"type": "string", "minLength": 1},
                "externalId": STR,
                "name": obj(
                    {
                        "formatted": STR,
                        "givenName": STR,
                        "familyName": STR,
                        "middleName": STR,
                    }
                ),
                "displayName": STR,
                "title": STR,
                "active": BOOL,
                "emails": arr(multi),
                "phoneNumbers": arr(multi),
                ENTERPRISE_SCHEMA: obj(
                    {
                        "employeeNumber": STR,
                        "costCenter": STR,
                        "organization": STR,
                        "division": STR,
                        "department": STR,
                        "manager": obj({"value": STR, "displayName": STR}),
                    }
                ),
            },
            ("userName",),
        ),
        "User": obj(
            {
                "schemas": arr(STR),
                "id": {"type": "string", "minLength": 1},
                "userName": STR,
                "externalId": STR,
                "active": BOOL,
                "emails": arr(multi),
                "groups": arr(obj({"value": STR, "display": STR})),
                "meta": meta,
            },
            ("id", "userName"),
        ),
        "GroupInput": request_obj(
            {
                "schemas": arr(STR),
                "displayName": {"type": "string", "minLength": 1},
                "externalId": STR,
                "members": arr(
                    obj({"value": {"type": "string", "minLength": 1}, "display": STR}, ("value",))
                ),
            },
            ("displayName",),
        ),
        "Group": obj(
            {
                "schemas": arr(STR),
                "id": {"type": "string", "minLength": 1},
                "displayName": STR,
                "externalId": STR,
                "members": {
                    "type": ["array", "null"],
                    "items": obj({"value": STR, "display": STR}),
                },
                "meta": meta,
            },
            ("id",),
        ),
        "PatchOp": obj(
            {
                "schemas": arr({"type": "string", "enum": [PATCH_SCHEMA]}),
                "Operations": arr(
                    obj(
                        {
                            "op": {
                                "type": "string",
                                "enum": ["add", "remove", "replace", "Add", "Remove", "Replace"],
                            },
                            "path": STR,
                            "value": {},
                        },
                        ("op",),
                    ),
                    minItems=1,
                ),
            },
            ("Operations",),
        ),
        "ListResponse": obj(
            {
                "schemas": arr(STR),
                "totalResults": {"type": "integer", "minimum": 0},
                "startIndex": INT,
                "itemsPerPage": INT,
                "Resources": arr({"type": "object"}),
                "resources": arr({"type": "object"}),
            },
            ("totalResults",),
        ),
    }


def _body(schema: Schema) -> dict[str, Any]:
    return {
        "required": True,
        "content": {SCIM_JSON: {"schema": schema}, "application/json": {"schema": schema}},
    }


def build(vendor: str) -> dict[str, Any]:
    """``vendor`` is ``stytch`` or ``ssoready``."""
    ssoready = vendor == "ssoready"
    if ssoready:
        # The real server answers auth and unknown-directory failures with http.Error text,
        # and its domain rule with a JSON string sent as text/plain.
        auth_error = response("Missing or invalid bearer token", STR, media="text/plain")
        not_found = {
            "description": "Unknown directory (plain text) or unknown resource (empty body)",
            "content": {"text/plain": {"schema": STR}, SCIM_JSON: {"schema": ref("ScimError")}},
        }
        bad_request = {
            "description": "Invalid resource (userName not an email, or outside the domains)",
            "content": {"text/plain": {"schema": STR}, SCIM_JSON: {"schema": ref("ScimError")}},
        }
    else:
        auth_error = response("Missing or invalid bearer token", ref("ScimError"), media=SCIM_JSON)
        not_found = response("Unknown resource", ref("ScimError"), media=SCIM_JSON)
        bad_request = response("Invalid request", ref("ScimError"), media=SCIM_JSON)
    errors = {"400": bad_request, "401": auth_error, "404": not_found}
    conflict = {"409": response("Uniqueness conflict", ref("ScimError"), media=SCIM_JSON)}
    list_params = [
        query_param("filter"),
        query_param("startIndex", INT),
        query_param("count", INT),
        query_param("attributes"),
        query_param("excludedAttributes"),
    ]
    id_param = path_param("id", "The resource's id")

    def resource_ops(kind: str) -> dict[str, Any]:
        plural = f"{kind}s"
        item = ref(kind)
        ok_item = response(f"The {kind}", item, media=SCIM_JSON)
        item_links = {
            f"Get{kind}": link(f"get{kind}", {"id": "$response.body#/id"}),
            f"Replace{kind}": link(f"replace{kind}", {"id": "$response.body#/id"}),
            f"Patch{kind}": link(f"patch{kind}", {"id": "$response.body#/id"}),
            f"Delete{kind}": link(f"delete{kind}", {"id": "$response.body#/id"}),
        }
        created = response(f"The new {kind}", item, media=SCIM_JSON, links=item_links)
        upsert_note = (
            " SSOReady: POST of an existing userName updates that user (200 or 201)."
            if ssoready and kind == "User"
            else ""
        )
        create_responses: dict[str, Any] = {"201": created, **errors}
        if ssoready and kind == "User":
            create_responses["200"] = response(f"The updated {kind}", item, media=SCIM_JSON)
        if not ssoready:
            create_responses.update(conflict)
        patch_responses: dict[str, Any] = {
            "200": ok_item,
            "204": {"description": "Patched (SSOReady answers 204 with no body)"},
            **errors,
        }
        return {
            f"/{plural}": {
                "get": {
                    "operationId": f"list{plural}",
                    "summary": f"List or filter {plural}",
                    "parameters": list_params,
                    "responses": {
                        "200": response("ListResponse", ref("ListResponse"), media=SCIM_JSON),
                        **errors,
                    },
                },
                "post": {
                    "operationId": f"create{kind}",
                    "summary": f"Create a {kind}.{upsert_note}",
                    "requestBody": _body(ref(f"{kind}Input")),
                    "responses": create_responses,
                },
            },
            f"/{plural}/{{id}}": {
                "parameters": [id_param],
                "get": {
                    "operationId": f"get{kind}",
                    "summary": f"Get a {kind}",
                    "responses": {"200": ok_item, **errors},
                },
                "put": {
                    "operationId": f"replace{kind}",
                    "summary": f"Replace a {kind}",
                    "requestBody": _body(ref(f"{kind}Input")),
                    "responses": {"200": ok_item, **errors, **({} if ssoready else conflict)},
                },
                "patch": {
                    "operationId": f"patch{kind}",
                    "summary": f"Patch a {kind} (RFC 7644 PatchOp; Okta and Entra habits)",
                    "requestBody": _body(ref("PatchOp")),
                    "responses": patch_responses,
                },
                "delete": {
                    "operationId": f"delete{kind}",
                    "summary": f"Delete a {kind}",
                    "responses": {"204": {"description": "Deleted"}, **errors},
                },
            },
        }

    if ssoready:
        title = "SSOReady SCIM 2.0 server (per directory)"
        server = {
            "url": "https://auth.ssoready.com/v1/scim/{scim_directory_id}",
            "description": "A directory's scimBaseUrl",
            "variables": {"scim_directory_id": {"default": "scim_directory_0"}},
        }
        description = (
            "What an IdP sees at an SSOReady directory's scimBaseUrl. A directory has no token "
            "until its first rotate-bearer-token call, and each rotation invalidates the "
            "previous token at once. userName must be an email in the organization's domains."
        )
    else:
        title = "Stytch SCIM 2.0 server (per connection)"
        server = {
            "url": "https://test.stytch.com/v1/b2b/scim/{connection_id}",
            "description": "A connection's base_url",
            "variables": {"connection_id": {"default": "scim-connection-test-0"}},
        }
        description = (
            "What an IdP sees at a Stytch SCIM connection's base_url. While a rotation is "
            "pending both the current and the next bearer token authenticate; after "
            "rotate/complete only the new one does. Provisioned users become Members."
        )
    paths = {**resource_ops("User"), **resource_ops("Group")}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "2.0", "description": description},
        "servers": [server],
        "security": [{"scimBearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "scimBearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The connection's or directory's SCIM bearer token.",
                }
            },
            "schemas": _scim_schemas(),
        },
    }
