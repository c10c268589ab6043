"""Every search filter Stytch recognises, answered over the data the mock holds.

Evidence: the filter tables of docs b2b/api/search-organizations and search-members, the
browser SDK's ``SearchQueryOperand`` union (stytch-browser
``packages/core/src/public/b2b/organizations.ts``), and the per-filter ``*_search_missing_*``
types of Stytch's error catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers


def q(name: str, value: Any) -> dict[str, Any]:
    return {"operator": "AND", "operands": [{"filter_name": name, "filter_value": value}]}


@pytest.fixture
def two_orgs(server: MockServer, client: Any) -> dict[str, str]:
    acme = client.organizations.create(
        organization_name="Acme Corp",
        organization_slug="acme",
        email_allowed_domains=["acme.test"],
    ).organization
    globex = client.organizations.create(
        organization_name="Globex",
        organization_slug="globex",
        email_allowed_domains=["globex.test", "gx.test"],
    ).organization
    helpers.create_member(server.mock, acme.organization_id, "ada@acme.test")
    return {"acme": acme.organization_id, "globex": globex.organization_id}


def _org_slugs(client: Any, query: dict[str, Any]) -> list[str]:
    return sorted(
        o.organization_slug for o in client.organizations.search(query=query).organizations
    )


def test_organization_filters(client: Any, two_orgs: dict[str, str]) -> None:
    """organization_ids, organization_slugs, *_fuzzy, member_emails, member_email_fuzzy,
    allowed_domains, allowed_domain_fuzzy, claimed_email_domains, has_active_sso_connection,
    sso_connection_id (docs search-organizations filter table)."""
    assert _org_slugs(client, q("organization_ids", [two_orgs["globex"]])) == ["globex"]
    assert _org_slugs(client, q("organization_slugs", ["acme"])) == ["acme"]
    assert _org_slugs(client, q("organization_name_fuzzy", "CORP")) == ["acme"]
    assert _org_slugs(client, q("organization_slug_fuzzy", "obe")) == ["globex"]
    assert _org_slugs(client, q("member_emails", ["ADA@acme.test"])) == ["acme"]
    assert _org_slugs(client, q("member_email_fuzzy", "ada@")) == ["acme"]
    assert _org_slugs(client, q("allowed_domains", ["gx.test"])) == ["globex"]
    assert _org_slugs(client, q("allowed_domain_fuzzy", "acme.")) == ["acme"]
    # The mock holds no claimed domains and no SSO connections unless set.
    assert _org_slugs(client, q("claimed_email_domains", ["acme.test"])) == []
    assert _org_slugs(client, q("has_active_sso_connection", False)) == ["acme", "globex"]
    assert _org_slugs(client, q("has_active_sso_connection", True)) == []
    assert _org_slugs(client, q("sso_connection_id", "saml-connection-test-x")) == []


@pytest.mark.parametrize(
    ("name", "value", "error_type"),
    [
        ("allowed_domains", None, "organization_search_missing_allowed_domains"),
        ("allowed_domains", "acme.test", "organization_search_expected_array_of_strings"),
        ("has_active_sso_connection", "yes", "organization_search_expected_boolean"),
        ("sso_connection_id", ["x"], "organization_search_expected_string"),
        ("organization_external_ids", ["x"], "organization_search_filter_name_not_recognized"),
    ],
)
def test_organization_filter_errors(
    client: Any, two_orgs: dict[str, str], fails: Any, name: str, value: Any, error_type: str
) -> None:
    """Value-type and missing-value errors by their catalogue names; there is no
    ``organization_external_ids`` filter in Stytch's table."""
    fails(lambda: client.organizations.search(query=q(name, value)), 400, error_type)


