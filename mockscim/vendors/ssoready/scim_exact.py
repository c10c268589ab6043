"""The ``exact`` profile's SCIM server: SSOReady's own (ssoready/ssoready at c33d0e0,
``internal/authservice/scim.go``), quirks and crashes included.

It stores what SSOReady stores: the request body minus ``schemas`` as the attributes, beside
the columns ``email`` (users) and ``display_name`` (groups) and the membership relation, all
of which move independently (see :class:`~mockscim.vendors.ssoready.state.SSOReadyState`).
Records live in the shared :class:`~mockscim.scim.directory.ScimDirectory` (written verbatim
through ``put_record``), so the app API, snapshots and the journal see them as ever; none of
the RFC 7644 core's validation, PATCH or list logic runs here.

Where the Go handler panics, net/http closes the connection without a response: the
:class:`Crash` raised here does the same through the engine's drop mechanism (or answers 502,
``Settings.ssoready_crash = "502"``, as a proxy in front would), and the journal records the
request with ``error_kind`` ``crash:<reason>``. Every check runs before the first write, so a
crash never leaves a half-applied change. Each handler runs under the store lock.
"""

from __future__ import annotations

import copy
import json
import re
import string
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import NotFound

from mockscim.engine import jsontext
from mockscim.engine.mock import Mock
from mockscim.http.bodies import MAX_DEPTH
from mockscim.http.context import set_credential, set_error_kind, set_journal_extra
from mockscim.http.hooks import DROP_KEY
from mockscim.scim.directory import ScimDirectory, ScimRecord
from mockscim.vendors.ssoready import rotation, vanguard
from mockscim.vendors.ssoready.errors import go_http_error
from mockscim.vendors.ssoready.jsonscan import GO_MAX_DEPTH, LONE_SURROGATE, nesting
from mockscim.vendors.ssoready.policy import (
    BAD_USERNAME,
    EMAIL,
    PlainTextScimError,
    SSOReadyScimPolicy,
    directory_not_found,
    invalid_bearer_token,
)
from mockscim.vendors.ssoready.scimpatch import Operation, Panic, PatchError, patch
from mockscim.vendors.ssoready.state import (
    DIRECTORY_PREFIX,
    GROUP_PREFIX,
    ID_DIGITS,
    TOKEN_PREFIX,
    USER_PREFIX,
    DirectoryRecord,
    SSOReadyState,
    new_id,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCIM_JSON = "application/scim+json"
#: scim.go's store lists (``AuthListSCIMUsers``/``AuthListSCIMGroups``): 10 rows a page.
PAGE_SIZE = 10
#: scimListUsers / scimListGroups: the only filters, unanchored, case-sensitive.
USER_FILTER = re.compile(r'(userName|email\.value) eq "(.*)"')
GROUP_FILTER = re.compile(r'displayName eq "(.*)"')
#: Every method a route may be asked with; the handler itself answers 405 for the others.
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
_BASE36 = frozenset(string.digits + string.ascii_lowercase)
_INT = re.compile(r"^[+-]?[0-9]+$")
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")


class Crash(Exception):
    """The Go handler panics here: no response (or a proxy's 502)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------- Go's wire habits
def _go_value(value: Any) -> Any:
    """A value as Go's encoding/json writes a ``map[string]any``: keys sorted, and numbers
    (float64 after structpb) without a fraction when they have none."""
    if isinstance(value, dict):
        return {k: _go_value(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_go_value(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def go_json(value: Any, *, struct: bool = False) -> str:
    """``json.NewEncoder(w).Encode``: compact, HTML characters escaped, one trailing newline.
    A map's keys are sorted; a ``struct`` keeps its top-level field order (nested maps are
    still sorted)."""
    if struct and isinstance(value, dict):
        value = {k: _go_value(v) for k, v in value.items()}
    else:
        value = _go_value(value)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text + "\n"


def scim_json(value: Any, status: int = 200, *, struct: bool = False) -> Response:
    return Response(go_json(value, struct=struct), status=status, content_type=SCIM_JSON)


def bare(status: int) -> Response:
    """``w.WriteHeader(status)`` and nothing else: no body, no Content-Type."""
    response = Response(status=status)
    del response.headers["Content-Type"]
    return response


def page_not_found() -> Response:
    """gorilla/mux's ``http.NotFoundHandler()``."""
    return go_http_error(404, "404 page not found")


