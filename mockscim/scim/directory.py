"""One SCIM directory: its users and groups, their indexes, and every write to them.

A Stytch SCIM connection and an SSOReady SCIM directory are each one :class:`ScimDirectory`.
Callers hold the store lock around every method here; the methods keep the indexes and the
group-membership reverse map consistent with the records, and validate everything before the
first mutation, so a failed request never leaves a half-applied change.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockscim.engine.clock import parse_instant
from mockscim.engine.redaction import REDACTED
from mockscim.scim import errors
from mockscim.scim.filter import Filter
from mockscim.scim.patch import apply_patch
from mockscim.scim.policy import ScimPolicy
from mockscim.scim.schemas import GROUP_TYPE, USER_TYPE, ResourceType
from mockscim.scim.validate import normalize_resource

_SEQ = itertools.count()


@dataclass(slots=True)
class ScimRecord:
    """A stored User or Group. ``data`` is SCIM JSON minus ``id`` and ``meta``."""

    id: str
    data: dict[str, Any]
    created: datetime
    modified: datetime
    version: int = 1
    deleted: bool = False
    seq: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "data": without_password(self.data),
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "version": self.version,
            "deleted": self.deleted,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ScimRecord:
        return cls(
            id=raw["id"],
            data=raw["data"],
            created=parse_instant(raw["created"]),
            modified=parse_instant(raw["modified"]),
            version=int(raw.get("version", 1)),
            deleted=bool(raw.get("deleted", False)),
            seq=next(_SEQ),
        )


class IdIndex:
    """key -> ids. Most keys (a userName, an externalId) map to one id, stored as a plain
    string; a set only appears for shared keys. At 100k users this saves ~70 MB of sets."""

    __slots__ = ("_map",)

    def __init__(self) -> None:
        self._map: dict[str, str | set[str]] = {}

    def add(self, key: str | None, rid: str) -> None:
        if key is None:
            return
        current = self._map.get(key)
        if current is None:
            self._map[key] = rid
        elif isinstance(current, str):
            if current != rid:
                self._map[key] = {current, rid}
        else:
            current.add(rid)

    def discard(self, key: str | None, rid: str) -> None:
        if key is None:
            return
        current = self._map.get(key)
        if current is None:
            return
        if isinstance(current, str):
            if current == rid:
                del self._map[key]
            return
        current.discard(rid)
        if len(current) == 1:
            self._map[key] = next(iter(current))
        elif not current:
            del self._map[key]

    def get(self, key: str) -> tuple[str, ...] | set[str]:
        current = self._map.get(key)
        if current is None:
            return ()
        return (current,) if isinstance(current, str) else current

    def as_dict(self) -> dict[str, set[str]]:
        return {k: {v} if isinstance(v, str) else set(v) for k, v in self._map.items()}


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_RECORD_FIELDS = operator.attrgetter("id", "data", "created", "modified", "version", "deleted")


def without_password(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` for a snapshot: a stored ``password`` (SSOReady ``exact`` keeps attributes as
    sent, password included) becomes the marker ``[redacted]``, so no snapshot or state file
    holds a plaintext password. A restored snapshot serves that marker back."""
    if not any(k.lower() == "password" for k in data):
        return data
    return {k: REDACTED if k.lower() == "password" and v else v for k, v in data.items()}


def _record_json(fields: tuple[Any, ...]) -> dict[str, Any]:
    """A captured record (see :meth:`ScimDirectory.capture`) as ``ScimRecord.to_json``."""
    record_id, data, created, modified, version, deleted = fields
    return {
        "id": record_id,
        "data": without_password(data),
        "created": created.isoformat(),
        "modified": modified.isoformat(),
        "version": version,
        "deleted": deleted,
    }


