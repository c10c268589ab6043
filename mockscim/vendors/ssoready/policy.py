"""How SSOReady's SCIM server departs from plain RFC 7644 (internal/authservice/scim.go).

- Ids are ``scim_user_<base36 uuid>`` / ``scim_group_<base36 uuid>``.
- ``userName`` must be an email (scim.go's ``emailaddr`` pattern) whose domain is one of the
  organization's ``domains``: otherwise 400, as plain text ``userName is not a valid email
  address`` or the JSON-in-plain-text ``{"detail":"userName is not from the list of allowed
  domains: ...","status":400}``; the request log records ``bad_username`` /
  ``email_outside_organization_domains`` with the offending value.
- POST of an existing ``userName`` updates that user and clears ``deleted`` (an upsert on
  ``(scim_directory_id, email)``), never 409.
- DELETE marks users and groups ``deleted: true``; the app API keeps listing them.
- A PUT/PATCH with ``active: false`` is stored as ``deleted: true`` (``Deleted: !active``).
- Unknown directory: 404 plain text ``scim directory not found`` (checked before the token);
  bad or missing token: 401 plain text ``invalid bearer token``.
- ``email.value eq "..."`` (SSOReady's alias, commit c33d0e0) filters on ``userName``.

This is the ``rfc`` profile's policy (``Settings.ssoready_profile = "rfc"``): SSOReady's rules
on an RFC 7644 SCIM server. The default ``exact`` profile runs SSOReady's own handlers instead
(:mod:`mockscim.vendors.ssoready.scim_exact`), which reuse this module's texts and errors.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Response

from mockscim.engine.redaction import redact_echo
from mockscim.http.context import set_error_kind, set_journal_extra
from mockscim.scim.directory import ScimDirectory, ScimRecord
from mockscim.scim.errors import ScimError
from mockscim.scim.policy import ScimPolicy
from mockscim.vendors.ssoready.errors import go_http_error
from mockscim.vendors.ssoready.state import GROUP_PREFIX, USER_PREFIX, SSOReadyState, new_id

#: internal/emailaddr/emailaddr.go, verbatim.
EMAIL = re.compile(r"^[a-zA-Z0-9_.\-\\#+]+@([a-zA-Z0-9_.-]+)$")
#: ``email.value`` in attribute position (not inside a quoted value).
EMAIL_VALUE = re.compile(r"(^|[\s(\[])email\.value(?=\s)", re.IGNORECASE)

DIRECTORY_NOT_FOUND = "scim directory not found"
INVALID_BEARER_TOKEN = "invalid bearer token"
BAD_USERNAME = "userName is not a valid email address"


class PlainTextScimError(ScimError):
    """An error SSOReady writes with Go's ``http.Error``: ``text/plain``, body + newline."""

    def __init__(
        self,
        status: int,
        body: str,
        *,
        error_kind: str | None = None,
        offending: str | None = None,
    ) -> None:
        super().__init__(status, body)
        self.body = body
        self.error_kind = error_kind
        self.offending = offending


def directory_not_found() -> PlainTextScimError:
    return PlainTextScimError(404, DIRECTORY_NOT_FOUND)


def invalid_bearer_token() -> PlainTextScimError:
    return PlainTextScimError(401, INVALID_BEARER_TOKEN, error_kind="bad_bearer_token")


def email_domain(user_name: str) -> str | None:
    match = EMAIL.match(user_name)
    return match.group(1).lower() if match else None


class SSOReadyScimPolicy(ScimPolicy):
    vendor = "ssoready"
    upsert_on_username = True
    soft_delete = True

    def __init__(self, state: SSOReadyState | None = None, *, method: str = "GET") -> None:
        self._state = state
        #: The request's HTTP method: a POST revives a user whatever its ``active`` says.
        self.method = method

    @property
    def state(self) -> SSOReadyState:
        if self._state is None:
            raise RuntimeError("this policy is not bound to a request")
        return self._state

    def new_id(self, kind: str) -> str:
        return new_id(USER_PREFIX if kind == "User" else GROUP_PREFIX)

    def check_filter(self, kind: str, text: str) -> str | None:
        if kind == "User":
            # SSOReady's own alias: ``email.value`` is the user's email, i.e. its userName.
            return EMAIL_VALUE.sub(r"\1userName", text)
        return None

    def check_user(self, directory: ScimDirectory, data: dict[str, Any]) -> None:
        user_name = str(data.get("userName", ""))
        domain = email_domain(user_name)
        if domain is None:
            raise PlainTextScimError(
                400, BAD_USERNAME, error_kind="bad_username", offending=user_name
            )
        state = self.state
        meta = state.directories.get(directory.id)
        org = state.organizations.get(meta.organization_id) if meta else None
        allowed = sorted(org.domains) if org else []
        if org is None or not org.allows(domain):
            detail = f"userName is not from the list of allowed domains: {', '.join(allowed)}"
            # Go's json.Marshal of a map: keys sorted, no spaces.
            body = json.dumps({"detail": detail, "status": 400}, separators=(",", ":"))
            raise PlainTextScimError(
                400,
                body,
                error_kind="email_outside_organization_domains",
                offending=user_name,
            )

    def user_written(self, directory: ScimDirectory, record: ScimRecord, created: bool) -> None:
        inactive = self.state.inactive_users
        if self.method != "POST" and record.data.get("active") is False:
            inactive.add(record.id)
        else:
            inactive.discard(record.id)

    @classmethod
    def error_response(cls, error: ScimError) -> Response | None:
        if not isinstance(error, PlainTextScimError):
            return None
        if error.error_kind:
            set_error_kind(error.error_kind)
        if error.offending is not None:
            # Echoed in the request log; a token sent as a userName must not be kept.
            set_journal_extra(offending_value=redact_echo(error.offending))
        return go_http_error(error.status, error.body)
