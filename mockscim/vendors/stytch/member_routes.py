"""The Stytch endpoints around a member's account and the RBAC policy, beside the core routes
of :mod:`routes`: the RBAC policy (project and organization), retired emails, the
authentication-factor deletes, external-id deletes, ``start_email_update``, the OAuth/OIDC
provider token reads and ``organizations.metrics``.

Paths and answer shapes are stytch-openapi's (operation ids named per route); the actions a
member session needs are the ``@rbac`` annotations of stytch-browser
``packages/core/src/public/b2b/organizations.ts`` / ``members.ts``. The project secret alone
needs no action, as everywhere in the control plane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response

from mockscim.engine.mock import Mock
from mockscim.vendors.stytch import errors, members, models, rbac
from mockscim.vendors.stytch import organizations as orgs
from mockscim.vendors.stytch.routes import ApiBlueprint, ok, query_bool
from mockscim.vendors.stytch.state import Member, Organization, StytchState
from mockscim.vendors.stytch.webhooks import UPDATE, StytchEvents

#: The OAuth providers with one token set per member (openapi ``..._oauth_providers_Google/
#: MicrosoftResponse``: ``provider_subject``, ``id_token``...) and those answering a
#: ``registrations`` list (``Slack/Hubspot/GithubResponse``).
SINGLE_TOKEN_PROVIDERS = ("google", "microsoft")
#: ``provider_type`` "Denotes the OAuth identity provider ..., e.g. Google, Microsoft, GitHub"
#: (openapi ``..._SlackResponse.provider_type``): the provider's own spelling.
LIST_PROVIDERS = {"slack": "Slack", "hubspot": "HubSpot", "github": "GitHub"}


def register_member_routes(app: Flask, mock: Mock) -> None:
    api = ApiBlueprint("stytch_member_account", mock)
    bp, locked, session_of = api.bp, api.locked, api.session_of
    events = StytchEvents(mock)  # webhook: direct.member.update / direct.organization.update

    def require_member_action(
        st: StytchState, org: Organization, member: Member | None, action: str
    ) -> None:
        api.require_on_member(st, org, session_of(st, org), member, action)

    member_payload = api.member_payload

    def target(
        st: StytchState, organization_id: str, member_id: str
    ) -> tuple[Organization, Member]:
        org = orgs.resolve(st, organization_id)
        return org, members.find_member(st, org, member_id)

    # ------------------------------------------------------------ RBAC policy
    @bp.get("/rbac/policy")
    @locked
    def rbac_policy(st: StytchState, body: dict[str, Any]) -> Response:
        """openapi ``api_b2b_rbac_v1_Policy``."""
        return ok({"policy": rbac.project_policy(st.custom_roles)})

    @bp.get("/rbac/organizations/<organization_id>")
    @locked
    def get_org_policy(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        """openapi ``..._GetOrgPolicy``."""
        org = orgs.resolve(st, organization_id)
        return ok({"org_policy": rbac.org_policy(org.fields)})

    @bp.put("/rbac/organizations/<organization_id>")
    @locked
    def set_org_policy(st: StytchState, body: dict[str, Any], organization_id: str) -> Response:
        """openapi ``..._SetOrgPolicy``: replaces the organization's roles."""
        org = orgs.resolve(st, organization_id)
        if "org_policy" not in body:
            raise errors.invalid_argument("'org_policy' is required.")
        orgs.set_org_policy(st, org, body["org_policy"], mock.clock.now())
        events.organization(UPDATE, org)  # webhook: custom_roles is part of the Organization
        return ok({"org_policy": rbac.org_policy(org.fields)})

    # ------------------------------------------------------------ organizations
    @bp.delete("/organizations/<organization_id>/external_id")
    @locked
    def delete_organization_external_id(
        st: StytchState, body: dict[str, Any], organization_id: str
    ) -> Response:
        """openapi ``api_organization_v1_DeleteExternalId``; no action is documented for it, so
        a session is checked for validity and tenancy only (decided)."""
        org = orgs.resolve(st, organization_id)
        session_of(st, org)
        orgs.delete_external_id(org, mock.clock.now())
        events.organization(UPDATE, org)  # webhook
        return ok({"organization": models.organization(org, st)})

    @bp.get("/organizations/<organization_id>/metrics")
    @locked
    def organization_metrics(
        st: StytchState, body: dict[str, Any], organization_id: str
    ) -> Response:
        """openapi ``api_organization_v1_Metrics``: ``member_count``, counted over the
        organization's members that are not deleted (decided: a deactivated member is not a
        member of the organization any more)."""
        org = orgs.resolve(st, organization_id)
        count = sum(1 for m in st.members_of(org.organization_id) if not m.deleted)
        return ok({"member_count": count})

    # ------------------------------------------------------------ member emails
    @bp.post("/organizations/<organization_id>/members/<member_id>/unlink_retired_email")
    @locked
    def unlink_retired_email(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
    ) -> Response:
        """openapi ``..._UnlinkRetiredEmail``; ``update.info.unlink.retired-email``."""
        org, member = target(st, organization_id, member_id)
        require_member_action(st, org, member, "update.info.unlink.retired-email")
        members.unlink_retired_email(member, body, mock.clock.now())
        events.member(UPDATE, member)  # webhook
        return ok({"organization_id": org.organization_id, **member_payload(st, member, org)})

    @bp.post("/organizations/<organization_id>/members/<member_id>/start_email_update")
    @locked
    def start_email_update(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
    ) -> Response:
        """openapi ``..._StartEmailUpdate``; ``update.info.email``. The Member is returned
        unchanged: the address changes once the member proves the new one."""
        org, member = target(st, organization_id, member_id)
        require_member_action(st, org, member, "update.info.email")
        members.check_email_update(st, member, body)
        return ok(member_payload(st, member, org))

    # ------------------------------------------------------------ factors and ids
    def factor_route(factor: str, action: str | None) -> Callable[..., Response]:
        def delete_factor(
            st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
        ) -> Response:
            org, member = target(st, organization_id, member_id)
            if action is None:
                session_of(st, org)
            else:
                require_member_action(st, org, member, action)
            members.delete_factor(member, factor, mock.clock.now())
            events.member(UPDATE, member)  # webhook
            return ok(member_payload(st, member, org))

        delete_factor.__name__ = f"delete_member_{factor}"
        return locked(delete_factor)

    # openapi ``..._DeleteMFAPhoneNumber``, ``..._DeleteTOTP``, ``..._DeleteExternalId``.
    bp.delete("/organizations/<organization_id>/members/mfa_phone_numbers/<member_id>")(
        factor_route("mfa_phone", "update.info.delete.mfa-phone")
    )
    bp.delete("/organizations/<organization_id>/members/<member_id>/totp")(
        factor_route("totp", "update.info.delete.mfa-totp")
    )
    bp.delete("/organizations/<organization_id>/members/<member_id>/external_id")(
        factor_route("external_id", None)
    )

    @bp.delete("/organizations/<organization_id>/members/passwords/<member_password_id>")
    @locked
    def delete_password(
        st: StytchState, body: dict[str, Any], organization_id: str, member_password_id: str
    ) -> Response:
        """openapi ``..._DeletePassword``; ``update.info.delete.password``."""
        org = orgs.resolve(st, organization_id)
        holder = next(
            (
                m
                for m in st.members_of(org.organization_id)
                if member_password_id and m.member_password_id == member_password_id
            ),
            None,
        )
        require_member_action(st, org, holder, "update.info.delete.password")
        member = members.delete_password(st, org, member_password_id, mock.clock.now())
        events.member(UPDATE, member)  # webhook
        return ok(member_payload(st, member, org))

    # ------------------------------------------------------------ provider tokens
    @bp.get("/organizations/<organization_id>/members/<member_id>/oidc_providers")
    @locked
    def oidc_providers(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str
    ) -> Response:
        """openapi ``..._OIDCProviders``: the member's OIDC registrations; the mock has no SSO,
        so none."""
        query_bool(body, "include_refresh_token")
        target(st, organization_id, member_id)
        return ok({"registrations": []})

    @bp.get("/organizations/<organization_id>/members/<member_id>/oauth_providers/<provider>")
    @locked
    def oauth_provider(
        st: StytchState, body: dict[str, Any], organization_id: str, member_id: str, provider: str
    ) -> Response:
        """Slack, HubSpot, GitHub answer a ``registrations`` list, empty here (no OAuth logins
        in the mock); Google and Microsoft answer one token set, so a member that never signed
        in with them is ``member_oauth_token_not_found`` (catalogue; decided)."""
        if provider not in SINGLE_TOKEN_PROVIDERS and provider not in LIST_PROVIDERS:
            raise errors.StytchError(404, "route_not_found", "The requested route was not found.")
        query_bool(body, "include_refresh_token")
        target(st, organization_id, member_id)
        if provider in SINGLE_TOKEN_PROVIDERS:
            raise errors.member_oauth_token_not_found()
        return ok({"provider_type": LIST_PROVIDERS[provider], "registrations": []})

    app.register_blueprint(bp)
