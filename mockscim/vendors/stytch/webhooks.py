"""Stytch's webhook events, emitted through the engine's outbox (:mod:`mockscim.engine.webhooks`).

What Stytch documents (stytch.com/docs/b2b/guides/webhooks, "Overview" and "Payload
structure"; the Svix event catalogue for Stytch, svix.com/event-types/us/
org_2XtyUqbN4SKO3pqtd1Yp5eNLYas):

- the event type is ``source.object_type.action`` in lower case: ``direct.member.create``;
  ``direct`` for API calls, ``scim`` for changes an IdP made over SCIM;
- the payload carries ``project_id``, ``event_id``, ``action`` (``CREATE``/``UPDATE``/
  ``DELETE``), ``object_type``, ``source`` (``DIRECT``/``SCIM``), ``id``, ``timestamp`` (RFC 3339,
  microseconds, ``Z``) and, in the catalogue's current examples, ``"vertical": "B2B"``;
- CREATE and UPDATE also carry the object as the API returns it, under the key named by
  ``object_type``; DELETE carries the envelope only;
- ``event_id`` looks like ``webhook-event-test-<uuid>`` (the catalogue's examples).

SCIM events follow Stytch's "Supported SCIM actions" table (stytch.com/docs/b2b/guides/scim/
actions; the same names in the API reference's SCIM overview): a provisioned user is
``scim.member.create``, an update or a reactivation ``scim.member.update``, a deprovisioning
(``active: false`` or DELETE) ``scim.member.delete`` although the Member stays, deactivated;
groups are ``scim.idp_group.create|update|delete`` and memberships
``scim.idp_group.member_add|member_delete``. What those sources leave open is decided here and
listed in SUPPORTED.md under "decided without evidence".

The body always reconstructs its type: ``{source}.{object_type}.{action}`` lower-cased, the
construction rule of the webhooks guide ("These segments combine to form the event type
identifier"). For the membership events that makes ``action`` ``MEMBER_ADD`` /
``MEMBER_DELETE``: the guide's list of actions (``CREATE``, ``UPDATE`` or ``DELETE``) predates
groups ("Groups support as part of General Availability", SCIM table), and where the guide's
list and its construction rule disagree the rule wins, because a receiver that only has the
body must be able to tell a membership change from a group rename.

A SCIM write that changes nothing about the Member (an identical PUT or PATCH) emits no
``scim.member.update``: the table's "Member Info Updated" row is an update of the Member entity,
and no entity changed.

Every emitter is called inside the store lock, right after the change, so the object in the
payload is exactly what a read at that moment would return.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from mockscim.engine.mock import Mock
from mockscim.engine.tokens import random_uuid
from mockscim.http.context import public_url
from mockscim.scim.directory import ScimRecord, member_ids
from mockscim.vendors.stytch import models
from mockscim.vendors.stytch.state import Member, Organization, ScimConnection, StytchState

DIRECT = "DIRECT"
SCIM = "SCIM"
CREATE = "CREATE"
UPDATE = "UPDATE"
DELETE = "DELETE"
MEMBER_ADD = "MEMBER_ADD"
MEMBER_DELETE = "MEMBER_DELETE"
#: Member statuses that mean "deprovisioned": a move into one of them is a delete event.
INACTIVE = frozenset({"deleted", "deactivated"})

#: Every event type this mock emits (SUPPORTED.md lists them with their sources).
EVENT_TYPES: tuple[str, ...] = (
    "direct.organization.create",
    "direct.organization.update",
    "direct.organization.delete",
    "direct.member.create",
    "direct.member.update",
    "direct.member.delete",
    "direct.scim_connection.create",
    "direct.scim_connection.update",
    "direct.scim_connection.delete",
    "scim.member.create",
    "scim.member.update",
    "scim.member.delete",
    "scim.idp_group.create",
    "scim.idp_group.update",
    "scim.idp_group.delete",
    "scim.idp_group.member_add",
    "scim.idp_group.member_delete",
)


class StytchEvents:
    """Builds Stytch's payloads and hands them to ``mock.webhooks``."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock

    @property
    def state(self) -> StytchState:
        return self.mock.store.vendor("stytch")

    # ------------------------------------------------------------------ envelope
    def _emit(
        self,
        source: str,
        object_type: str,
        action: str,
        object_id: str,
        obj: dict[str, Any] | None = None,
        *,
        extra: dict[str, Any] | None = None,
    ) -> None:
        project_id = self.mock.settings.stytch_project_id
        environment = "live" if "-live-" in project_id else "test"
        now = self.mock.clock.now().astimezone(UTC)
        payload: dict[str, Any] = {
            "project_id": project_id,
            "event_id": f"webhook-event-{environment}-{random_uuid()}",
            "action": action,
            "object_type": object_type,
            "source": source,
            "id": object_id,
            "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "vertical": "B2B",
        }
        if obj is not None and action != DELETE:
            payload[object_type] = obj
        if extra:
            payload.update(extra)
        event_type = f"{source.lower()}.{object_type}.{action.lower()}"
        self.mock.webhooks.emit(event_type, payload)

    # ------------------------------------------------------------------ objects
    def organization(self, action: str, org: Organization) -> None:
        obj = models.organization(org, self.state) if action != DELETE else None
        self._emit(DIRECT, "organization", action, org.organization_id, obj)

    def organization_deleted(self, organization_id: str) -> None:
        self._emit(DIRECT, "organization", DELETE, organization_id)

    def member(self, action: str, member: Member, source: str = DIRECT) -> None:
        obj = None
        if action != DELETE:
            obj = models.member(member, self.state, self.mock.store.directories)
        self._emit(source, "member", action, member.member_id, obj)

    def connection(self, action: str, connection: ScimConnection) -> None:
        obj = None
        if action != DELETE:
            directory = self.mock.store.directories.get(connection.connection_id)
            server = public_url(vendor="stytch")  # as the API renders it
            obj = models.connection(connection, server, directory)
        self._emit(DIRECT, "scim_connection", action, connection.connection_id, obj)

    # ------------------------------------------------------------------ SCIM-driven
    def scim_member_written(
        self, member: Member, status_before: str | None, changed: bool = True
    ) -> None:
        """A SCIM write touched ``member``; ``status_before`` is None when it was created;
        ``changed`` is False when the Member reads exactly as before (no event then)."""
        if not changed:
            return
        if status_before is None:
            self.member(CREATE, member, SCIM)
        elif member.status in INACTIVE and status_before not in INACTIVE:
            self.member(DELETE, member, SCIM)
        else:
            self.member(UPDATE, member, SCIM)

    def scim_member_deleted(self, member: Member, status_before: str) -> None:
        """A SCIM DELETE; an already deprovisioned Member sends no second delete event."""
        if status_before not in INACTIVE:
            self.member(DELETE, member, SCIM)

    def _group(self, connection_id: str, record: ScimRecord) -> dict[str, Any] | None:
        connection = self.state.connections.get(connection_id)
        if connection is None:
            return None
        return models.scim_group(connection, record.id, str(record.data.get("displayName", "")))

    def _member_id(self, connection_id: str, scim_user_id: str) -> str:
        member = self.state.member_by_scim_user(connection_id, scim_user_id)
        return member.member_id if member is not None else scim_user_id

    def scim_group_written(
        self, connection_id: str, record: ScimRecord, created: bool, affected: set[str]
    ) -> None:
        """Create (or, for a write that changed no membership, update) the group, then one
        membership event per member added or removed, in the group's member order."""
        group = self._group(connection_id, record)
        if group is None:
            return
        if created:
            self._emit(SCIM, "idp_group", CREATE, record.id, group)
        elif not affected:
            self._emit(SCIM, "idp_group", UPDATE, record.id, group)
        current = member_ids(record.data)
        added = [uid for uid in current if uid in affected]
        removed = sorted(affected - set(current))
        for uid, action in [(u, MEMBER_ADD) for u in added] + [(u, MEMBER_DELETE) for u in removed]:
            self._emit(
                SCIM,
                "idp_group",
                action,
                record.id,
                group,
                extra={"member_id": self._member_id(connection_id, uid)},
            )

    def scim_group_deleted(self, connection_id: str, record: ScimRecord) -> None:
        self._emit(SCIM, "idp_group", DELETE, record.id)
