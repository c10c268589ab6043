"""The member and organization endpoints around a member's account, through the official SDK
(each answers its stytch-openapi response schema, so the SDK's models parse it):

- ``organizations.members.delete_external_id`` / ``organizations.delete_external_id``
  (``..._members_DeleteExternalId``, ``api_organization_v1_DeleteExternalId``);
- ``delete_mfa_phone_number``, ``delete_totp``, ``delete_password`` (``..._DeleteMFAPhoneNumber``,
  ``..._DeleteTOTP``, ``..._DeletePassword``; catalogue ``totp_not_found``,
  ``member_password_not_found``; actions from stytch-browser
  ``packages/core/src/public/b2b/organizations.ts`` ``@rbac``);
- ``start_email_update`` (``..._StartEmailUpdate``: active member with a verified email, new
  address not used or retired by another member; catalogue
  ``email_updates_available_only_for_active_members``);
- ``oidc_providers`` and ``oauth_providers.*`` (``..._OIDCProviders``, ``..._oauth_providers_*``);
- ``organizations.metrics`` (``api_organization_v1_MetricsResponse.member_count``).
"""

from __future__ import annotations

from typing import Any

from stytch.b2b.models import organizations_members as member_opts
from stytch.shared.method_options import Authorization

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers


def _seed(server: MockServer, member_id: str, **fields: Any) -> None:
    """Factors the mock cannot create through an API (no password or TOTP login)."""
    with server.mock.store.lock:
        member = server.mock.store.vendor("stytch").members[member_id]
        for key, value in fields.items():
            setattr(member, key, value)


def test_delete_external_ids(client: Any, org: dict[str, Any]) -> None:
    org_id = org["organization_id"]
    member = client.organizations.members.create(
        organization_id=org_id, email_address="a@acme.test", external_id="emp-1"
    ).member
    assert member.external_id == "emp-1"
    cleared = client.organizations.members.delete_external_id(
        organization_id=org_id, member_id="emp-1"
    )
    assert cleared.member_id == member.member_id
    assert cleared.member.external_id is None
    assert cleared.organization.organization_id == org_id
    assert client.organizations.get(organization_id=org_id).organization.organization_external_id
    org_cleared = client.organizations.delete_external_id(organization_id="ext-acme")
    assert org_cleared.organization.organization_external_id is None
    assert (
        client.organizations.get(organization_id=org_id).organization.organization_external_id
        is None
    )


def test_delete_factors(server: MockServer, client: Any, org: dict[str, Any], fails: Any) -> None:
    org_id = org["organization_id"]
    mid = client.organizations.members.create(
        organization_id=org_id, email_address="a@acme.test", mfa_phone_number="+12025550123"
    ).member.member_id
    _seed(server, mid, totp_registration_id="totp-1", member_password_id="pw-1")

    phone = client.organizations.members.delete_mfa_phone_number(
        organization_id=org_id, member_id=mid
    )
    assert phone.member.mfa_phone_number == "" and phone.member_id == mid
    totp = client.organizations.members.delete_totp(organization_id=org_id, member_id=mid)
    assert totp.member.totp_registration_id == ""
    fails(
        lambda: client.organizations.members.delete_totp(organization_id=org_id, member_id=mid),
        404,
        "totp_not_found",
    )
    password = client.organizations.members.delete_password(
        organization_id=org_id, member_password_id="pw-1"
    )
    assert password.member_id == mid and password.member.member_password_id == ""
    fails(
        lambda: client.organizations.members.delete_password(
            organization_id=org_id, member_password_id="pw-1"
        ),
        404,
        "member_password_not_found",
    )


def test_factor_deletes_enforce_member_or_self_actions(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any
) -> None:
    """``update.info.delete.mfa-totp`` on stytch.member, or on stytch.self for oneself (every
    member holds ``stytch_member``, ``*`` on stytch.self)."""
    org_id = org["organization_id"]
    me = helpers.create_member(server.mock, org_id, "me@acme.test")
    other = helpers.create_member(server.mock, org_id, "other@acme.test")
    _seed(server, me["member_id"], totp_registration_id="t-me")
    _seed(server, other["member_id"], totp_registration_id="t-other")
    token = helpers.mint_session(server.mock, me["member_id"])["session_token"]
    options = member_opts.DeleteTOTPRequestOptions(authorization=Authorization(session_token=token))
    own = client.organizations.members.delete_totp(
        organization_id=org_id, member_id=me["member_id"], method_options=options
    )
    assert own.member.totp_registration_id == ""
    fails(
        lambda: client.organizations.members.delete_totp(
            organization_id=org_id, member_id=other["member_id"], method_options=options
        ),
        403,
        "session_authorization_error",
    )


def test_start_email_update(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any
) -> None:
    """The member is returned unchanged (the address changes when the member proves the new
    one, which the mock cannot do); the checks of the openapi description apply."""
    org_id = org["organization_id"]
    ada = client.organizations.members.create(
        organization_id=org_id, email_address="ada@acme.test"
    ).member
    client.organizations.members.create(organization_id=org_id, email_address="bob@acme.test")
    fails(
        lambda: client.organizations.members.start_email_update(
            organization_id=org_id, member_id=ada.member_id, email_address="ada2@acme.test"
        ),
        400,
        "email_updates_available_only_for_active_members",
    )
    helpers.verify_email(server.mock, ada.member_id)
    fails(
        lambda: client.organizations.members.start_email_update(
            organization_id=org_id, member_id=ada.member_id, email_address="bob@acme.test"
        ),
        400,
        "duplicate_member_email",
    )
    started = client.organizations.members.start_email_update(
        organization_id=org_id, member_id=ada.member_id, email_address="ada2@acme.test"
    )
    assert started.member_id == ada.member_id
    assert started.member.email_address == "ada@acme.test"


def test_provider_reads_are_empty_over_the_mocks_data(
    client: Any, org: dict[str, Any], fails: Any
) -> None:
    """No member of the mock signed in with OIDC or OAuth: list answers are empty, the
    single-token providers (Google, Microsoft) have no token set to return."""
    org_id = org["organization_id"]
    mid = client.organizations.members.create(
        organization_id=org_id, email_address="a@acme.test"
    ).member.member_id
    assert (
        client.organizations.members.oidc_providers(
            organization_id=org_id, member_id=mid
        ).registrations
        == []
    )
    providers = client.organizations.members.oauth_providers
    for read, name in (
        (providers.slack, "Slack"),
        (providers.hubspot, "HubSpot"),
        (providers.github, "GitHub"),
    ):
        answer = read(organization_id=org_id, member_id=mid)
        assert (answer.provider_type, answer.registrations) == (name, [])
    fails(
        lambda: providers.google(organization_id=org_id, member_id=mid),
        404,
        "member_oauth_token_not_found",
    )
    fails(
        lambda: providers.slack(organization_id=org_id, member_id="member-test-nope"),
        404,
        "member_not_found",
    )


def test_metrics_count_live_members(client: Any, org: dict[str, Any]) -> None:
    org_id = org["organization_id"]
    assert client.organizations.metrics(organization_id=org_id).member_count == 0
    a = client.organizations.members.create(organization_id=org_id, email_address="a@acme.test")
    client.organizations.members.create(organization_id=org_id, email_address="b@acme.test")
    assert client.organizations.metrics(organization_id=org_id).member_count == 2
    client.organizations.members.delete(organization_id=org_id, member_id=a.member_id)
    assert client.organizations.metrics(organization_id=org_id).member_count == 1