class ScimDirectory:
    """Users and groups of one tenant's SCIM server, with the indexes the IdPs' lookups need."""

    def __init__(self, directory_id: str, vendor: str = "generic") -> None:
        self.id = directory_id
        self.vendor = vendor
        self.users: dict[str, ScimRecord] = {}
        self.groups: dict[str, ScimRecord] = {}
        # lowercased userName -> ids (live and tombstoned; at most one live)
        self.users_by_name = IdIndex()
        self.users_by_external = IdIndex()
        # lowercased displayName -> ids
        self.groups_by_name = IdIndex()
        self.groups_by_external = IdIndex()
        # user or group id -> ids of the groups it is a direct member of
        self.member_of = IdIndex()

    # ------------------------------------------------------------------ indexes
    def _index(self, kind: str, record: ScimRecord) -> None:
        data = record.data
        if kind == "User":
            self.users_by_name.add(_lower(data.get("userName")), record.id)
            self.users_by_external.add(_text(data.get("externalId")), record.id)
        else:
            self.groups_by_name.add(_lower(data.get("displayName")), record.id)
            self.groups_by_external.add(_text(data.get("externalId")), record.id)
            for member in member_ids(data):
                self.member_of.add(member, record.id)

    def _unindex(self, kind: str, record: ScimRecord) -> None:
        data = record.data
        if kind == "User":
            self.users_by_name.discard(_lower(data.get("userName")), record.id)
            self.users_by_external.discard(_text(data.get("externalId")), record.id)
        else:
            self.groups_by_name.discard(_lower(data.get("displayName")), record.id)
            self.groups_by_external.discard(_text(data.get("externalId")), record.id)
            for member in member_ids(data):
                self.member_of.discard(member, record.id)

    def _records(self, kind: str) -> dict[str, ScimRecord]:
        return self.users if kind == "User" else self.groups

    # ------------------------------------------------------------------ reads
    def get(self, kind: str, rid: str, *, include_deleted: bool = False) -> ScimRecord:
        record = self._records(kind).get(rid)
        if record is None or (record.deleted and not include_deleted):
            raise errors.not_found(f"{kind} {rid} not found.")
        return record

    def size(self, kind: str) -> int:
        """How many records of ``kind`` are stored (tombstones included)."""
        return len(self._records(kind))

    def live(self, kind: str) -> Iterable[ScimRecord]:
        return (r for r in self._records(kind).values() if not r.deleted)

    def find_user_by_name(
        self, user_name: str, *, include_deleted: bool = False
    ) -> ScimRecord | None:
        for rid in self.users_by_name.get(user_name.lower()):
            record = self.users[rid]
            if include_deleted or not record.deleted:
                return record
        return None

    def groups_of(self, rid: str) -> list[ScimRecord]:
        return [self.groups[g] for g in self.member_of.get(rid) if not self.groups[g].deleted]

    def candidates(self, kind: str, flt: Filter | None) -> list[ScimRecord] | None:
        """Records an indexed ``attr eq "v"`` term narrows the search to, or None to scan."""
        if flt is None:
            return None
        records = self._records(kind)
        for path, value in flt.equality_terms():
            if path.is_extension or path.sub_name is not None or not isinstance(value, str):
                continue
            name = path.name
            if name == "id":
                record = records.get(value)
                return [record] if record is not None else []
            if kind == "User" and name == "userName":
                ids = self.users_by_name.get(value.lower())
            elif kind == "Group" and name == "displayName":
                ids = self.groups_by_name.get(value.lower())
            elif name == "externalId":
                index = self.users_by_external if kind == "User" else self.groups_by_external
                ids = index.get(value)
            else:
                continue
            return sorted((records[i] for i in ids), key=lambda r: r.seq)
        return None

    # ------------------------------------------------------------------ writes
    def _check_members(self, data: dict[str, Any], group_id: str | None) -> None:
        for member in member_ids(data):
            if member == group_id:
                raise errors.invalid_value("A group cannot be a member of itself.")
            record = self.users.get(member) or self.groups.get(member)
            if record is None or record.deleted:
                raise errors.invalid_value(f"Member '{member}' does not exist in this directory.")

    def _check_unique(
        self, kind: str, data: dict[str, Any], rid: str | None, policy: ScimPolicy
    ) -> None:
        if kind == "User":
            clash = self.find_user_by_name(data["userName"])
            if clash is not None and clash.id != rid:
                raise errors.uniqueness(f"userName '{data['userName']}' is already in use.")
        elif policy.unique_group_names:
            for gid in self.groups_by_name.get(data["displayName"].lower()):
                if gid != rid and not self.groups[gid].deleted:
                    raise errors.uniqueness(
                        f"displayName '{data['displayName']}' is already in use."
                    )

    def _prepare(self, kind: str, body: Any, rid: str | None, policy: ScimPolicy) -> dict[str, Any]:
        resource_type = USER_TYPE if kind == "User" else GROUP_TYPE
        data = normalize_resource(body, resource_type)
        if kind == "User":
            policy.check_user_write(self, data, rid)
        else:
            raw = body.get("members") if isinstance(body, dict) else None
            raw_items = raw if isinstance(raw, list) else []
            if not all(isinstance(m, dict) for m in raw_items) or not all(
                isinstance(m, dict) and isinstance(m.get("value"), str)
                for m in data.get("members") or []
            ):
                raise errors.invalid_value(
                    "Each member must be an object carrying its id in 'value'."
                )
            self._check_members(data, rid)
            policy.check_group(self, data)
        return data

    def create(
        self, kind: str, body: Any, now: datetime, policy: ScimPolicy
    ) -> tuple[ScimRecord, bool]:
        """POST. Returns the record and whether it was newly created (False for an upsert)."""
        data = self._prepare(kind, body, None, policy)
        if kind == "User" and policy.upsert_on_username:
            existing = self.find_user_by_name(data["userName"], include_deleted=True)
            if existing is not None:
                return self._store(kind, existing, data, now, policy, revive=True), False
        self._check_unique(kind, data, None, policy)
        record = ScimRecord(policy.new_id(kind), data, now, now, seq=next(_SEQ))
        self._records(kind)[record.id] = record
        self._index(kind, record)
        self._after_write(kind, record, None, policy, created=True)
        return record, True

    def replace(
        self, kind: str, rid: str, body: Any, now: datetime, policy: ScimPolicy
    ) -> ScimRecord:
        """PUT: the body replaces every writable attribute."""
        record = self.get(kind, rid)
        data = self._prepare(kind, body, rid, policy)
        return self._store(kind, record, data, now, policy)

    def patch(
        self, kind: str, rid: str, body: Any, now: datetime, policy: ScimPolicy
    ) -> ScimRecord:
        record = self.get(kind, rid)
        resource_type = USER_TYPE if kind == "User" else GROUP_TYPE
        patched = apply_patch(record.data, body, resource_type, resource_id=rid)
        data = self._prepare(kind, patched, rid, policy)
        return self._store(kind, record, data, now, policy)

    def _store(
        self,
        kind: str,
        record: ScimRecord,
        data: dict[str, Any],
        now: datetime,
        policy: ScimPolicy,
        *,
        revive: bool = False,
    ) -> ScimRecord:
        self._check_unique(kind, data, record.id, policy)
        before = record.data
        self._unindex(kind, record)
        record.data = data
        record.modified = now
        record.version += 1
        if revive:
            record.deleted = False
        self._index(kind, record)
        self._after_write(kind, record, before, policy, created=False)
        return record

    def _after_write(
        self,
        kind: str,
        record: ScimRecord,
        before: dict[str, Any] | None,
        policy: ScimPolicy,
        *,
        created: bool,
    ) -> None:
        if kind == "User":
            policy.user_written(self, record, created)
        else:
            old = set(member_ids(before)) if before else set()
            new = set(member_ids(record.data))
            policy.group_written(self, record, created, old ^ new)

    def delete(self, kind: str, rid: str, now: datetime, policy: ScimPolicy) -> ScimRecord:
        record = self.get(kind, rid)
        affected: set[str] = set()
        # Drop the resource from every group it belongs to, as RFC 7644 expects of a DELETE.
        for gid in list(self.member_of.get(rid)):
            group = self.groups[gid]
            self._unindex("Group", group)
            group.data = {
                **group.data,
                "members": [m for m in group.data.get("members", []) if m.get("value") != rid],
            }
            group.modified = now
            group.version += 1
            self._index("Group", group)
        if kind == "Group":
            affected = set(member_ids(record.data))
        if policy.soft_delete:
            self._unindex(kind, record)
            if kind == "Group":
                record.data = {**record.data, "members": []}
            record.deleted = True
            record.modified = now
            record.version += 1
            self._index(kind, record)
        else:
            self._unindex(kind, record)
            del self._records(kind)[rid]
        if kind == "User":
            policy.user_deleted(self, record)
        else:
            policy.group_deleted(self, record, affected)
        return record

    # ------------------------------------------------------------------ verbatim writes
    def put_record(
        self, kind: str, rid: str, data: dict[str, Any], now: datetime, *, deleted: bool
    ) -> ScimRecord:
        """Store ``data`` as is under ``rid``, creating the record or replacing its data, and
        keep the indexes in step. For a vendor profile that reproduces a server which stores
        what it is sent: the caller has done every check that server does, and none of the
        RFC 7644 normalisation, uniqueness or membership rules of :meth:`create` apply."""
        record = self._records(kind).get(rid)
        if record is None:
            record = ScimRecord(rid, data, now, now, deleted=deleted, seq=next(_SEQ))
            self._records(kind)[rid] = record
            self._index(kind, record)
            return record
        self._unindex(kind, record)
        record.data = data
        record.deleted = deleted
        record.modified = now
        record.version += 1
        self._index(kind, record)
        return record

    def set_deleted(self, kind: str, rid: str, deleted: bool, now: datetime) -> ScimRecord:
        """Flag a record deleted (or not) without touching its data or memberships."""
        record = self._records(kind)[rid]
        record.deleted = deleted
        record.modified = now
        record.version += 1
        return record

    # ------------------------------------------------------------------ persistence
    def to_json(self) -> dict[str, Any]:
        return self.capture()()

    def capture(self) -> Callable[[], dict[str, Any]]:
        """Take the directory's state now (under the store lock) and build its JSON later,
        outside it: a snapshot of 50k users held the lock for seconds while every record
        became a dict. Capturing is one tuple of references per record, which is consistent
        because records are copy-on-write (writes assign ``data``, ``modified``, ``version``,
        ``deleted``; they never mutate the old ``data``)."""
        users = list(map(_RECORD_FIELDS, self.users.values()))
        groups = list(map(_RECORD_FIELDS, self.groups.values()))
        directory_id, vendor = self.id, self.vendor

        def build() -> dict[str, Any]:
            return {
                "id": directory_id,
                "vendor": vendor,
                "users": [_record_json(fields) for fields in users],
                "groups": [_record_json(fields) for fields in groups],
            }

        return build

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ScimDirectory:
        directory = cls(raw["id"], raw.get("vendor", "generic"))
        for kind, key in (("User", "users"), ("Group", "groups")):
            for item in raw.get(key, []):
                record = ScimRecord.from_json(item)
                directory._records(kind)[record.id] = record
                directory._index(kind, record)
        return directory


def member_ids(data: dict[str, Any] | None) -> list[str]:
    if not data:
        return []
    members = data.get("members") or []
    return [m["value"] for m in members if isinstance(m, dict) and isinstance(m.get("value"), str)]


def resource_type_of(kind: str) -> ResourceType:
    return USER_TYPE if kind == "User" else GROUP_TYPE
