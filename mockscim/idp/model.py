"""The directory an IdP wants to provision: users, groups and memberships, keyed by stable keys.

A key is what the IdP itself uses to recognise a person or a group across runs (Okta's user
id, Entra's object id); it never changes when a name or an email does, so a rename is an
update and not a delete plus a create. Memberships are user keys inside each group.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DesiredUser:
    key: str
    user_name: str
    given_name: str = ""
    family_name: str = ""
    email: str | None = None
    display_name: str | None = None
    active: bool = True
    title: str | None = None
    department: str | None = None
    employee_number: str | None = None
    #: Key of this user's manager in the same directory.
    manager: str | None = None

    @property
    def primary_email(self) -> str:
        return self.email or self.user_name

    @property
    def shown_name(self) -> str:
        if self.display_name:
            return self.display_name
        return " ".join(p for p in (self.given_name, self.family_name) if p) or self.user_name

    def changed(self, **changes: Any) -> DesiredUser:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> DesiredUser:
        """Accept this model's own keys, or a SCIM User resource (keyed by externalId)."""
        if "user_name" in raw:
            return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})
        user_name = raw.get("userName")
        if not isinstance(user_name, str) or not user_name:
            raise ValueError(f"user without userName: {dict(raw)!r}")
        name = raw.get("name") if isinstance(raw.get("name"), dict) else {}
        emails = [e for e in raw.get("emails") or [] if isinstance(e, dict) and e.get("value")]
        primary = [e for e in emails if e.get("primary")] or emails
        enterprise = raw.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") or {}
        manager = enterprise.get("manager")
        if isinstance(manager, dict):
            manager = manager.get("value")
        return cls(
            key=str(raw.get("externalId") or raw.get("key") or user_name),
            user_name=user_name,
            given_name=name.get("givenName") or "",
            family_name=name.get("familyName") or "",
            email=primary[0]["value"] if primary else None,
            display_name=raw.get("displayName"),
            active=raw.get("active", True) is not False,
            title=raw.get("title"),
            department=enterprise.get("department"),
            employee_number=enterprise.get("employeeNumber"),
            manager=manager,
        )


@dataclass(frozen=True)
class DesiredGroup:
    key: str
    display_name: str
    #: User keys.
    members: tuple[str, ...] = ()

    def changed(self, **changes: Any) -> DesiredGroup:
        if "members" in changes:
            changes["members"] = tuple(changes["members"])
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "display_name": self.display_name, "members": list(self.members)}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], user_keys: Mapping[str, str]) -> DesiredGroup:
        """Members may name users by key or by userName (``user_keys`` maps userName -> key)."""
        name = raw.get("display_name") or raw.get("displayName")
        if not isinstance(name, str) or not name:
            raise ValueError(f"group without a display name: {dict(raw)!r}")
        members = []
        for m in raw.get("members") or []:
            ref = m.get("value") if isinstance(m, dict) else m
            members.append(user_keys.get(str(ref).lower(), str(ref)))
        return cls(
            key=str(raw.get("key") or raw.get("externalId") or name),
            display_name=name,
            members=tuple(members),
        )


