"""Input rules Stytch documents (stytch-openapi field and operation descriptions, the search
pages' error tables), each failure a Stytch error that leaves the store unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers


def _query(name: str, value: Any) -> dict[str, Any]:
    return {"operator": "AND", "operands": [{"filter_name": name, "filter_value": value}]}


@pytest.mark.parametrize(
    ("name", "error_type"),
    [
        ("organization_name_fuzzy", "organization_search_organization_name_fuzzy_too_short"),
        ("organization_slug_fuzzy", "organization_search_organization_slug_fuzzy_too_short"),
        ("member_email_fuzzy", "organization_search_member_email_fuzzy_too_short"),
        ("allowed_domain_fuzzy", "organization_search_allowed_domain_fuzzy_too_short"),
    ],
)
def test_organization_fuzzy_filters_need_three_characters(
    client: Any, org: dict[str, Any], fails: Any, name: str, error_type: str
) -> None:
    """ "All fuzzy search filters require a minimum of three characters." (openapi
    ``api_organization_v1_Search``); types from Stytch's error catalogue."""
    fails(lambda: client.organizations.search(query=_query(name, "ac")), 400, error_type)
    client.organizations.search(query=_query(name, "acm"))


@pytest.mark.parametrize(
    ("name", "error_type"),
    [
        ("member_email_fuzzy", "member_search_member_email_fuzzy_too_short"),
        ("member_mfa_phone_number_fuzzy", "member_search_member_mfa_phone_number_fuzzy_too_short"),
    ],
)
def test_member_fuzzy_filters_need_three_characters(
    client: Any, org: dict[str, Any], fails: Any, name: str, error_type: str
) -> None:
    """Same rule on members search (openapi ``..._members_Search``)."""
    org_id = org["organization_id"]
    fails(
        lambda: client.organizations.members.search(
            organization_ids=[org_id], query=_query(name, "12")
        ),
        400,
        error_type,
    )
    client.organizations.members.search(organization_ids=[org_id], query=_query(name, "123"))


def test_external_ids(client: Any, org: dict[str, Any], fails: Any) -> None:
    """External ids: "alphanumeric, ., _, -, or | characters with a maximum length of 128"
    (openapi ``organization_external_id`` and members ``external_id``). Organizations answer
    ``invalid_organization_external_id``; Stytch's catalogue has no member-specific type, so
    the mock answers the generic ``invalid_argument`` (decided)."""
    for bad in ("has space", "a/b", "x" * 129):
        fails(
            lambda bad=bad: client.organizations.create(
                organization_name="X", organization_external_id=bad
            ),
            400,
            "invalid_organization_external_id",
        )
        fails(
            lambda bad=bad: client.organizations.members.create(
                organization_id=org["organization_id"],
                email_address="b@acme.test",
                external_id=bad,
            ),
            400,
            "invalid_argument",
        )
    made = client.organizations.create(
        organization_name="X", organization_external_id="A.b_c-d|" + "e" * 120
    ).organization
    assert made.organization_external_id == "A.b_c-d|" + "e" * 120
    member = client.organizations.members.create(
        organization_id=org["organization_id"], email_address="b@acme.test", external_id="emp|1.a"
    ).member
    assert member.external_id == "emp|1.a"


def test_organization_name_length(client: Any, fails: Any) -> None:
    """organization_name: "Must be between 1 and 128 characters in length." (openapi)."""
    fails(
        lambda: client.organizations.create(organization_name="n" * 129),
        400,
        "invalid_organization_name",
    )
    fails(
        lambda: client.organizations.create(organization_name=""), 400, "organization_name_missing"
    )
    assert client.organizations.create(organization_name="n" * 128).organization.organization_name


@pytest.mark.parametrize("field", ["email_jit_provisioning", "oauth_tenant_jit_provisioning"])
def test_jit_settings_have_no_all_allowed(
    client: Any, org: dict[str, Any], fails: Any, field: str
) -> None:
    """email_jit_provisioning / oauth_tenant_jit_provisioning: only RESTRICTED or NOT_ALLOWED
    (openapi ``api_organization_v1_Organization`` field descriptions); the mock answers an
    enum violation with ``invalid_argument`` like its other enums (decided)."""
    fails(
        lambda: client.organizations.update(organization_id="acme", **{field: "ALL_ALLOWED"}),
        400,
        "invalid_argument",
    )
    updated = client.organizations.update(organization_id="acme", **{field: "RESTRICTED"})
    assert getattr(updated.organization, field) == "RESTRICTED"


