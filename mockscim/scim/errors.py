"""SCIM error bodies (RFC 7644 section 3.12).

Everything below the vendor layer raises :class:`ScimError`; the SCIM blueprint renders it,
unless the vendor's policy renders it its own way (SSOReady answers some errors in plain text).
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(self.status)}
        if self.scim_type:
            body["scimType"] = self.scim_type
        body["detail"] = self.detail
        return body

    def __repr__(self) -> str:
        return f"ScimError({self.status}, {self.detail!r}, {self.scim_type!r})"


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def no_target(detail: str) -> ScimError:
    return ScimError(400, detail, "noTarget")


def mutability(detail: str) -> ScimError:
    return ScimError(400, detail, "mutability")


def not_found(detail: str) -> ScimError:
    return ScimError(404, detail)


def uniqueness(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def unauthorized(
    detail: str = "Authorization failure. The authorization header is invalid or missing.",
) -> ScimError:
    return ScimError(401, detail)
