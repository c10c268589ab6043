"""SCIM connections: create, read, update, delete, list groups, and the rotation calls.

Called with the store lock held; every input is validated before the first mutation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockscim.engine.store import Store
from mockscim.engine.tokens import random_uuid
from mockscim.scim.directory import ScimDirectory
from mockscim.vendors.stytch import errors, models, rbac, rotation
from mockscim.vendors.stytch import validation as v
from mockscim.vendors.stytch.state import (
    CONNECTION_PREFIX,
    Organization,
    RoleAssignment,
    ScimConnection,
    StytchState,
)


def _identity_provider(body: dict[str, Any]) -> str | None:
    value = body.get("identity_provider")
    if value is None:
        return None
    if value not in models.SCIM_IDPS:
        raise errors.invalid_scim_idp(value)
    return str(value)


def create(
    state: StytchState,
    store: Store,
    org: Organization,
    body: dict[str, Any],
    now: datetime,
    lifetime_seconds: int | None,
) -> tuple[ScimConnection, str]:
    display_name = v.optional_str(body, "display_name")
    identity_provider = _identity_provider(body)
    if state.active_connection(org.organization_id) is not None:
        raise errors.active_scim_connection_exists()
    token, record = rotation.mint(now, lifetime_seconds)
    connection = ScimConnection(
        connection_id=f"{CONNECTION_PREFIX}{random_uuid()}",
        organization_id=org.organization_id,
        display_name=display_name or "",
        identity_provider=identity_provider or "generic",
        current=record,
        created_at=now,
    )
    state.connections[connection.connection_id] = connection
    store.new_directory(connection.connection_id, "stytch")
    return connection, token


def active(state: StytchState, org: Organization) -> ScimConnection:
    connection = state.active_connection(org.organization_id)
    if connection is None:
        raise errors.no_active_scim_connection()
    return connection


def find(state: StytchState, org: Organization, connection_id: str) -> ScimConnection:
    connection = state.connections.get(connection_id)
    if (
        connection is None
        or connection.organization_id != org.organization_id
        or connection.status != "active"
    ):
        raise errors.no_active_scim_connection()
    return connection


def update(
    state: StytchState,
    directory: ScimDirectory | None,
    org: Organization,
    connection: ScimConnection,
    body: dict[str, Any],
) -> ScimConnection:
    display_name = v.optional_str(body, "display_name")
    identity_provider = _identity_provider(body)
    assignments = None
    raw = body.get("scim_group_implicit_role_assignments")
    if raw is not None:
        if not isinstance(raw, list):
            raise errors.invalid_argument(
                "'scim_group_implicit_role_assignments' must be an array."
            )
        assignments = []
        for item in raw:
            if not isinstance(item, dict):
                raise errors.invalid_argument("Each role assignment must be an object.")
            group_id = item.get("group_id")
            role_id = item.get("role_id")
            if not isinstance(group_id, str) or not group_id:
                raise errors.role_assignment_missing_group_id()
            if not isinstance(role_id, str) or not role_id:
                raise errors.invalid_argument("Each role assignment must contain a role_id.")
            if role_id == rbac.STYTCH_MEMBER:
                raise errors.cannot_assign_default_rbac_role_id()
            if not rbac.known_role(role_id, state.custom_roles, org.fields):
                raise errors.invalid_rbac_role_id(role_id)
            group = directory.groups.get(group_id) if directory else None
            if group is None or group.deleted:
                raise errors.role_assignment_group_does_not_exist(group_id)
            assignment = RoleAssignment(role_id, group_id)
            if assignment not in assignments:
                assignments.append(assignment)
    if display_name is not None:
        connection.display_name = display_name
    if identity_provider is not None:
        connection.identity_provider = identity_provider
    if assignments is not None:
        connection.assignments = assignments
    return connection


def delete(state: StytchState, store: Store, connection: ScimConnection) -> str:
    """Deactivate the connection: its tokens stop working and its SCIM data is dropped.
    Members it provisioned stay (without the implicit roles it granted)."""
    connection.status = "deleted"
    connection.next = None
    store.directories.pop(connection.connection_id, None)
    return connection.connection_id


def groups(
    directory: ScimDirectory | None, connection: ScimConnection, cursor: Any, limit: Any
) -> tuple[list[dict[str, str]], str | None]:
    offset, size = v.page(cursor, limit)
    records = sorted(directory.live("Group"), key=lambda r: r.seq) if directory else []
    chunk, next_cursor = v.paginate(records, offset, size)
    items = [models.scim_group(connection, r.id, str(r.data.get("displayName", ""))) for r in chunk]
    return items, next_cursor
