"""google.rpc.Status errors of SSOReady's management and app APIs, raised as one exception.

The real API is a Connect service behind vanguard's REST transcoder, so every failure is
``{"code": <gRPC code>, "message": "...", "details": []}`` with the HTTP status vanguard maps
that code to. The constructors below are the only place a code is paired with a message.
"""

from __future__ import annotations

import json

from flask import Response, request

from mockscim.http.context import set_error_kind

#: gRPC code -> (name, HTTP status), as connect/vanguard map them.
CODES: dict[int, tuple[str, int]] = {
    1: ("canceled", 499),
    2: ("unknown", 500),
    3: ("invalid_argument", 400),
    4: ("deadline_exceeded", 504),
    5: ("not_found", 404),
    6: ("already_exists", 409),
    7: ("permission_denied", 403),
    8: ("resource_exhausted", 429),
    9: ("failed_precondition", 400),
    10: ("aborted", 409),
    11: ("out_of_range", 400),
    12: ("unimplemented", 501),
    13: ("internal", 500),
    14: ("unavailable", 503),
    15: ("data_loss", 500),
    16: ("unauthenticated", 401),
}

INVALID_ARGUMENT = 3
NOT_FOUND = 5
ALREADY_EXISTS = 6
FAILED_PRECONDITION = 9
UNIMPLEMENTED = 12
INTERNAL = 13
UNAUTHENTICATED = 16


UNKNOWN = 2


class SSOReadyError(Exception):
    def __init__(
        self,
        code: int,
        message: str,
        status: int | None = None,
        details: list[dict[str, object]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else CODES[code][1]
        self.details = details or []

    @property
    def name(self) -> str:
        return CODES[self.code][0]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "details": list(self.details)}

    def __repr__(self) -> str:
        return f"SSOReadyError({self.code}, {self.message!r})"


def render(error: SSOReadyError) -> Response:
    set_error_kind(error.name)
    return Response(
        json.dumps(error.to_json()), status=error.status, content_type="application/json"
    )


_STATUS_CODES = {
    400: INVALID_ARGUMENT,
    401: UNAUTHENTICATED,
    403: 7,
    404: NOT_FOUND,
    405: UNIMPLEMENTED,
    409: ALREADY_EXISTS,
    413: 8,
    415: INVALID_ARGUMENT,
    429: 8,
    501: UNIMPLEMENTED,
    502: 14,
    503: 14,
    504: 4,
}


#: The gRPC code an HTTP status stands for, when a routing error must be shown as a Status.
CODE_FOR_STATUS = _STATUS_CODES


def render_http(status: int, message: str) -> Response:
    """Routing-level errors (unknown route, 405, 413, injected faults, 500) as a Status,
    keeping the HTTP status the caller chose."""
    code = _STATUS_CODES.get(status, INTERNAL if status >= 500 else INVALID_ARGUMENT)
    if status == 404:
        message = "not found"
    return render(SSOReadyError(code, message, status))


def go_http_error(status: int, message: str, allow: str | None = None) -> Response:
    """Go's ``http.Error``: the message and a newline as plain text with ``nosniff``. What
    SSOReady's Go server writes outside Connect's JSON: gorilla's routes and the SCIM
    middleware, vanguard's own 404/405/415 (``allow``: the 405's ``Allow`` header)."""
    headers = {"X-Content-Type-Options": "nosniff"}
    if allow is not None:
        headers["Allow"] = allow
    return Response(
        message + "\n", status=status, content_type="text/plain; charset=utf-8", headers=headers
    )


def render_http_exact(status: int, message: str) -> Response:
    """The ``exact`` profile: vanguard-go v0.2.0 answers an unknown route and a wrong method
    itself, before any Connect handler, with Go's ``http.Error``: plain text ``Not Found`` /
    ``Method Not Allowed`` (the latter with ``Allow``). Everything else as :func:`render_http`."""
    if status not in (404, 405):
        return render_http(status, message)
    text = "Not Found" if status == 404 else "Method Not Allowed"
    routing = getattr(request, "routing_exception", None)
    allowed = getattr(routing, "valid_methods", None)
    allow = None
    if status == 405 and allowed:
        allow = ",".join(m for m in allowed if m not in ("HEAD", "OPTIONS"))
    set_error_kind("not_found" if status == 404 else "method_not_allowed")
    return go_http_error(status, text, allow)


# ---------------------------------------------------------------- constructors
def unauthenticated(message: str) -> SSOReadyError:
    return SSOReadyError(UNAUTHENTICATED, message)


def not_management_key() -> SSOReadyError:
    # authninterceptor.go, word for word.
    return unauthenticated("api key is not authorized to access management api")


def unknown(message: str) -> SSOReadyError:
    """connect-go's code 2 for a plain (non-connect) error: what the real server answers for
    nearly every store failure (``no rows in result set``, an id that does not parse, a unique
    violation), as HTTP 500 with the error's text."""
    return SSOReadyError(UNKNOWN, message)


def bad_page_token() -> SSOReadyError:
    """internal/pagetoken/pagetoken.go: InvalidArgument with no message and one
    ``BadRequest.FieldViolation`` detail."""
    return SSOReadyError(
        INVALID_ARGUMENT,
        "",
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest.FieldViolation",
                "field": "page_token",
                "description": "invalid pagination token",
            }
        ],
    )


def invalid_argument(message: str) -> SSOReadyError:
    return SSOReadyError(INVALID_ARGUMENT, message)


def failed_precondition(message: str) -> SSOReadyError:
    return SSOReadyError(FAILED_PRECONDITION, message)


def not_found(message: str) -> SSOReadyError:
    return SSOReadyError(NOT_FOUND, message)


def already_exists(message: str) -> SSOReadyError:
    return SSOReadyError(ALREADY_EXISTS, message)


def unimplemented(what: str) -> SSOReadyError:
    return SSOReadyError(
        UNIMPLEMENTED,
        f"{what} is not emulated by mockscim (SCIM-only SSOReady emulation; see SUPPORTED.md)",
    )