@dataclass
class Directory:
    """The whole desired state; dict order is push order."""

    users: dict[str, DesiredUser] = field(default_factory=dict)
    groups: dict[str, DesiredGroup] = field(default_factory=dict)

    @classmethod
    def of(
        cls, users: Iterable[DesiredUser] = (), groups: Iterable[DesiredGroup] = ()
    ) -> Directory:
        directory = cls()
        for u in users:
            directory.put_user(u)
        for g in groups:
            directory.put_group(g)
        return directory

    def put_user(self, user: DesiredUser) -> None:
        self.users[user.key] = user

    def put_group(self, group: DesiredGroup) -> None:
        self.groups[group.key] = group

    def copy(self) -> Directory:
        return Directory(dict(self.users), dict(self.groups))

    def to_json(self) -> dict[str, Any]:
        return {
            "users": [u.to_json() for u in self.users.values()],
            "groups": [g.to_json() for g in self.groups.values()],
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Directory:
        """Read ``{"users": [...], "groups": [...]}``; a mockscim scenario's SCIM section works.

        Users are this model's JSON or SCIM User resources; group members name users by key
        or userName.
        """
        if not isinstance(raw, Mapping):
            raise ValueError("a directory file holds a JSON object")
        if "mockscim_scenario" in raw:
            return cls.from_scenario(raw)
        raw_users = raw.get("users")
        raw_groups = raw.get("groups")
        if raw_users is None and isinstance(raw.get("scim"), Mapping):
            return cls.from_json(raw["scim"])
        users = [DesiredUser.from_json(u) for u in raw_users or []]
        by_name = {u.user_name.lower(): u.key for u in users}
        # A manager may be named by userName (the scenario format's habit): use its key.
        users = [
            u.changed(manager=by_name.get(u.manager.lower(), u.manager)) if u.manager else u
            for u in users
        ]
        groups = [DesiredGroup.from_json(g, by_name) for g in raw_groups or []]
        return cls.of(users, groups)

    @classmethod
    def from_scenario(cls, raw: Mapping[str, Any], org_key: str | None = None) -> Directory:
        """The SCIM directory of one organization in a mockscim scenario file.

        ``org_key`` picks the organization by its ``key`` (Stytch organizations first, then
        SSOReady); without it, the first organization that has a directory.
        """
        found: list[tuple[str | None, Mapping[str, Any]]] = []
        for org in (raw.get("stytch") or {}).get("organizations") or []:
            if org.get("directory"):
                found.append((org.get("key"), org["directory"]))
        for org in (raw.get("ssoready") or {}).get("organizations") or []:
            for item in org.get("scim_directories") or []:
                if item.get("directory"):
                    found.append((org.get("key"), item["directory"]))
        for key, directory in found:
            if org_key is None or key == org_key:
                return cls.from_json(directory)
        wanted = f"organization {org_key!r}" if org_key else "any organization"
        raise ValueError(f"the scenario has no SCIM directory for {wanted}")

    @classmethod
    def load(cls, path: str | Path, org_key: str | None = None) -> Directory:
        raw = json.loads(Path(path).read_text())
        if org_key is not None:
            return cls.from_scenario(raw, org_key)
        return cls.from_json(raw)


def generate_directory(
    *, seed: int, users: int, groups: int, domain: str = "example.com"
) -> Directory:
    """A deterministic directory from faker: same seed, same people, same groups.

    Every userName is ``first.last@domain`` so vendors with a domain rule (SSOReady) accept
    them; each user joins one to three groups.
    """
    from faker import Faker

    fake = Faker()
    fake.seed_instance(seed)
    directory = Directory()
    taken: set[str] = set()
    departments = ["Engineering", "Sales", "Support", "Finance", "Marketing", "Legal"]
    for i in range(users):
        given, family = fake.first_name(), fake.last_name()
        local = f"{given}.{family}".lower().replace("'", "").replace(" ", "")
        user_name = f"{local}@{domain}"
        n = 2
        while user_name in taken:
            user_name = f"{local}{n}@{domain}"
            n += 1
        taken.add(user_name)
        key = f"u{seed}-{i:05d}"
        directory.put_user(
            DesiredUser(
                key=key,
                user_name=user_name,
                given_name=given,
                family_name=family,
                title=fake.job()[:60],
                department=departments[fake.random_int(0, len(departments) - 1)],
                employee_number=str(fake.random_int(10000, 99999)),
            )
        )
    keys = list(directory.users)
    names: set[str] = set()
    for j in range(groups):
        name = f"{fake.word().capitalize()} {departments[j % len(departments)]}"
        while name in names:
            name = f"{name} {j}"
        names.add(name)
        members: list[str] = []
        if keys:
            size = fake.random_int(min(1, len(keys)), max(1, min(len(keys), 3 + len(keys) // 4)))
            members = sorted(fake.random_sample(keys, length=size))
        directory.put_group(
            DesiredGroup(key=f"g{seed}-{j:04d}", display_name=name, members=tuple(members))
        )
    return directory
