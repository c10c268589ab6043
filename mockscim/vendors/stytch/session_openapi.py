"""The Sessions part of the Stytch OpenAPI document (``openapi.build`` merges it): written from
stytch-openapi's ``/v1/b2b/sessions/*`` operations and the ``stytch`` SDK's
``b2b/models/sessions.py`` (every non-Optional model field is ``required``)."""

from __future__ import annotations

from typing import Any

from mockscim.http.openapi import (
    BOOL,
    INSTANT,
    INT,
    STR,
    Schema,
    arr,
    nullable,
    obj,
    operation,
    path_param,
    query_param,
    ref,
    request_obj,
    response,
)

DURATION = {"type": "integer", "minimum": 5, "maximum": 527040}
ERRORS = {
    400: "Invalid argument (`no_session_arguments`, `too_many_session_arguments`, "
    "`invalid_session_duration_minutes`, ...)",
    401: "Missing or wrong project credentials, or an unparsable or foreign session JWT",
    403: "The authorization_check failed (`session_authorization_error`, tenancy error)",
    404: "Not found (`session_not_found`, `member_not_found`, `organization_not_found`)",
}


def schemas() -> dict[str, Schema]:
    base = {"status_code": INT, "request_id": STR}
    return {
        "AuthenticationFactor": obj(
            {
                "type": STR,
                "delivery_method": STR,
                "last_authenticated_at": nullable(INSTANT),
                "created_at": nullable(INSTANT),
                "updated_at": nullable(INSTANT),
                "email_factor": nullable(
                    obj({"email_id": STR, "email_address": STR}, ("email_id", "email_address"))
                ),
            },
            ("type", "delivery_method"),
        ),
        "MemberSession": obj(
            {
                "member_session_id": STR,
                "member_id": STR,
                "started_at": INSTANT,
                "last_accessed_at": INSTANT,
                "expires_at": INSTANT,
                "authentication_factors": arr(ref("AuthenticationFactor")),
                "organization_id": STR,
                "roles": arr(STR),
                "organization_slug": STR,
                "custom_claims": nullable({"type": "object"}),
            },
            (
                "member_session_id",
                "member_id",
                "started_at",
                "last_accessed_at",
                "expires_at",
                "authentication_factors",
                "organization_id",
                "roles",
                "organization_slug",
            ),
        ),
        "SessionAuthenticateResponse": obj(
            {
                **base,
                "member_session": ref("MemberSession"),
                "session_token": STR,
                "session_jwt": STR,
                "member": ref("Member"),
                "organization": ref("Organization"),
                "verdict": nullable(
                    obj(
                        {"authorized": BOOL, "granting_roles": arr(STR)},
                        ("authorized", "granting_roles"),
                    )
                ),
            },
            ("status_code", "member_session", "session_token", "session_jwt", "member"),
        ),
        "SessionExchangeResponse": obj(
            {
                **base,
                "member_id": STR,
                "member_session": nullable(ref("MemberSession")),
                "session_token": STR,
                "session_jwt": STR,
                "member": ref("Member"),
                "organization": ref("Organization"),
                "member_authenticated": BOOL,
                "intermediate_session_token": STR,
            },
            (
                "status_code",
                "member_id",
                "session_token",
                "session_jwt",
                "member",
                "organization",
                "member_authenticated",
                "intermediate_session_token",
            ),
        ),
        "JWK": obj(
            {
                "kty": STR,
                "use": STR,
                "key_ops": arr(STR),
                "alg": STR,
                "kid": STR,
                "x5c": arr(STR),
                "x5tS256": STR,
                "n": STR,
                "e": STR,
            },
            ("kty", "use", "key_ops", "alg", "kid", "x5c", "x5tS256", "n", "e"),
        ),
    }


def _op(
    operation_id: str, summary: str, ok: Schema, codes: tuple[int, ...], **kwargs: Any
) -> dict[str, Any]:
    errors = {str(c): response(ERRORS[c], ref("StytchError")) for c in codes}
    return operation(operation_id, summary, ok, errors, ok_description="Success", **kwargs)


def paths() -> dict[str, Any]:
    credential = {"type": "string", "minLength": 1}
    authorization_check = obj(
        {"organization_id": credential, "resource_id": credential, "action": credential},
        ("organization_id", "resource_id", "action"),
    )
    jwks = _op(
        "getSessionJwks",
        "The project's JSON Web Key Set (no credentials needed)",
        obj({"status_code": INT, "request_id": STR, "keys": arr(ref("JWK"))}, ("keys",)),
        (404,),
        params=[path_param("project_id", "The project id")],
    )
    jwks["security"] = []
    return {
        "/v1/b2b/sessions": {
            "get": _op(
                "getSessions",
                "A member's live sessions",
                obj(
                    {
                        "status_code": INT,
                        "request_id": STR,
                        "member_sessions": arr(ref("MemberSession")),
                    },
                    ("status_code", "member_sessions"),
                ),
                (400, 401, 404),
                params=[
                    query_param("organization_id", credential, required=True),
                    query_param("member_id", credential, required=True),
                ],
            )
        },
        "/v1/b2b/sessions/authenticate": {
            "post": _op(
                "authenticateSession",
                "Authenticate (and optionally extend or authorize) a member session",
                ref("SessionAuthenticateResponse"),
                (400, 401, 403, 404),
                body=request_obj(
                    {
                        "session_token": credential,
                        "session_jwt": credential,
                        "session_duration_minutes": DURATION,
                        "session_custom_claims": {"type": "object"},
                        "authorization_check": authorization_check,
                    }
                ),
                body_required=False,
            )
        },
        "/v1/b2b/sessions/revoke": {
            "post": _op(
                "revokeSession",
                "Revoke one session, or every session of a member",
                obj({"status_code": INT, "request_id": STR}, ("status_code",)),
                (400, 401, 404),
                body=request_obj(
                    {
                        "member_session_id": credential,
                        "session_token": credential,
                        "session_jwt": credential,
                        "member_id": credential,
                    }
                ),
                body_required=False,
            )
        },
        "/v1/b2b/sessions/exchange": {
            "post": _op(
                "exchangeSession",
                "Exchange a session for one in another organization",
                ref("SessionExchangeResponse"),
                (400, 401, 404),
                body=request_obj(
                    {
                        "organization_id": credential,
                        "session_token": credential,
                        "session_jwt": credential,
                        "session_duration_minutes": DURATION,
                        "session_custom_claims": {"type": "object"},
                        "locale": STR,
                    },
                    ("organization_id",),
                ),
            )
        },
        "/v1/b2b/sessions/jwks/{project_id}": {"get": jwks},
    }
