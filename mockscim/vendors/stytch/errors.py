"""Stytch's error JSON, and the one exception every Stytch failure is raised as.

Stytch answers every failure with ``status_code``, ``request_id``, ``error_type``,
``error_message`` and ``error_url``; the SDK's ``StytchError`` is built from exactly these.
Error types are Stytch's own (from its published error catalogue); the constructors below are
the only place a status is paired with a type, so a route cannot pick an inconsistent pair.
"""

from __future__ import annotations

import json

from flask import Response

from mockscim.engine.tokens import random_uuid
from mockscim.http.context import set_error_kind

#: Stytch's error pages, one per status with the type as fragment: the form the live sandbox
#: answered with (stytch-node ``test/b2c/sandbox.test.ts``, e.g.
#: ``https://stytch.com/docs/api/errors/401#unable_to_auth_magic_link``).
ERROR_URL = "https://stytch.com/docs/api/errors"


def request_id() -> str:
    return f"request-id-test-{random_uuid()}"


class StytchError(Exception):
    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message

    def to_json(self) -> dict[str, object]:
        return {
            "status_code": self.status,
            "request_id": request_id(),
            "error_type": self.error_type,
            "error_message": self.message,
            "error_url": f"{ERROR_URL}/{self.status}#{self.error_type}",
        }

    def __repr__(self) -> str:
        return f"StytchError({self.status}, {self.error_type!r}, {self.message!r})"


def render(error: StytchError) -> Response:
    set_error_kind(error.error_type)
    return Response(
        json.dumps(error.to_json()), status=error.status, content_type="application/json"
    )


_HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized_credentials",
    404: "route_not_found",
    405: "method_not_allowed",
    # No Stytch type names an oversized body; bad_request is the catalogue's generic 4xx.
    413: "bad_request",
    429: "too_many_requests",
    500: "internal_server_error",
}


def render_http(status: int, message: str) -> Response:
    """How the surface answers routing-level errors (unknown route, 405, 413, 500)."""
    error_type = _HTTP_TYPES.get(status, "bad_request" if status < 500 else "internal_server_error")
    if status == 404:
        message = "The requested route was not found."
    return render(StytchError(status, error_type, message))


# ---------------------------------------------------------------- constructors
def unauthorized_credentials() -> StytchError:
    return StytchError(
        401,
        "unauthorized_credentials",
        "Unauthorized credentials. Check the project_id and secret of the HTTP Basic "
        "Authorization header.",
    )


def invalid_argument(message: str) -> StytchError:
    return StytchError(400, "invalid_argument", message)


def bad_request(message: str) -> StytchError:
    return StytchError(400, "bad_request", message)


def organization_not_found() -> StytchError:
    return StytchError(404, "organization_not_found", "Organization could not be found.")


def member_not_found() -> StytchError:
    return StytchError(404, "member_not_found", "Member could not be found.")


def no_active_scim_connection() -> StytchError:
    return StytchError(
        404,
        "no_active_scim_connection",
        "No active SCIM connection was found for this organization and connection_id.",
    )


def active_scim_connection_exists() -> StytchError:
    return StytchError(
        400,
        "active_scim_connection_exists",
        "An active SCIM connection already exists for this organization.",
    )


def not_rotating() -> StytchError:
    return StytchError(
        400,
        "scim_connection_not_rotating_token",
        "This SCIM connection does not have a token rotation in progress.",
    )


def invalid_scim_idp(value: object) -> StytchError:
    return StytchError(
        400, "invalid_scim_idp", f"identity_provider {value!r} is not a supported SCIM IdP."
    )


def role_assignment_missing_group_id() -> StytchError:
    return StytchError(
        400,
        "scim_group_role_assignment_does_not_contain_group_id",
        "Each SCIM group implicit role assignment must contain a group_id.",
    )


def role_assignment_group_does_not_exist(group_id: str) -> StytchError:
    return StytchError(
        400,
        "scim_group_role_assignment_group_does_not_exist",
        f"SCIM group {group_id!r} does not exist in this connection.",
    )


def invalid_rbac_role_id(role_id: object) -> StytchError:
    return StytchError(400, "invalid_rbac_role_id", f"Role {role_id!r} does not exist.")


def session_not_found() -> StytchError:
    return StytchError(404, "session_not_found", "Session could not be found.")


def unable_to_parse_session_jwt() -> StytchError:
    return StytchError(401, "unable_to_parse_session_jwt", "The session JWT could not be parsed.")