def _go_strings(value: Any) -> Any:
    """encoding/json decodes a lone UTF-16 surrogate escape (``"\\ud800"``) to U+FFFD."""
    stack = [value]
    while stack:
        item = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in list(pairs):
            if isinstance(child, str):
                item[key] = LONE_SURROGATE.sub("\ufffd", child)
            elif isinstance(child, (dict, list)):
                stack.append(child)
        if isinstance(item, dict):
            for key in [k for k in item if LONE_SURROGATE.search(k)]:
                item[LONE_SURROGATE.sub("\ufffd", key)] = item.pop(key)
    return value


class TooDeep(ValueError):
    """Nested past mockscim's own bound (``MAX_DEPTH``) but within Go's: the real server
    would take it; the mock refuses it with a 400 rather than recurse on it."""


def decode(raw: bytes) -> Any:
    """Go's JSON decoding of a body: NaN and Infinity are not JSON, invalid UTF-8 and lone
    surrogates become U+FFFD, and nesting past 10,000 levels is an error (which the
    middleware's ``panic(err)`` turns into a crash). Between mockscim's bound of 64 levels
    and Go's, :class:`TooDeep`."""
    depth = nesting(raw)
    if depth > GO_MAX_DEPTH:
        raise ValueError("exceeded max depth")
    if depth > MAX_DEPTH:
        raise TooDeep(f"request body is nested deeper than {MAX_DEPTH} levels (a mockscim limit)")
    value = json.loads(raw.decode("utf-8", "replace"), parse_constant=jsontext.reject_constant)
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    return _go_strings(value) if isinstance(value, (dict, list)) else value


def well_formed(prefix: str, value: str) -> bool:
    """prettyuuid's ``Parse``: the prefix, then 25 lower-case base-36 digits below 2**128."""
    digits = value[len(prefix) :]
    if not value.startswith(prefix) or len(digits) != ID_DIGITS:
        return False
    return set(digits) <= _BASE36 and int(digits, 36) < 2**128


# ---------------------------------------------------------------------- resources
def user_resource(record: ScimRecord, email: str) -> dict[str, Any]:
    """``scimUserToResource``: the attributes plus ``id`` and ``userName`` (the email column),
    Entra's ``"True"``/``"False"`` as booleans and a bare-string manager as ``{"value"}``."""
    resource = copy.deepcopy(record.data)
    resource["id"] = record.id
    resource["userName"] = email
    if resource.get("active") == "True":
        resource["active"] = True
    elif resource.get("active") == "False":
        resource["active"] = False
    enterprise = resource.get(ENTERPRISE)
    if enterprise is not None:
        if not isinstance(enterprise, dict):
            raise Crash("enterprise extension is not an object")
        manager = enterprise.get("manager")
        if isinstance(manager, str):
            enterprise["manager"] = {"value": manager}
    return resource


def group_response(
    record: ScimRecord, members: list[str], *, with_schemas: bool = True
) -> dict[str, Any]:
    """``scimCreateGroup``/``scimUpdateGroup``'s answer: the attributes, ``schemas``, ``id``
    and ``members`` as sent (``null`` when there are none)."""
    resource = copy.deepcopy(record.data)
    resource["schemas"] = [GROUP_SCHEMA]
    resource["id"] = record.id
    resource["members"] = [{"value": m} for m in members] or None
    return resource


def list_body(total: int, start: int, schema: str, items: list[Any]) -> dict[str, Any]:
    """``scimListResponse``, in its field order."""
    return {
        "totalResults": total,
        "itemsPerPage": len(items),
        "startIndex": start,
        "schemas": [schema],
        "resources": items,
    }


