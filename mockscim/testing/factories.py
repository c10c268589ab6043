"""Seedable builders for realistic identity data: SCIM users and groups, and scenario entries
for Stytch and SSOReady organizations (see fixtures/README.md for the scenario format).

Everything draws from one seeded Faker (with :class:`MockscimProvider`), so the same seed
gives byte-identical output on every machine::

    f = Factory(seed=7)
    users = f.scim_users("acme.test", 5)          # managers link to earlier users
    groups = f.scim_groups(users, 2)              # members refer to users by userName
    scenario = generate_scenario(seed=7, users=50, groups=5)  # 50 users, 5 groups in all

Users and group members refer to each other by ``userName`` (a scenario is written before
any id exists); the scenario loader swaps in the SCIM ids.
"""

from __future__ import annotations

import json
import re
import string
import uuid
from collections.abc import Callable
from typing import Any

from faker import Faker

from mockscim.testing.fakerprovider import MockscimProvider

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCENARIO_FORMAT = 1


def make_faker(seed: int | None = 0) -> Faker:
    fake = Faker()
    fake.add_provider(MockscimProvider)
    fake.seed_instance(seed or 0)
    return fake


class Factory:
    """One seeded source of users, groups and organizations; remembers names it handed out
    so ``userName``s, slugs and group names stay unique within it."""

    def __init__(
        self, seed: int | None = 0, *, on_user: Callable[[int], None] | None = None
    ) -> None:
        self.seed = seed or 0
        #: Called with the number of users made so far, after each one (progress reports).
        self.on_user = on_user
        self.fake = make_faker(self.seed)
        self._rnd = self.fake.random
        self._user_names: set[str] = set()
        self._slugs: set[str] = set()
        self._group_names: set[str] = set()
        self._serial = 0

    # ------------------------------------------------------------------ SCIM
    def scim_user(
        self,
        domain: str = "example.test",
        *,
        manager: str | None = None,
        active: bool = True,
        idp: str = "okta",
        organization: str | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        """A SCIM User (no ``id``): name, work email on ``domain``, title, enterprise extension
        with employee number, department and ``manager`` (a ``userName``) when given."""
        person = self.fake.mockscim_person()
        local = self.fake.mockscim_email_local(person["given_name"], person["family_name"])
        user_name = f"{local}@{domain}"
        n = 2
        while user_name.lower() in self._user_names:
            user_name = f"{local}{n}@{domain}"
            n += 1
        self._user_names.add(user_name.lower())
        self._serial += 1
        if self.on_user is not None:
            self.on_user(self._serial)
        given, family = person["given_name"], person["family_name"]
        enterprise: dict[str, Any] = {
            "employeeNumber": str(10000 + self._serial),
            "department": person["department"],
            "costCenter": f"CC-{100 + self._rnd.randrange(900)}",
        }
        if organization:
            enterprise["organization"] = organization
        if manager:
            enterprise["manager"] = {"value": manager}
        user: dict[str, Any] = {
            "schemas": [USER_SCHEMA, ENTERPRISE],
            "userName": user_name,
            "externalId": self.fake.mockscim_external_id(idp),
            "name": {"givenName": given, "familyName": family, "formatted": f"{given} {family}"},
            "displayName": f"{given} {family}",
            "emails": [{"value": user_name, "type": "work", "primary": True}],
            "title": person["title"],
            "active": active,
            "addresses": [{"type": "work", "locality": person["city"], "primary": True}],
            ENTERPRISE: enterprise,
        }
        user.update(overrides)
        return user

    def scim_users(
        self, domain: str, count: int, *, inactive: int = 0, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """``count`` users; the first has no manager, each later one reports to an earlier
        one; the last ``inactive`` are ``active: false``."""
        users: list[dict[str, Any]] = []
        for i in range(count):
            manager = None
            if users:
                # Managers come from the first fifth, so the tree is shallow and realistic.
                pool = users[: max(1, len(users) // 5)]
                manager = pool[self._rnd.randrange(len(pool))]["userName"]
            active = i < count - inactive
            users.append(self.scim_user(domain, manager=manager, active=active, **kwargs))
        return users

    def scim_group(
        self, display_name: str | None = None, members: list[str] | None = None, **overrides: Any
    ) -> dict[str, Any]:
        """A SCIM Group (no ``id``) whose ``members`` name users by ``userName``."""
        name = display_name or self._unique_group_name()
        group: dict[str, Any] = {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "externalId": self.fake.mockscim_external_id("entra"),
            "members": [{"value": m} for m in members or []],
        }
        group.update(overrides)
        return group

    def scim_groups(
        self, users: list[dict[str, Any]], count: int, *, max_members: int | None = None
    ) -> list[dict[str, Any]]:
        """``count`` groups: one per department first (its people), then random subsets."""
        groups: list[dict[str, Any]] = []
        names = [u["userName"] for u in users]
        by_department: dict[str, list[str]] = {}
        for user in users:
            dept = user.get(ENTERPRISE, {}).get("department", "Staff")
            by_department.setdefault(dept, []).append(user["userName"])
        for dept in sorted(by_department):
            if len(groups) >= count:
                break
            self._group_names.add(dept)
            groups.append(self.scim_group(dept, by_department[dept][:max_members]))
        while len(groups) < count:
            size = self._rnd.randrange(len(names) + 1) if names else 0
            if max_members is not None:
                size = min(size, max_members)
            picked = sorted(self._rnd.sample(range(len(names)), size))
            groups.append(self.scim_group(None, [names[i] for i in picked]))
        return groups

    def _unique_group_name(self) -> str:
        base = self.fake.mockscim_group_name()
        name, n = base, 2
        while name in self._group_names:
            name = f"{base} {n}"
            n += 1
        self._group_names.add(name)
        return name

    # ------------------------------------------------------------------ orgs
    def company(self, name: str | None = None) -> dict[str, str]:
        """A company with a unique slug and a ``.test`` domain; from ``name`` when given."""
        if name:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "org"
            company = {"name": name, "slug": slug, "domain": f"{slug.replace('-', '')}.test"}
        else:
            company = self.fake.mockscim_company()
        slug, n = company["slug"], 2
        while slug in self._slugs:
            slug = f"{company['slug']}-{n}"
            n += 1
        self._slugs.add(slug)
        if slug != company["slug"]:
            company = {**company, "slug": slug, "domain": f"{slug.replace('-', '')}.test"}
        return company

    def stytch_token(self) -> str:
        """A 48-character alphanumeric token (Stytch's SCIM token shape), from the seed."""
        alphabet = string.ascii_letters + string.digits
        return "".join(alphabet[self._rnd.randrange(len(alphabet))] for _ in range(48))

    def ssoready_token(self) -> str:
        """A token SSOReady could mint, from the seed: ``ssoready_scim_bearer_token_`` + a
        version-4 UUID in 25 zero-padded base-36 digits (ssoready/ssoready
        ``internal/store/idformat``: ``SCIMBearerToken.Format(uuid.New())``, prettyuuid). So
        its value is below 2**128: 25 arbitrary digits would be >= 2**128 about half the time,
        which SSOReady's own parser treats as an invariant failure (a crash in ``exact``)."""
        alphabet = string.digits + string.ascii_lowercase
        value = uuid.UUID(int=self._rnd.getrandbits(128), version=4).int
        digits = []
        while value:
            value, rem = divmod(value, 36)
            digits.append(alphabet[rem])
        return "ssoready_scim_bearer_token_" + "".join(reversed(digits)).rjust(25, "0")

    def stytch_org(
        self,
        *,
        users: int = 5,
        groups: int = 2,
        idp: str = "okta",
        rotating: bool = False,
        company: dict[str, str] | None = None,
        admins: int = 1,
    ) -> dict[str, Any]:
        """A scenario entry: an organization with members, a SCIM connection and a directory."""
        company = company or self.company()
        people = self.scim_users(company["domain"], users, idp=idp, organization=company["name"])
        connection: dict[str, Any] = {
            "display_name": f"{idp.capitalize()} SCIM",
            "identity_provider": {"okta": "okta", "entra": "microsoft-entra"}.get(idp, "generic"),
            "bearer_token": self.stytch_token(),
        }
        if rotating:
            connection["next_bearer_token"] = self.stytch_token()
        org_admins = [
            {
                "email_address": f"admin{i + 1}@{company['domain']}",
                "name": f"Admin {i + 1}",
                "roles": ["stytch_admin"],
            }
            for i in range(admins)
        ]
        return {
            "key": company["slug"],
            "organization": {
                "organization_name": company["name"],
                "organization_slug": company["slug"],
                "email_allowed_domains": [company["domain"]],
            },
            "members": org_admins,
            "scim_connection": connection,
            "directory": {"users": people, "groups": self.scim_groups(people, groups)},
        }

    def ssoready_org(
        self,
        *,
        users: int = 5,
        groups: int = 2,
        idp: str = "entra",
        token: bool = True,
        company: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A scenario entry: an organization with its domain and one primary SCIM directory
        (with users and groups when it has a token; a directory without one stays empty)."""
        company = company or self.company()
        directory: dict[str, Any] = {"primary": True}
        if token:
            people = self.scim_users(
                company["domain"], users, idp=idp, organization=company["name"]
            )
            directory["bearer_token"] = self.ssoready_token()
            directory["directory"] = {"users": people, "groups": self.scim_groups(people, groups)}
        else:
            directory["bearer_token"] = None
        return {
            "key": company["slug"],
            "organization": {
                "externalId": company["slug"],
                "displayName": company["name"],
                "domains": [company["domain"]],
            },
            "scim_directories": [directory],
        }


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` (the first ones get the remainder): 5 over 2 is [3, 2]."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


#: Called with (users generated so far, users in total) while a scenario is generated.
Progress = Callable[[int, int], None]


def generate_scenario(
    seed: int = 0,
    users: int = 20,
    groups: int = 4,
    *,
    stytch_orgs: int = 1,
    ssoready_orgs: int = 1,
    name: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """A whole scenario holding ``users`` users and ``groups`` groups **in total**, spread
    evenly over the organizations (Stytch ones first)."""
    factory = Factory(seed, on_user=(lambda n: progress(n, users)) if progress else None)
    orgs = stytch_orgs + ssoready_orgs
    user_counts = split_evenly(users, orgs)
    group_counts = split_evenly(groups, orgs)

    def org(make: Callable[..., dict[str, Any]], i: int) -> dict[str, Any]:
        return make(users=user_counts[i], groups=group_counts[i])

    return {
        "mockscim_scenario": SCENARIO_FORMAT,
        "name": name or f"generated-seed{seed}",
        "description": (
            f"Generated by `mockscim scenario generate --seed {seed} --users {users} "
            f"--groups {groups}`: {stytch_orgs} Stytch and {ssoready_orgs} SSOReady "
            f"organization(s), {users} users and {groups} groups in all."
        ),
        "seed": seed,
        "stytch": {"organizations": [org(factory.stytch_org, i) for i in range(stytch_orgs)]},
        "ssoready": {
            "organizations": [
                org(factory.ssoready_org, stytch_orgs + i) for i in range(ssoready_orgs)
            ]
        },
    }


def dumps(scenario: dict[str, Any]) -> str:
    """Canonical text of a scenario: stable key order and indentation, trailing newline."""
    return json.dumps(scenario, indent=2, ensure_ascii=False) + "\n"