def session_authorization_error(resource: str, action: str) -> StytchError:
    return StytchError(
        403,
        "session_authorization_error",
        f"The member is not authorized to perform the {action!r} action on the "
        f"{resource!r} resource.",
    )


def session_authorization_tenancy_error() -> StytchError:
    return StytchError(
        403,
        "session_authorization_tenancy_error",
        "The session's member does not belong to the organization of this request.",
    )


# Sessions (/v1/b2b/sessions/*). The catalogue has no "expired" or "revoked" session type:
# an expired or revoked session is not found.
def no_session_arguments() -> StytchError:
    return StytchError(
        400, "no_session_arguments", "Either session_token or session_jwt must be provided."
    )


def too_many_session_arguments() -> StytchError:
    return StytchError(
        400,
        "too_many_session_arguments",
        "Only one of session_token or session_jwt may be provided.",
    )


def no_session_revoke_arguments() -> StytchError:
    return StytchError(
        400,
        "no_session_revoke_arguments",
        "One of member_session_id, session_token, session_jwt or member_id must be provided.",
    )


def too_many_session_revoke_arguments() -> StytchError:
    return StytchError(
        400,
        "too_many_session_revoke_arguments",
        "Only one of member_session_id, session_token, session_jwt or member_id may be provided.",
    )


def invalid_session_duration_minutes() -> StytchError:
    return StytchError(
        400,
        "invalid_session_duration_minutes",
        "session_duration_minutes must be between 5 and 527040 minutes.",
    )


def project_not_found() -> StytchError:
    return StytchError(404, "project_not_found", "Project could not be found.")


def stytch_claims_in_custom_claims() -> StytchError:
    return StytchError(
        400,
        "stytch_claims_in_custom_claims",
        "Custom claims may not use the https://stytch.com/ namespace.",
    )


def custom_claims_too_large() -> StytchError:
    return StytchError(
        400, "custom_claims_too_large", "Total custom claims size cannot exceed four kilobytes."
    )


def jwt_invalid_audience() -> StytchError:
    return StytchError(401, "jwt_invalid_audience", "The session JWT has an invalid audience.")


def jwt_invalid_issuer() -> StytchError:
    return StytchError(401, "jwt_invalid_issuer", "The session JWT has an invalid issuer.")


def jwt_invalid_claims() -> StytchError:
    return StytchError(401, "jwt_invalid_claims", "The session JWT has invalid claims.")


def duplicate_member_email() -> StytchError:
    return StytchError(
        400, "duplicate_member_email", "A member with this email already exists in the org."
    )


def duplicate_member_external_id() -> StytchError:
    return StytchError(
        400,
        "duplicate_member_external_id",
        "A member with this external_id already exists in the organization.",
    )


def organization_slug_already_used() -> StytchError:
    return StytchError(
        400, "organization_slug_already_used", "This organization_slug is already in use."
    )


def organization_external_id_already_used() -> StytchError:
    return StytchError(
        400,
        "organization_external_id_already_used",
        "This organization_external_id is already used by another organization in the project.",
    )


def invalid_organization_external_id() -> StytchError:
    return StytchError(
        400,
        "invalid_organization_external_id",
        "organization_external_id may only contain alphanumeric characters and '.', '_', '-', "
        "'|', with a maximum length of 128 characters.",
    )


def invalid_member_external_id() -> StytchError:
    # Stytch's catalogue has no member-specific format error; invalid_argument is its generic
    # 400 for a malformed argument.
    return StytchError(
        400,
        "invalid_argument",
        "external_id may only contain alphanumeric characters and '.', '_', '-', '|', with a "
        "maximum length of 128 characters.",
    )


def invalid_organization_name() -> StytchError:
    return StytchError(
        400,
        "invalid_organization_name",
        "organization_name must be between 1 and 128 characters in length.",
    )


def fuzzy_too_short(kind: str, filter_name: str) -> StytchError:
    return StytchError(
        400,
        f"{kind}_search_{filter_name}_too_short",
        f"{filter_name} requires a minimum of three characters.",
    )


def invalid_limit() -> StytchError:
    return StytchError(
        400, "user_search_invalid_limit", "limit must be an integer between 0 and 1000."
    )


def invalid_cursor() -> StytchError:
    return StytchError(400, "user_search_invalid_cursor", "The cursor is not a valid cursor.")


def email_unverified_for_reactivation() -> StytchError:
    return StytchError(
        400,
        "email_unverified_for_reactivation",
        "The member's email address is not verified, so the member cannot be reactivated.",
    )