# ---------------------------------------------------------------------- the server
class ExactScim:
    """One request's view of SSOReady's SCIM handlers, bound to the vendor state."""

    def __init__(
        self, state: SSOReadyState, meta: DirectoryRecord, directory: ScimDirectory, now: datetime
    ) -> None:
        self.state = state
        self.meta = meta
        self.directory = directory
        self.now = now

    # ------------------------------------------------------------ shared checks
    def email_of(self, record: ScimRecord) -> str:
        email = self.state.email_of(record.id)
        if email is None:  # a user written by the rfc profile (a snapshot restored here)
            email = str(record.data.get("userName", ""))
        return email

    def check_email(self, email: str) -> None:
        """``emailaddr.Parse`` and the organization's domains, in scim.go's order."""
        match = EMAIL.fullmatch(email)
        if match is None:
            raise PlainTextScimError(400, BAD_USERNAME, error_kind="bad_username", offending=email)
        domain = match.group(1).lower()
        org = self.state.organizations.get(self.meta.organization_id)
        allowed = list(org.domains) if org else []
        if domain not in allowed:  # an exact compare: a stored "Acme.test" never matches
            detail = f"userName is not from the list of allowed domains: {', '.join(allowed)}"
            body = json.dumps({"detail": detail, "status": 400}, separators=(",", ":"))
            raise PlainTextScimError(
                400, body, error_kind="email_outside_organization_domains", offending=email
            )

    def user(self, rid: str, *, include_deleted: bool) -> ScimRecord | None:
        record = self.directory.users.get(rid)
        if record is None or (record.deleted and not include_deleted):
            return None
        return record

    def group(self, rid: str) -> ScimRecord | None:
        """``AuthGetSCIMGroup`` has no deleted filter."""
        return self.directory.groups.get(rid)

    def body(self) -> Any:
        """``json.NewDecoder(r.Body).Decode``: an empty body is EOF (the middleware has
        already made sure a non-empty one is a JSON object or ``null``)."""
        raw = request.get_data(cache=True)
        if not raw.strip():
            raise Crash("EOF decoding the request body")
        return decode(raw)

    def start_index(self) -> int | Response:
        """The store offset ``startIndex - 1`` (0 when absent), or the 400 of a bad value."""
        raw = request.args.get("startIndex", "")
        if raw == "":
            return 0
        if not _INT.match(raw):
            return go_http_error(
                400, f'parse startIndex: strconv.Atoi: parsing "{raw}": invalid syntax'
            )
        offset = int(raw) - 1
        # The store converts with int32(): larger values wrap around.
        offset = (offset + 2**31) % 2**32 - 2**31
        if offset < 0:
            raise Crash("OFFSET must not be negative")
        return offset

    # ------------------------------------------------------------ users
    def list_users(self) -> Response:
        if "filter" in request.args:
            match = USER_FILTER.search(request.args.get("filter", ""))
            if match is None:
                raise Crash("unsupported filter param")
            if _BAD_ESCAPE.search(match.group(2)):
                raise Crash("invalid URL escape in the filter value")
            email = unquote_plus(match.group(2))
            uid = self.state.user_by_email(self.directory.id, email)
            record = self.user(uid, include_deleted=False) if uid else None
            items: list[Any] = []
            if record is not None:
                # Not scimUserToResource: no normalisation on this path.
                resource = copy.deepcopy(record.data)
                resource["id"] = record.id
                resource["userName"] = self.email_of(record)
                items.append(resource)
            body = list_body(len(items), 1, USER_SCHEMA, items)
            body["itemsPerPage"] = 1
            return scim_json(body, struct=True)
        offset = self.start_index()
        if isinstance(offset, Response):
            return offset
        live = sorted((r for r in self.directory.users.values() if not r.deleted), key=_id)
        page = [user_resource(r, self.email_of(r)) for r in live[offset : offset + PAGE_SIZE]]
        return scim_json(list_body(len(live), offset, USER_SCHEMA, page), struct=True)

    def get_user(self, rid: str) -> Response:
        if not well_formed(USER_PREFIX, rid):
            raise Crash("malformed scim user id")
        record = self.user(rid, include_deleted=False)
        if record is None:
            return bare(404)
        return scim_json({**user_resource(record, self.email_of(record)), "schemas": [USER_SCHEMA]})

    def create_user(self) -> Response:
        body = self.body()
        user_name = body.get("userName") if isinstance(body, dict) else None
        if not isinstance(user_name, str):
            raise Crash("userName is not a string")
        attributes = {k: v for k, v in body.items() if k != "schemas"}
        self.check_email(user_name)
        # AuthUpsertSCIMUser: on conflict (scim_directory_id, email), exact and case-sensitive.
        uid = self.state.user_by_email(self.directory.id, user_name) or new_id(USER_PREFIX)
        record = self.directory.put_record("User", uid, attributes, self.now, deleted=False)
        self.state.set_email(uid, self.directory.id, user_name)
        resource = {**user_resource(record, user_name), "schemas": [USER_SCHEMA]}
        return scim_json(resource, 201)

    def replace_user(self, rid: str) -> Response:
        body = self.body()
        resource = body if isinstance(body, dict) else {}
        if resource.get("userName") is None:
            raise PlainTextScimError(
                400, "userName is required", error_kind="bad_username", offending=""
            )
        user_name = resource["userName"]
        if not isinstance(user_name, str):
            raise Crash("userName is not a string")
        active = True
        if "active" in resource:
            if not isinstance(resource["active"], bool):
                raise Crash("active is not a bool")
            active = resource["active"]
        attributes = {k: v for k, v in resource.items() if k != "schemas"}
        self.check_email(user_name)
        record = self._existing_user(rid)
        self._check_email_free(user_name, rid)
        record = self.directory.put_record("User", rid, attributes, self.now, deleted=not active)
        self.state.set_email(rid, self.directory.id, user_name)
        return scim_json({**user_resource(record, user_name), "schemas": [USER_SCHEMA]})

    def patch_user(self, rid: str) -> Response:
        ops = patch_operations(self.body())
        record = self._existing_user(rid)
        old_email = self.email_of(record)
        resource = user_resource(record, old_email)
        try:
            resource = patch(ops, resource)
        except Panic as exc:
            raise Crash(str(exc)) from exc
        except PatchError as exc:
            error = {
                "schemas": [ERROR_SCHEMA],
                "status": "400",
                "scimType": "invalidPath",
                "detail": f"Unsupported PATCH operation: {exc}",
            }
            return scim_json(error, 400)
        resource.pop("id", None)
        resource.pop("schemas", None)
        if resource.get("active") == "True":
            resource["active"] = True
        elif resource.get("active") == "False":
            resource["active"] = False
        email = resource.get("userName")
        email = email if isinstance(email, str) and email else old_email
        active = resource.get("active") is True
        self.check_email(email)
        self._check_email_free(email, rid)
        self.directory.put_record("User", rid, resource, self.now, deleted=not active)
        self.state.set_email(rid, self.directory.id, email)
        return bare(204)

    def delete_user(self, rid: str) -> Response:
        """``AuthDeleteSCIMUser`` reads the user with ``deleted = false`` first."""
        if not well_formed(USER_PREFIX, rid) or self.user(rid, include_deleted=False) is None:
            raise Crash("store: no rows in result set (delete scim user)")
        self.directory.set_deleted("User", rid, True, self.now)
        return bare(204)

    def _existing_user(self, rid: str) -> ScimRecord:
        if not well_formed(USER_PREFIX, rid):
            raise Crash("malformed scim user id")
        record = self.user(rid, include_deleted=True)
        if record is None:
            raise Crash("store: no rows in result set (scim user)")
        return record

    def _check_email_free(self, email: str, rid: str) -> None:
        other = self.state.user_by_email(self.directory.id, email)
        if other is not None and other != rid:
            raise Crash("duplicate key value violates unique constraint on (directory, email)")

    # ------------------------------------------------------------ groups
    def list_groups(self) -> Response:
        offset = self.start_index()
        if isinstance(offset, Response):
            return offset
        name: str | None = None
        if "filter" in request.args:
            match = GROUP_FILTER.search(request.args.get("filter", ""))
            if match is None:
                raise Crash("unsupported filter param")
            # AuthListSCIMGroups: an empty FilterDisplayName means no filter at all, so
            # `displayName eq ""` lists every group.
            name = match.group(1) or None
        live = sorted(
            (
                r
                for r in self.directory.groups.values()
                if not r.deleted and (name is None or self.name_of(r) == name)
            ),
            key=_id,
        )
        page = []
        for record in live[offset : offset + PAGE_SIZE]:
            resource = copy.deepcopy(record.data)
            resource["id"] = record.id
            resource["displayName"] = self.name_of(record)
            page.append(resource)
        return scim_json(list_body(len(live), offset, GROUP_SCHEMA, page), struct=True)

    def name_of(self, record: ScimRecord) -> str:
        found = self.state.group_names.get(record.id)
        return found if found is not None else str(record.data.get("displayName", ""))

    def get_group(self, rid: str) -> Response:
        if not well_formed(GROUP_PREFIX, rid):
            raise Crash("malformed scim group id")
        record = self.group(rid)
        if record is None:
            return bare(404)
        resource = copy.deepcopy(record.data)
        resource["id"] = record.id
        resource["displayName"] = self.name_of(record)
        resource["schemas"] = [GROUP_SCHEMA]
        return scim_json(resource)

    def _group_input(
        self, body: Any, *, null_members_ok: bool, deleted_members_ok: bool
    ) -> tuple[str, dict[str, Any], list[str]]:
        if not isinstance(body, dict):
            raise Crash("the group body is null")
        members: list[str] = []
        raw = body.get("members")
        present = raw is not None if null_members_ok else "members" in body
        if present:
            if not isinstance(raw, list):
                raise Crash("members is not an array")
            for member in raw:
                value = member.get("value") if isinstance(member, dict) else None
                if not isinstance(value, str):
                    raise Crash("a member has no string value")
                members.append(value)
        name = body.get("displayName")
        if not isinstance(name, str):
            raise Crash("displayName is not a string")
        for uid in members:
            if not well_formed(USER_PREFIX, uid):
                raise Crash("malformed member scim user id")
            if self.user(uid, include_deleted=deleted_members_ok) is None:
                raise Crash("store: no rows in result set (group member)")
        return name, {k: v for k, v in body.items() if k != "schemas"}, members

    def create_group(self) -> Response:
        name, attributes, members = self._group_input(
            self.body(), null_members_ok=False, deleted_members_ok=False
        )
        gid = new_id(GROUP_PREFIX)
        record = self.directory.put_record("Group", gid, attributes, self.now, deleted=False)
        self.state.group_names[gid] = name
        self.state.memberships[gid] = list(dict.fromkeys(members))
        return scim_json(group_response(record, members), 201)

    def replace_group(self, rid: str) -> Response:
        name, attributes, members = self._group_input(
            self.body(), null_members_ok=True, deleted_members_ok=True
        )
        record = self._existing_group(rid)
        record = self.directory.put_record(
            "Group", rid, attributes, self.now, deleted=record.deleted
        )
        self.state.group_names[rid] = name
        self.state.memberships[rid] = list(dict.fromkeys(members))
        return scim_json(group_response(record, members))

    def patch_group(self, rid: str) -> Response:
        ops = patch_operations(self.body())
        if len(ops) == 1:
            op = ops[0]
            if op.op == "replace" and op.path == "":
                if not isinstance(op.value, dict) or not isinstance(
                    op.value.get("displayName"), str
                ):
                    raise Crash("rename value has no string displayName")
                self._existing_group(rid)
                # Only the column: attributes.displayName keeps the last POST/PUT's value.
                self.state.group_names[rid] = op.value["displayName"]
                return bare(204)
            if op.op in ("add", "Add", "remove", "Remove") and op.path == "members":
                adding = op.op in ("add", "Add")
                value = op.value
                if not isinstance(value, list) or not value:
                    raise Crash("members value is not a non-empty array")
                first = value[0]
                uid = first.get("value") if isinstance(first, dict) else None
                if not isinstance(uid, str):
                    raise Crash("the first member has no string value")
                self._existing_group(rid)
                if not well_formed(USER_PREFIX, uid):
                    if adding:  # AuthAddSCIMGroupMember's ErrBadSCIMUserID
                        return go_http_error(400, "bad scim user id")
                    raise Crash("malformed member scim user id")
                if self.user(uid, include_deleted=True) is None:
                    raise Crash("store: no rows in result set (group member)")
                members = self.state.memberships.setdefault(rid, [])
                if adding and uid not in members:
                    members.append(uid)
                elif not adding and uid in members:
                    members.remove(uid)
                return bare(204)
        raise Crash("unsupported group PATCH operation type")

    def delete_group(self, rid: str) -> Response:
        """``AuthDeleteSCIMGroup``: no deleted filter, memberships kept."""
        record = self._existing_group(rid)
        self.directory.set_deleted("Group", record.id, True, self.now)
        return bare(204)

    def _existing_group(self, rid: str) -> ScimRecord:
        if not well_formed(GROUP_PREFIX, rid):
            raise Crash("malformed scim group id")
        record = self.group(rid)
        if record is None:
            raise Crash("store: no rows in result set (scim group)")
        return record


