"""The vendor-neutral part of the scenario format and the checks vendors build theirs from.

A scenario is ``{"mockscim_scenario": 1, "name", "description", "seed", <vendor>: {...}}``;
each vendor validates its own section (:meth:`mockscim.vendors.base.Vendor.validate_scenario`)
with the helpers here, so every error names the exact place (``stytch.organizations[0]...``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockscim.engine.mock import SCENARIO_KEY

FORMAT = 1
FORMAT_KEY = SCENARIO_KEY
COMMON_KEYS = frozenset({FORMAT_KEY, "name", "description", "seed"})
DIRECTORY_KEYS = {"users", "groups"}
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class ScenarioError(ValueError):
    """The scenario is malformed or a vendor refused part of it; nothing was applied."""


def obj(value: Any, where: str, keys: set[str] | frozenset[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where} must be an object")
    if keys is not None:
        unknown = set(value) - keys
        if unknown:
            raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return value


def items(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioError(f"{where} must be a list")
    return value


def token(value: Any, where: str) -> None:
    if value is not None and (not isinstance(value, str) or len(value) < 8 or " " in value):
        raise ScenarioError(f"{where} must be a string of at least 8 characters without spaces")


def directory(raw: Any, where: str) -> None:
    """Users (``userName`` required; managers refer to earlier users) and groups (members
    refer to users of the same directory by ``userName``)."""
    found = obj(raw or {}, where, DIRECTORY_KEYS)
    names: set[str] = set()
    for i, user in enumerate(items(found.get("users"), f"{where}.users")):
        obj(user, f"{where}.users[{i}]")
        name = user.get("userName")
        if not isinstance(name, str) or not name:
            raise ScenarioError(f"{where}.users[{i}] needs a userName")
        manager = (user.get(ENTERPRISE) or {}).get("manager")
        if manager is not None:
            ref = manager.get("value") if isinstance(manager, dict) else None
            if not isinstance(ref, str) or ref.lower() not in names:
                raise ScenarioError(
                    f'{where}.users[{i}]: manager must be {{"value": <userName of an '
                    "earlier user>}"
                )
        names.add(name.lower())
    for i, group in enumerate(items(found.get("groups"), f"{where}.groups")):
        obj(group, f"{where}.groups[{i}]")
        if not isinstance(group.get("displayName"), str):
            raise ScenarioError(f"{where}.groups[{i}] needs a displayName")
        for member in items(group.get("members"), f"{where}.groups[{i}].members"):
            ref = member.get("value") if isinstance(member, dict) else None
            if not isinstance(ref, str) or ref.lower() not in names:
                raise ScenarioError(
                    f'{where}.groups[{i}].members: {member!r} is not {{"value": <userName>}} '
                    "of a user in this directory"
                )


def validate(raw: Any, vendors: Mapping[str, Any]) -> dict[str, Any]:
    """Check the common keys here and each vendor's section with that vendor."""
    scenario = obj(raw, "scenario", COMMON_KEYS | set(vendors))
    if scenario.get(FORMAT_KEY) != FORMAT:
        raise ScenarioError(f"'{FORMAT_KEY}' must be {FORMAT}")
    for name, vendor in vendors.items():
        section = obj(scenario.get(name) or {}, name, vendor.scenario_keys)
        vendor.validate_scenario(section)
    return scenario