def reactivation_email_belongs_to_another_member() -> StytchError:
    return StytchError(
        400,
        "reactivation_email_belongs_to_another_member",
        "The member's email address now belongs to another member of the organization.",
    )


def no_deleted_member_found_for_reactivation() -> StytchError:
    return StytchError(
        400,
        "no_deleted_member_found_for_reactivation",
        "The member is not deleted, so it cannot be reactivated.",
    )


def cannot_assign_default_rbac_role_id() -> StytchError:
    return StytchError(
        400,
        "cannot_assign_default_rbac_role_id",
        "stytch_member is granted to every member and cannot be assigned.",
    )


def rbac_invalid_domain(domain: object) -> StytchError:
    return StytchError(
        400, "rbac_invalid_domain", f"{domain!r} is not a valid email domain for a role assignment."
    )


def cannot_update_trusted_metadata() -> StytchError:
    return StytchError(
        400,
        "cannot_update_trusted_metadata",
        "trusted_metadata cannot be updated when acting as a Member (session header present).",
    )


def member_cannot_update_their_email_address() -> StytchError:
    return StytchError(
        400,
        "member_cannot_update_their_email_address",
        "Members cannot update their own email address.",
    )


def organization_name_missing(message: str = "organization_name is required.") -> StytchError:
    return StytchError(400, "organization_name_missing", message)


def invalid_organization_slug() -> StytchError:
    return StytchError(
        400,
        "invalid_organization_slug",
        "organization_slug must be 2-128 characters of letters, digits, '-._~'.",
    )


def invalid_email(key: str) -> StytchError:
    return StytchError(400, "invalid_email", f"'{key}' is not a valid email address.")


def invalid_member_get_fields() -> StytchError:
    return StytchError(400, "invalid_member_get_fields", "Pass either member_id or email_address.")


def search_error(kind: str, suffix: str, message: str) -> StytchError:
    """A search validation error: ``<kind>_search_<suffix>`` (``member_search_...``,
    ``organization_search_...``), as Stytch's catalogue names them."""
    return StytchError(400, f"{kind}_search_{suffix}", message)


def search_invalid_operator() -> StytchError:
    return StytchError(400, "user_search_invalid_operator", "query.operator must be AND or OR.")


def search_invalid_status_filter(statuses: tuple[str, ...] | list[str]) -> StytchError:
    return StytchError(
        400,
        "search_invalid_status_filter",
        f"statuses may only hold {', '.join(statuses)}.",
    )


# ---------------------------------------------------------------- retired emails, factors
def retired_member_email() -> StytchError:
    return StytchError(
        400,
        "retired_member_email",
        "This email address was retired by another Member of the organization; unlink it "
        "from that Member before reusing it.",
    )


def retired_email_missing_email_identifiers() -> StytchError:
    return StytchError(
        400,
        "retired_email_missing_email_identifiers",
        "Pass email_id, email_address, or both to identify the retired email.",
    )


def email_not_found() -> StytchError:
    return StytchError(404, "email_not_found", "Email could not be found.")


def email_updates_available_only_for_active_members() -> StytchError:
    return StytchError(
        400,
        "email_updates_available_only_for_active_members",
        "Email updates are only available for active Members with a verified email address.",
    )


def totp_not_found() -> StytchError:
    return StytchError(404, "totp_not_found", "TOTP registration could not be found.")


def member_password_not_found() -> StytchError:
    return StytchError(404, "member_password_not_found", "Member password could not be found.")


def member_oauth_token_not_found() -> StytchError:
    return StytchError(
        404,
        "member_oauth_token_not_found",
        "No OAuth tokens were found for this Member and provider.",
    )


# ---------------------------------------------------------------- organization RBAC policy
def invalid_rbac_custom_role(message: str) -> StytchError:
    return StytchError(400, "invalid_rbac_custom_role", message)


def empty_rbac_role_id() -> StytchError:
    return StytchError(400, "empty_rbac_role_id", "role_id must not be empty.")


def rbac_role_duplicate(role_id: str) -> StytchError:
    return StytchError(
        400, "rbac_role_duplicate", f"Role {role_id!r} is already defined in the RBAC policy."
    )


def rbac_org_custom_roles_only(role_id: str) -> StytchError:
    return StytchError(
        400,
        "rbac_org_custom_roles_only",
        f"An organization policy may only hold custom roles; {role_id!r} is a Stytch role.",
    )


def rbac_permission_missing_actions(role_id: str, resource_id: str) -> StytchError:
    return StytchError(
        400,
        "rbac_permission_missing_actions",
        f"Role {role_id!r} lists no actions for resource {resource_id!r}.",
    )