def _id(record: ScimRecord) -> str:
    """``order by id``: SSOReady's ids are fixed-width base 36, so text order is id order."""
    return record.id


_OP_FIELDS = {"op": "op", "path": "path", "value": "value"}


def patch_operations(body: Any) -> list[Operation]:
    """Decode ``{"operations": [...]}`` as Go's encoding/json does into scim.go's struct:
    keys match case-insensitively (the last one wins), ``null`` leaves a field empty, and a
    type mismatch is a decode error, which the handler panics on."""
    if body is None:
        return []
    if not isinstance(body, dict):
        raise Crash("cannot decode the PATCH body")
    raw: Any = None
    for key, value in body.items():
        if key.lower() == "operations":
            raw = value
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Crash("operations is not an array")
    ops = []
    for item in raw:
        if item is None:
            ops.append(Operation("", "", None))
            continue
        if not isinstance(item, dict):
            raise Crash("a PATCH operation is not an object")
        fields: dict[str, Any] = {"op": "", "path": "", "value": None}
        for key, value in item.items():
            name = _OP_FIELDS.get(key.lower())
            if name is None:
                continue
            if name != "value" and value is not None and not isinstance(value, str):
                raise Crash(f"PATCH operation {name} is not a string")
            if name == "value" or value is not None:
                fields[name] = value
        ops.append(Operation(fields["op"], fields["path"], fields["value"]))
    return ops


