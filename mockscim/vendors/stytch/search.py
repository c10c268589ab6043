"""Organization and member search: Stytch's ``{operator, operands}`` query over the state.

The filters and their error types are Stytch's: the filter tables of the search pages
(stytch.com docs b2b/api/search-organizations and search-members), the browser SDK's
``SearchQueryOperand`` union (stytch-browser ``packages/core/src/public/b2b/organizations.ts``)
and the ``*_search_missing_<filter>`` / ``*_fuzzy_too_short`` entries of Stytch's error-type
catalogue. "All fuzzy search filters require a minimum of three characters." (both search
operations in stytch-openapi).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockscim.scim.directory import ScimDirectory
from mockscim.vendors.stytch import errors, models
from mockscim.vendors.stytch import validation as v
from mockscim.vendors.stytch.organizations import resolve
from mockscim.vendors.stytch.state import MEMBER_PREFIX, Member, Organization, StytchState

STATUSES = ("active", "invited", "pending", "deleted")
FUZZY_MIN = 3


@dataclass(frozen=True)
class Filter:
    """One filter: the JSON type of its value and the suffix of its ``*_missing_*`` error."""

    value: str  # "strings" | "string" | "fuzzy" | "boolean"
    missing: str


ORGANIZATION_FILTERS: dict[str, Filter] = {
    "organization_ids": Filter("strings", "organization_ids"),
    "organization_slugs": Filter("strings", "organization_slugs"),
    "organization_name_fuzzy": Filter("fuzzy", "organization_name_fuzzy"),
    "organization_slug_fuzzy": Filter("fuzzy", "organization_slug_fuzzy"),
    "member_emails": Filter("strings", "member_emails"),
    "member_email_fuzzy": Filter("fuzzy", "member_email_fuzzy"),
    "allowed_domains": Filter("strings", "allowed_domains"),
    "allowed_domain_fuzzy": Filter("fuzzy", "allowed_domain_fuzzy"),
    "claimed_email_domains": Filter("strings", "claimed_email_domains"),
    "has_active_sso_connection": Filter("boolean", "has_active_sso_connection"),
    "sso_connection_id": Filter("string", "sso_connection_id"),
}

MEMBER_FILTERS: dict[str, Filter] = {
    "member_ids": Filter("strings", "member_ids"),
    "member_emails": Filter("strings", "member_emails"),
    "member_email_fuzzy": Filter("fuzzy", "member_email_fuzzy"),
    "member_is_breakglass": Filter("boolean", "is_breakglass"),
    "statuses": Filter("strings", "statuses"),
    "member_mfa_phone_numbers": Filter("strings", "mfa_member_phone_numbers"),
    "member_mfa_phone_number_fuzzy": Filter("fuzzy", "mfa_member_phone_number_fuzzy"),
    "member_password_exists": Filter("boolean", "password_exists"),
    "member_roles": Filter("strings", "member_roles"),
}


def error_types() -> set[str]:
    """Every error type a search can answer with (for the catalogue test)."""
    out = {"member_search_organization_ids_empty", "search_invalid_status_filter"}
    out.add("member_search_cannot_mix_internal_and_external_member_ids")
    for kind, filters in (("organization", ORGANIZATION_FILTERS), ("member", MEMBER_FILTERS)):
        for suffix in (
            "filter_name_not_recognized",
            "filter_name_must_be_string",
            "missing_filter_name",
            "missing_filter_value",
            "expected_array_of_strings",
            "expected_string",
            "expected_boolean",
        ):
            out.add(f"{kind}_search_{suffix}")
        for name, spec in filters.items():
            out.add(f"{kind}_search_missing_{spec.missing}")
            if spec.value == "fuzzy":
                out.add(f"{kind}_search_{name}_too_short")
    return out


def _value(kind: str, name: str, spec: Filter, value: Any) -> Any:
    """The operand's value checked against its filter's type."""
    if value is None:
        raise errors.search_error(kind, f"missing_{spec.missing}", f"{name} needs a filter_value.")
    if spec.value == "strings":
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise errors.search_error(
                kind, "expected_array_of_strings", f"{name} expects an array of strings."
            )
        if not value:
            raise errors.search_error(
                kind, f"missing_{spec.missing}", f"{name} needs at least one value."
            )
        return value
    if spec.value == "boolean":
        if not isinstance(value, bool):
            raise errors.search_error(kind, "expected_boolean", f"{name} expects a boolean.")
        return value
    if not isinstance(value, str):
        raise errors.search_error(kind, "expected_string", f"{name} expects a string.")
    if not value:
        raise errors.search_error(kind, f"missing_{spec.missing}", f"{name} needs a value.")
    if spec.value == "fuzzy" and len(value) < FUZZY_MIN:
        raise errors.fuzzy_too_short(kind, name)
    return value


def _operands(
    body: dict[str, Any], kind: str, filters: dict[str, Filter]
) -> tuple[str, list[tuple[str, Any]]]:
    query = body.get("query")
    if query is None:
        return "AND", []
    if not isinstance(query, dict):
        raise errors.invalid_argument("'query' must be an object.")
    # Both are required: Stytch's openapi.yml (SearchQuery ``required: [operator, operands]``)
    # and stytch-python's SearchQuery model (neither field Optional).
    operator = query.get("operator")
    if operator not in ("AND", "OR"):
        raise errors.search_invalid_operator()
    operands = query.get("operands")
    if not isinstance(operands, list):
        raise errors.invalid_argument("'query.operands' must be an array.")
    out = []
    for operand in operands:
        if not isinstance(operand, dict) or operand.get("filter_name") is None:
            raise errors.search_error(
                kind, "missing_filter_name", "Each operand needs a filter_name."
            )
        name = operand["filter_name"]
        if not isinstance(name, str):
            raise errors.search_error(
                kind, "filter_name_must_be_string", "filter_name must be a string."
            )
        spec = filters.get(name)
        if spec is None:
            raise errors.search_error(
                kind, "filter_name_not_recognized", f"filter_name '{name}' is not recognized."
            )
        if "filter_value" not in operand:
            raise errors.search_error(
                kind, "missing_filter_value", "Each operand needs a filter_value."
            )
        out.append((name, _value(kind, name, spec, operand["filter_value"])))
    return operator, out


def _combine(operator: str, results: list[bool]) -> bool:
    if not results:
        return True
    return all(results) if operator == "AND" else any(results)


def _domains(org: Organization, key: str) -> list[str]:
    return [str(d).lower() for d in org.fields.get(key) or []]


def search_organizations(
    state: StytchState, body: dict[str, Any]
) -> tuple[list[Organization], int, str | None]:
    offset, limit = v.search_page(body.get("cursor"), body.get("limit"))
    operator, operands = _operands(body, "organization", ORGANIZATION_FILTERS)

    def live_emails(o: Organization) -> list[str]:
        return [
            m.email_address.lower() for m in state.members_of(o.organization_id) if not m.deleted
        ]

    tests: list[Callable[[Organization], bool]] = []
    for name, value in operands:
        if name == "organization_ids":
            ids = set(value)
            tests.append(lambda o, ids=ids: o.organization_id in ids)
        elif name == "organization_slugs":
            slugs = set(value)
            tests.append(lambda o, slugs=slugs: o.slug in slugs)
        elif name == "organization_name_fuzzy":
            text = value.lower()
            tests.append(lambda o, t=text: t in str(o.fields.get("organization_name", "")).lower())
        elif name == "organization_slug_fuzzy":
            text = value.lower()
            tests.append(lambda o, t=text: t in o.slug.lower())
        elif name == "member_emails":
            emails = {e.lower() for e in value}
            tests.append(lambda o, e=emails: bool(e & set(live_emails(o))))
        elif name == "member_email_fuzzy":
            text = value.lower()
            tests.append(lambda o, t=text: any(t in e for e in live_emails(o)))
        elif name == "allowed_domains":
            wanted = {d.lower() for d in value}
            tests.append(lambda o, w=wanted: bool(w & set(_domains(o, "email_allowed_domains"))))
        elif name == "allowed_domain_fuzzy":
            text = value.lower()
            tests.append(
                lambda o, t=text: any(t in d for d in _domains(o, "email_allowed_domains"))
            )
        elif name == "claimed_email_domains":
            wanted = {d.lower() for d in value}
            tests.append(lambda o, w=wanted: bool(w & set(_domains(o, "claimed_email_domains"))))
        elif name == "has_active_sso_connection":
            # The mock holds no SSO connections: no organization has an active one.
            tests.append(lambda o, b=value: b is False)
        else:  # sso_connection_id: no SSO connection exists in the mock
            tests.append(lambda o: False)
    matched = [o for o in state.organizations.values() if _combine(operator, [t(o) for t in tests])]
    chunk, next_cursor = v.paginate(matched, offset, limit)
    return chunk, len(matched), next_cursor


def _member_ids(value: list[str]) -> set[str]:
    """``member_ids`` takes member ids or external ids, but not both in one filter
    (``member_search_cannot_mix_internal_and_external_member_ids``)."""
    internal = {i.startswith(MEMBER_PREFIX) for i in value}
    if len(internal) > 1:
        raise errors.search_error(
            "member",
            "cannot_mix_internal_and_external_member_ids",
            "member_ids may hold member_ids or external ids, not both.",
        )
    return set(value)


def search_members(
    state: StytchState, directories: dict[str, ScimDirectory], body: dict[str, Any]
) -> tuple[list[Member], int, str | None, dict[str, Organization]]:
    org_keys = body.get("organization_ids")
    if not isinstance(org_keys, list) or not org_keys:
        raise errors.search_error(
            "member", "organization_ids_empty", "organization_ids must not be empty."
        )
    if not all(isinstance(k, str) for k in org_keys):
        raise errors.search_error(
            "member", "expected_array_of_strings", "organization_ids expects strings."
        )
    orgs = {}
    for key in org_keys:
        org = resolve(state, key)
        orgs[org.organization_id] = org
    offset, limit = v.search_page(body.get("cursor"), body.get("limit"))
    operator, operands = _operands(body, "member", MEMBER_FILTERS)
    tests: list[Callable[[Member], bool]] = []
    status_filtered = False
    for name, value in operands:
        if name == "member_ids":
            ids = _member_ids(value)
            tests.append(lambda m, ids=ids: m.member_id in ids or m.external_id in ids)
        elif name == "member_emails":
            emails = {e.lower() for e in value}
            tests.append(lambda m, emails=emails: m.email_address.lower() in emails)
        elif name == "member_email_fuzzy":
            text = value.lower()
            tests.append(lambda m, t=text: t in m.email_address.lower())
        elif name == "statuses":
            if any(s not in STATUSES for s in value):
                raise errors.search_invalid_status_filter(STATUSES)
            status_filtered = True
            tests.append(lambda m, s=set(value): m.status in s)
        elif name == "member_roles":
            wanted = set(value)
            tests.append(
                lambda m, w=wanted: bool(
                    w & {r["role_id"] for r in models.member_roles(m, state, directories)}
                )
            )
        elif name == "member_is_breakglass":
            tests.append(lambda m, b=value: m.is_breakglass is b)
        elif name == "member_mfa_phone_numbers":
            phones = set(value)
            tests.append(lambda m, p=phones: bool(m.mfa_phone_number) and m.mfa_phone_number in p)
        elif name == "member_mfa_phone_number_fuzzy":
            tests.append(lambda m, t=value: bool(m.mfa_phone_number) and t in m.mfa_phone_number)
        else:  # member_password_exists (passwords are only ever seeded in the mock)
            tests.append(lambda m, b=value: bool(m.member_password_id) is b)
    matched = []
    for member in state.members.values():
        if member.organization_id not in orgs:
            continue
        # "By default, this endpoint will not return deleted Members" (docs search-members).
        if member.deleted and not status_filtered:
            continue
        if _combine(operator, [t(member) for t in tests]):
            matched.append(member)
    chunk, next_cursor = v.paginate(matched, offset, limit)
    return chunk, len(matched), next_cursor, orgs