def test_member_filters(server: MockServer, client: Any, org: dict[str, Any]) -> None:
    """member_ids (ids or external ids), member_emails, member_email_fuzzy, member_is_breakglass,
    statuses, member_mfa_phone_numbers, member_mfa_phone_number_fuzzy, member_password_exists,
    member_roles (stytch-browser ``SearchQueryOperand``)."""
    org_id = org["organization_id"]
    ada = helpers.create_member(
        server.mock,
        org_id,
        "ada@acme.test",
        roles=["stytch_admin"],
        external_id="emp-ada",
        mfa_phone_number="+15555550100",
        is_breakglass=True,
    )
    bob = helpers.create_member(server.mock, org_id, "bob@acme.test", create_member_as_pending=True)

    def emails(query: dict[str, Any]) -> list[str]:
        found = client.organizations.members.search(organization_ids=[org_id], query=query)
        return sorted(m.email_address for m in found.members)

    assert emails(q("member_ids", [ada["member_id"]])) == ["ada@acme.test"]
    assert emails(q("member_ids", ["emp-ada"])) == ["ada@acme.test"]
    assert emails(q("member_emails", ["BOB@acme.test"])) == ["bob@acme.test"]
    assert emails(q("member_email_fuzzy", "bob")) == ["bob@acme.test"]
    assert emails(q("member_is_breakglass", True)) == ["ada@acme.test"]
    assert emails(q("statuses", ["pending"])) == ["bob@acme.test"]
    assert emails(q("member_mfa_phone_numbers", ["+15555550100"])) == ["ada@acme.test"]
    assert emails(q("member_mfa_phone_number_fuzzy", "5550100")) == ["ada@acme.test"]
    assert emails(q("member_password_exists", True)) == []
    assert emails(q("member_password_exists", False)) == ["ada@acme.test", "bob@acme.test"]
    with server.mock.store.lock:  # a password can only be seeded (no password login)
        server.mock.store.vendor("stytch").members[bob["member_id"]].member_password_id = "pw-b"
    assert emails(q("member_password_exists", True)) == ["bob@acme.test"]
    assert emails(q("member_password_exists", False)) == ["ada@acme.test"]
    assert emails(q("member_roles", ["stytch_admin"])) == ["ada@acme.test"]
    assert bob["status"] == "pending"


@pytest.mark.parametrize(
    ("name", "value", "error_type"),
    [
        ("member_is_breakglass", None, "member_search_missing_is_breakglass"),
        ("member_password_exists", None, "member_search_missing_password_exists"),
        ("member_mfa_phone_numbers", None, "member_search_missing_mfa_member_phone_numbers"),
        ("member_roles", [], "member_search_missing_member_roles"),
        ("member_password_exists", "true", "member_search_expected_boolean"),
        ("statuses", ["gone"], "search_invalid_status_filter"),
        (
            "member_ids",
            ["member-test-00000000-0000-0000-0000-000000000000", "emp-1"],
            "member_search_cannot_mix_internal_and_external_member_ids",
        ),
        ("member_external_ids", ["x"], "member_search_filter_name_not_recognized"),
    ],
)
def test_member_filter_errors(
    client: Any, org: dict[str, Any], fails: Any, name: str, value: Any, error_type: str
) -> None:
    """Catalogue error names for missing values (note Stytch's ``missing_mfa_member_...``
    word order), wrong types, bad statuses and mixed id kinds."""
    fails(
        lambda: client.organizations.members.search(
            organization_ids=[org["organization_id"]], query=q(name, value)
        ),
        400,
        error_type,
    )


def test_operand_shape_errors(client: Any, org: dict[str, Any], fails: Any) -> None:
    """``missing_filter_name`` / ``filter_name_must_be_string`` / ``missing_filter_value``."""
    search = client.organizations.search
    fails(
        lambda: search(query={"operator": "AND", "operands": [{"filter_value": ["x"]}]}),
        400,
        "organization_search_missing_filter_name",
    )
    fails(
        lambda: search(query={"operator": "AND", "operands": [{"filter_name": 5}]}),
        400,
        "organization_search_filter_name_must_be_string",
    )
    fails(
        lambda: search(
            query={"operator": "AND", "operands": [{"filter_name": "organization_ids"}]}
        ),
        400,
        "organization_search_missing_filter_value",
    )
