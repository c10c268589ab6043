"""SSOReady's per-directory *SCIM request log* (the dashboard's "SCIM Requests" tab), as a
view over the mock's journal.

The real server records, for every SCIM request to an existing directory (including the 401s
of a bad bearer token, but not the 404 of an unknown directory), the URL, method, request
body, response status, response body and an error kind: ``badBearerToken``, ``badUsername``
(the rejected userName) or ``emailOutsideOrganizationDomains`` (the rejected email). Here
each journal entry of the ``ssoready-scim`` surface that names a directory becomes one
``SCIMRequest`` in SSOReady's protobuf JSON shape, newest first. Bodies are the journal's
redacted copies: secrets never reach this view.

``GET /_mockscim/ssoready/scim-requests?scimDirectoryId=...`` serves it over HTTP.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, request

from mockscim.engine.journal import JournalEntry
from mockscim.engine.mock import Mock
from mockscim.vendors.ssoready.state import REQUEST_PREFIX, SSOReadyState, base36

SURFACE = "ssoready-scim"
#: The only statuses SSOReady's SCIMRequestHTTPStatus enum names.
KNOWN_STATUSES = {200, 201, 204, 400, 401, 404}
ERROR_FIELDS = {
    "bad_bearer_token": "badBearerToken",
    "bad_username": "badUsername",
    "email_outside_organization_domains": "emailOutsideOrganizationDomains",
}


def _json_object(text: str | None, is_json: bool) -> dict[str, Any] | None:
    """SSOReady keeps a body only when it parses as a JSON object, whatever its type."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def scim_request(entry: JournalEntry, *, exact: bool = False) -> dict[str, Any]:
    """One log row. ``exact``: as SSOReady reads its rows back, an absent (or non-JSON) body
    is an empty Struct, ``{}``."""
    status = (
        f"SCIM_REQUEST_HTTP_STATUS_{entry.status}"
        if entry.status in KNOWN_STATUSES
        else "SCIM_REQUEST_HTTP_STATUS_UNSPECIFIED"
    )
    out: dict[str, Any] = {
        "id": REQUEST_PREFIX + base36(entry.seq),
        "scimDirectoryId": entry.directory_id,
        "timestamp": entry.at,
        "httpRequestUrl": entry.path + (f"?{entry.query}" if entry.query else ""),
        "httpRequestMethod": f"SCIM_REQUEST_HTTP_METHOD_{entry.method}",
        "httpResponseStatus": status,
        # mockscim extension: the exact status, also for those SSOReady's enum lacks.
        "httpResponseStatusCode": entry.status,
    }
    request_body = _json_object(entry.request_text, entry.request_is_json)
    if request_body is None and exact:
        request_body = {}
    if request_body is not None:
        out["httpRequestBody"] = request_body
    response_body = _json_object(entry.response_text, entry.response_is_json)
    if response_body is None and exact:
        response_body = {}
    if response_body is not None:
        out["httpResponseBody"] = response_body
    field = ERROR_FIELDS.get(entry.error_kind or "")
    if field == "badBearerToken":
        out[field] = {}
    elif field is not None:
        out[field] = str(entry.extra.get("offending_value", ""))
    return out


def scim_requests(mock: Mock, directory_id: str) -> list[dict[str, Any]]:
    """The directory's SCIM request log, newest first (bounded by the journal's size).
    Requests that crashed are not in it: scimMiddleware writes the row after the handler
    returns, which a panicking handler never does."""
    exact = mock.settings.ssoready_profile == "exact"
    entries = mock.journal.entries(surface=SURFACE, directory_id=directory_id)
    return [
        scim_request(e, exact=exact)
        for e in reversed(entries)
        if not (e.error_kind or "").startswith("crash:")
    ]


def register_request_log(app: Flask, mock: Mock) -> None:
    bp = Blueprint("ssoready_admin", __name__, url_prefix="/_mockscim/ssoready")

    @bp.get("/scim-requests")
    def list_scim_requests() -> Response:
        directory_id = request.args.get("scimDirectoryId", "")
        with mock.store.lock:
            state: SSOReadyState = mock.store.vendor("ssoready")
            known = directory_id in state.directories
        if not known:
            body = {"code": 5, "message": f"scim directory not found: {directory_id}"}
            return Response(json.dumps(body), status=404, content_type="application/json")
        items = scim_requests(mock, directory_id)
        return Response(
            json.dumps({"scimRequests": items}), status=200, content_type="application/json"
        )

    app.register_blueprint(bp)