# ---------------------------------------------------------------------- registration
#: Errors the app raises on this surface (faults, 413, 500), as Go's ``http.Error``.
render_error = go_http_error


def register_exact_scim_server(app: Flask, mock: Mock) -> None:
    settings = mock.settings
    bp = Blueprint("ssoready_scim_exact", __name__, url_prefix="/v1/scim/<directory_key>")

    @bp.errorhandler(PlainTextScimError)
    def _plain(error: PlainTextScimError) -> Response:
        response = SSOReadyScimPolicy.error_response(error)
        assert response is not None
        return response

    @bp.errorhandler(Crash)
    def _crash(error: Crash) -> Response:
        set_error_kind(f"crash:{error.reason}")
        set_journal_extra(crash=error.reason)
        if settings.ssoready_crash == "502":
            return Response(
                "502 Bad Gateway\n", status=502, content_type="text/plain; charset=utf-8"
            )
        request.environ[DROP_KEY] = True
        return Response(status=0)  # never sent: the drop middleware closes the socket

    def middleware(directory_key: str, handler: Callable[[ExactScim], Response]) -> Response:
        """``scimMiddleware``: the directory, then the body, then the token."""
        with mock.store.lock:
            if not well_formed(DIRECTORY_PREFIX, directory_key):
                raise Crash("malformed scim directory id")
            state: SSOReadyState = mock.store.vendor("ssoready")
            meta = state.directories.get(directory_key)
            directory = mock.store.directories.get(directory_key)
            if meta is None or directory is None:
                raise directory_not_found()
            set_credential("none", directory_key)
            raw = request.get_data(cache=True)
            if raw:
                try:
                    value = decode(raw)
                except TooDeep as exc:
                    raise PlainTextScimError(400, str(exc), error_kind="too_deep") from exc
                except ValueError as exc:
                    raise Crash("request body is not JSON") from exc
                if value is not None and not isinstance(value, dict):
                    raise Crash("request body is not a JSON object")
            header = request.headers.get("Authorization", "")
            token = header.removeprefix("Bearer ")
            digits = token.removeprefix(TOKEN_PREFIX)
            parses = (
                token.startswith(TOKEN_PREFIX)
                and len(digits) == ID_DIGITS
                and set(digits) <= _BASE36
            )
            if parses and int(digits, 36) >= 2**128:
                raise Crash("prettyuuid invariant failure")
            now = mock.clock.now()
            # store/auth_scim.go AuthSCIMVerifyBearerToken parses the token before looking up
            # its digest: one that is not prefix + 25 base-36 digits never authenticates, even
            # when a scenario stored exactly that string.
            if not parses or not rotation.authenticate(meta, token, now):
                set_credential("invalid" if header else "none", directory_key)
                raise invalid_bearer_token()
            set_credential("current", directory_key)
            return handler(ExactScim(state, meta, directory, now))

    def collection(kind: str) -> Callable[..., Response]:
        def view(directory_key: str) -> Response:
            method = request.method
            if method == "GET":
                act = ExactScim.list_users if kind == "User" else ExactScim.list_groups
            elif method == "POST":
                act = ExactScim.create_user if kind == "User" else ExactScim.create_group
            else:
                return bare(405)  # gorilla: an empty body, no Allow header
            return middleware(directory_key, act)

        return view

    item_actions: dict[str, dict[str, Callable[[ExactScim, str], Response]]] = {
        "User": {
            "GET": ExactScim.get_user,
            "PUT": ExactScim.replace_user,
            "PATCH": ExactScim.patch_user,
            "DELETE": ExactScim.delete_user,
        },
        "Group": {
            "GET": ExactScim.get_group,
            "PUT": ExactScim.replace_group,
            "PATCH": ExactScim.patch_group,
            "DELETE": ExactScim.delete_group,
        },
    }

    def item(kind: str) -> Callable[..., Response]:
        def view(directory_key: str, record_id: str) -> Response:
            action = item_actions[kind].get(request.method)
            if action is None:
                return bare(405)
            return middleware(directory_key, lambda scim: action(scim, record_id))

        return view

    for kind in ("User", "Group"):
        bp.add_url_rule(
            f"/{kind}s",
            f"{kind}_collection",
            collection(kind),
            methods=ALL_METHODS,
            provide_automatic_options=False,
        )
        bp.add_url_rule(
            f"/{kind}s/<record_id>",
            f"{kind}_item",
            item(kind),
            methods=ALL_METHODS,
            provide_automatic_options=False,
        )

    def elsewhere(directory_key: str, rest: str = "") -> Response:
        """No route: gorilla's plain-text 404 (discovery endpoints and ``.search`` included).
        The app API's own ``/v1/scim/users`` and ``/v1/scim/groups`` keep their errors."""
        if directory_key in ("users", "groups"):
            if "/" in rest.rstrip("/") or rest.endswith("/"):
                raise NotFound()
            return vanguard.method_not_allowed(["GET"])
        return page_not_found()

    bp.add_url_rule(
        "/", "elsewhere_root", elsewhere, methods=ALL_METHODS, provide_automatic_options=False
    )
    bp.add_url_rule(
        "/<path:rest>", "elsewhere", elsewhere, methods=ALL_METHODS, provide_automatic_options=False
    )
    app.register_blueprint(bp)
