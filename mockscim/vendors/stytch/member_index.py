"""Stytch members by id, with the lookups SCIM provisioning makes on every write indexed:
(organization, lower-cased email), (SCIM connection, SCIM user id) and (organization,
lower-cased retired email).

Without them every ``POST /Users`` scanned all members twice, so provisioning a directory was
quadratic (13 ms per user at 7,000 members). The index follows the dict's own writes and the
member fields it keys on (``Member.__setattr__`` reports changes of ``organization_id``,
``email_address`` and ``scim`` to the dict holding the member).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Member fields the index keys on.
INDEXED_FIELDS = frozenset({"organization_id", "email_address", "scim", "retired_emails"})
OWNER = "_index_owner"


class MemberIndex(dict):  # type: ignore[type-arg]
    def __init__(self, items: Iterable[tuple[str, Any]] | dict[str, Any] = ()) -> None:
        super().__init__()
        self.by_email: dict[tuple[str, str], dict[str, None]] = {}
        self.by_scim: dict[tuple[str, str], dict[str, None]] = {}
        self.by_retired: dict[tuple[str, str], dict[str, None]] = {}
        for key, member in dict(items).items():
            self[key] = member

    # ------------------------------------------------------------------ keys
    @staticmethod
    def _email_key(member: Any) -> tuple[str, str]:
        return (member.organization_id, (member.email_address or "").lower())

    @staticmethod
    def _scim_key(member: Any) -> tuple[str, str] | None:
        link = member.scim
        return (link.connection_id, link.scim_user_id) if link is not None else None

    @staticmethod
    def _retired_keys(member: Any) -> list[tuple[str, str]]:
        return [
            (member.organization_id, str(r.get("email_address", "")).lower())
            for r in member.__dict__.get("retired_emails") or []
        ]

    def index(self, member: Any) -> None:
        self.by_email.setdefault(self._email_key(member), {})[member.member_id] = None
        key = self._scim_key(member)
        if key is not None:
            self.by_scim.setdefault(key, {})[member.member_id] = None
        for retired in self._retired_keys(member):
            self.by_retired.setdefault(retired, {})[member.member_id] = None

    def unindex(self, member: Any) -> None:
        pairs = [
            (self.by_email, self._email_key(member)),
            (self.by_scim, self._scim_key(member)),
        ] + [(self.by_retired, key) for key in self._retired_keys(member)]
        for table, key in pairs:
            ids = table.get(key) if key is not None else None
            if ids is not None:
                ids.pop(member.member_id, None)
                if not ids:
                    del table[key]

    # ------------------------------------------------------------------ lookups
    def first(self, table: dict[tuple[str, str], dict[str, None]], key: tuple[str, str]) -> Any:
        for member_id in table.get(key, ()):
            member = self.get(member_id)
            if member is not None:
                return member
        return None

    def by_email_address(self, organization_id: str, email: str) -> Any:
        return self.first(self.by_email, (organization_id, email.lower()))

    def all_by_email_address(self, organization_id: str, email: str) -> list[Any]:
        """Every member of the organization with this email (live and deleted ones)."""
        ids = self.by_email.get((organization_id, email.lower()), ())
        return [m for m in (self.get(i) for i in ids) if m is not None]

    def by_scim_user(self, connection_id: str, scim_user_id: str) -> Any:
        return self.first(self.by_scim, (connection_id, scim_user_id))

    def all_by_retired_email(self, organization_id: str, email: str) -> list[Any]:
        """Every member of the organization that has retired this email (assign a new list to
        ``Member.retired_emails`` to change it: the index sees assignments, not appends)."""
        ids = self.by_retired.get((organization_id, email.lower()), ())
        return [m for m in (self.get(i) for i in ids) if m is not None]

    # ------------------------------------------------------------------ dict writes
    def __setitem__(self, key: str, member: Any) -> None:
        old = self.get(key)
        if old is not None:
            self.unindex(old)
            old.__dict__.pop(OWNER, None)
        super().__setitem__(key, member)
        member.__dict__[OWNER] = self
        self.index(member)

    def __delitem__(self, key: str) -> None:
        member = self[key]
        self.unindex(member)
        member.__dict__.pop(OWNER, None)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            member = self[key]
            del self[key]
            return member
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        key = next(reversed(self))
        return key, self.pop(key)

    def clear(self) -> None:
        for member in self.values():
            member.__dict__.pop(OWNER, None)
        super().clear()
        self.by_email.clear()
        self.by_scim.clear()
        self.by_retired.clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, member in dict(*args, **kwargs).items():
            self[key] = member

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def __reduce__(self) -> Any:  # copies and pickles are plain members-by-id dicts
        return (MemberIndex, (dict(self),))


def member_setattr(member: Any, name: str, value: Any) -> None:
    """``Member.__setattr__``: keep the owning index in step with indexed fields."""
    owner = member.__dict__.get(OWNER) if name in INDEXED_FIELDS else None
    if owner is None:
        object.__setattr__(member, name, value)
        return
    owner.unindex(member)
    object.__setattr__(member, name, value)
    owner.index(member)