def test_email_invites_default_depends_on_auth_settings(client: Any) -> None:
    """ "If no Organization authentication setting parameters are passed in, email_invites will
    default to ALL_ALLOWED ... Otherwise, email_invites will default to NOT_ALLOWED." (openapi
    ``api_organization_v1_Create``)."""
    bare = client.organizations.create(organization_name="Bare").organization
    assert bare.email_invites == "ALL_ALLOWED"
    set_up = client.organizations.create(
        organization_name="Set", email_jit_provisioning="RESTRICTED"
    ).organization
    assert set_up.email_invites == "NOT_ALLOWED"
    explicit = client.organizations.create(
        organization_name="Explicit", sso_jit_provisioning="NOT_ALLOWED", email_invites="RESTRICTED"
    ).organization
    assert explicit.email_invites == "RESTRICTED"


def test_email_implicit_role_assignments_are_checked(
    client: Any, org: dict[str, Any], fails: Any
) -> None:
    """rbac_email_implicit_role_assignments items ``{domain, role_id}`` (openapi
    ``EmailImplicitRoleAssignment``); catalogue types ``rbac_invalid_domain``,
    ``invalid_rbac_role_id``, ``cannot_assign_default_rbac_role_id``."""
    update = client.organizations.update
    cases = [
        ([{"domain": "not a domain", "role_id": "stytch_admin"}], "rbac_invalid_domain"),
        ([{"domain": "acme.test", "role_id": "ghost"}], "invalid_rbac_role_id"),
        (
            [{"domain": "acme.test", "role_id": "stytch_member"}],
            "cannot_assign_default_rbac_role_id",
        ),
    ]
    for value, error_type in cases:
        fails(
            lambda value=value: update(
                organization_id="acme", rbac_email_implicit_role_assignments=value
            ),
            400,
            error_type,
        )
    done = update(
        organization_id="acme",
        rbac_email_implicit_role_assignments=[{"domain": "Acme.Test", "role_id": "stytch_admin"}],
    ).organization
    assert [(a.domain, a.role_id) for a in done.rbac_email_implicit_role_assignments] == [
        ("acme.test", "stytch_admin")
    ]


def test_reactivate_rules(server: MockServer, client: Any, org: dict[str, Any], fails: Any) -> None:
    """Reactivate "will only work for Members with at least one verified email" and "does not
    accept an external_id" (openapi ``..._members_Reactivate``); a deleted member's email is
    free for a new member ("A Member's email address can only be useable again by other
    Members if the Member is deleted", openapi members UpdateRequest), after which reactivation
    is ``reactivation_email_belongs_to_another_member`` (catalogue)."""
    org_id = org["organization_id"]
    members = client.organizations.members
    plain = members.create(organization_id=org_id, email_address="u@acme.test").member
    members.delete(organization_id=org_id, member_id=plain.member_id)
    fails(
        lambda: members.reactivate(organization_id=org_id, member_id=plain.member_id),
        400,
        "email_unverified_for_reactivation",
    )
    verified = helpers.create_member(
        server.mock, org_id, "v@acme.test", external_id="emp-v", email_address_verified=True
    )
    members.delete(organization_id=org_id, member_id=verified["member_id"])
    fails(
        lambda: members.reactivate(organization_id=org_id, member_id="emp-v"),
        404,
        "member_not_found",
    )
    newcomer = members.create(organization_id=org_id, email_address="v@acme.test").member
    assert newcomer.member_id != verified["member_id"]
    fails(
        lambda: members.reactivate(organization_id=org_id, member_id=verified["member_id"]),
        400,
        "reactivation_email_belongs_to_another_member",
    )
    members.delete(organization_id=org_id, member_id=newcomer.member_id)
    back = members.reactivate(organization_id=org_id, member_id=verified["member_id"]).member
    assert back.status == "active"


def test_limit_bounds(client: Any, org: dict[str, Any], fails: Any) -> None:
    """``limit``: ``minimum: 0``, default 100, maximum 1000 (openapi search requests); 0 is the
    unset protobuf value, so it means the default (decided). Out of range is
    ``user_search_invalid_limit`` (docs search-organizations, Common Error Types)."""
    assert len(client.organizations.search(limit=0).organizations) == 1
    fails(lambda: client.organizations.search(limit=-1), 400, "user_search_invalid_limit")
    fails(
        lambda: client.organizations.members.search(
            organization_ids=[org["organization_id"]], limit=1001
        ),
        400,
        "user_search_invalid_limit",
    )


def test_seeding_a_verified_email_over_http(server: MockServer, org: dict[str, Any]) -> None:
    """The admin API's stand-in for an email login: ``email_address_verified`` on
    ``POST /_mockscim/stytch/members`` (a non-boolean is refused in Stytch's error JSON)."""
    import requests

    url = server.url + "/_mockscim/stytch/members"
    body = {"organization_id": org["organization_id"], "email_address": "v@acme.test"}
    made = requests.post(url, json={**body, "email_address_verified": True}, timeout=5)
    assert made.status_code == 200 and made.json()["member"]["email_address_verified"] is True
    bad = requests.post(url, json={**body, "email_address_verified": "yes"}, timeout=5)
    assert bad.status_code == 400 and bad.json()["error_type"] == "invalid_argument"
