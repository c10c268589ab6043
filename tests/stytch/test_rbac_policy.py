"""The RBAC policy endpoints through the official SDK: ``rbac.policy`` (openapi
``api_b2b_rbac_v1_Policy``), ``rbac.organizations.get_org_policy`` / ``set_org_policy``
(openapi ``..._GetOrgPolicy`` / ``..._SetOrgPolicy``), and what they mean for member-session
RBAC.

Evidence for the defaults: stytch-browser ``packages/web/.storybook/handlers.ts``
(``rbac_policy``: five ``stytch.*`` resources with their actions, ``stytch_member`` = ``*`` on
``stytch.self``, ``stytch_admin`` = ``*`` on the four others); docs b2b/guides/rbac/stytch-default
(the resource ids and role names)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from stytch.b2b.api.rbac_organizations import Organizations as RbacOrganizations
from stytch.b2b.models import scim_connection as connection_opts
from stytch.b2b.models.rbac import OrgPolicy
from stytch.shared.method_options import Authorization

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers

from .conftest import snapshot


def test_project_policy_has_stytchs_default_resources_and_roles(
    server: MockServer, client: Any
) -> None:
    """Default roles and resources as Stytch's own policy fixture lists them; a project custom
    role follows them, and a resource it names appears with the actions it grants."""
    helpers.define_role(server.mock, "editor", {"documents": ["read", "write"]})
    policy = client.rbac.policy().policy
    roles = {r.role_id: r for r in policy.roles}
    assert [r.role_id for r in policy.roles] == ["stytch_member", "stytch_admin", "editor"]
    assert [(p.resource_id, p.actions) for p in roles["stytch_member"].permissions] == [
        ("stytch.self", ["*"])
    ]
    assert [(p.resource_id, p.actions) for p in roles["stytch_admin"].permissions] == [
        ("stytch.organization", ["*"]),
        ("stytch.member", ["*"]),
        ("stytch.sso", ["*"]),
        ("stytch.scim", ["*"]),
    ]
    resources = {r.resource_id: r.actions for r in policy.resources}
    assert list(resources) == [
        "stytch.organization",
        "stytch.member",
        "stytch.sso",
        "stytch.self",
        "stytch.scim",
        "documents",
    ]
    assert "update.settings.implicit-roles" in resources["stytch.organization"]
    assert resources["stytch.scim"] == ["create", "get", "update", "delete"]
    assert resources["documents"] == ["read", "write"]
    assert policy.scopes == []


def test_org_policy_round_trip_and_roles_work_for_sessions(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any
) -> None:
    """set_org_policy replaces the organization's roles ("it will replace any existing
    organization-specific roles"); they show as the Organization's ``custom_roles`` and grant
    their actions to members' sessions like any role."""
    org_id = org["organization_id"]
    assert client.rbac.organizations.get_org_policy(organization_id=org_id).org_policy.roles == []
    role = {
        "role_id": "org-admin-lite",
        "description": "may rename",
        "permissions": [{"resource_id": "stytch.organization", "actions": ["update.info.name"]}],
    }
    set_resp = client.rbac.organizations.set_org_policy(
        organization_id=org_id, org_policy={"roles": [role]}
    )
    assert set_resp.org_policy.dict() == {"roles": [role]}
    assert client.rbac.organizations.get_org_policy(organization_id=org_id).org_policy.dict() == {
        "roles": [role]
    }
    got = client.organizations.get(organization_id=org_id).organization
    assert [r.role_id for r in got.custom_roles] == ["org-admin-lite"]

    member = helpers.create_member(server.mock, org_id, "r@acme.test", roles=["org-admin-lite"])
    auth = Authorization(
        session_token=helpers.mint_session(server.mock, member["member_id"])["session_token"]
    )
    from stytch.b2b.models import organizations as org_opts

    renamed = client.organizations.update(
        organization_id=org_id,
        organization_name="Renamed",
        method_options=org_opts.UpdateRequestOptions(authorization=auth),
    )
    assert renamed.organization.organization_name == "Renamed"
    # Replacing the policy with none takes the role away: the member's role is unknown now.
    client.rbac.organizations.set_org_policy(organization_id=org_id, org_policy=OrgPolicy(roles=[]))
    fails(
        lambda: client.organizations.update(
            organization_id=org_id,
            organization_name="Again",
            method_options=org_opts.UpdateRequestOptions(authorization=auth),
        ),
        403,
        "session_authorization_error",
    )


@pytest.mark.parametrize(
    ("roles", "error_type"),
    [
        (
            [{"role_id": "stytch_admin", "description": "", "permissions": []}],
            "rbac_org_custom_roles_only",
        ),
        ([{"role_id": "", "description": "", "permissions": []}], "empty_rbac_role_id"),
        (
            [
                {"role_id": "a", "description": "", "permissions": []},
                {"role_id": "a", "description": "", "permissions": []},
            ],
            "rbac_role_duplicate",
        ),
        (
            [
                {
                    "role_id": "a",
                    "description": "",
                    "permissions": [{"resource_id": "nope", "actions": ["x"]}],
                }
            ],
            "invalid_rbac_custom_role",
        ),
        (
            [
                {
                    "role_id": "a",
                    "description": "",
                    "permissions": [{"resource_id": "stytch.member", "actions": []}],
                }
            ],
            "rbac_permission_missing_actions",
        ),
        (
            [
                {
                    "role_id": "a",
                    "description": "",
                    "permissions": [{"resource_id": "stytch.member", "actions": ["*", "create"]}],
                }
            ],
            "invalid_rbac_custom_role",
        ),
        (
            [
                {
                    "role_id": "a",
                    "description": "",
                    "permissions": [{"resource_id": "stytch.member", "actions": ["fly"]}],
                }
            ],
            "invalid_rbac_custom_role",
        ),
    ],
)
def test_set_org_policy_refuses_what_the_sdk_validator_refuses(
    server: MockServer, client: Any, org: dict[str, Any], fails: Any, roles: Any, error_type: str
) -> None:
    """The server refuses the policies stytch-python's own
    ``rbac_organizations.Organizations.validate_org_policy`` refuses (checked: the SDK
    validator refuses them too), plus a reserved or empty role id (catalogue
    ``rbac_org_custom_roles_only``, ``empty_rbac_role_id``), and nothing changes."""
    project = client.rbac.policy().policy
    if roles[0]["role_id"] not in ("", "stytch_admin"):
        with pytest.raises(Exception):  # noqa: B017 - the SDK raises a bare Exception
            RbacOrganizations.validate_org_policy(project, OrgPolicy(**{"roles": roles}))
    fails(
        lambda: client.rbac.organizations.set_org_policy(
            organization_id=org["organization_id"], org_policy={"roles": roles}
        ),
        400,
        error_type,
    )


def test_custom_roles_in_organization_create_or_update_are_ignored(
    server: MockServer, client: Any, org: dict[str, Any]
) -> None:
    """openapi ``api_organization_v1_CreateRequest`` / ``UpdateRequest`` have no
    ``custom_roles``: sent anyway (raw HTTP: the SDK has no such parameter) it is ignored, like
    any field those schemas lack; only set_org_policy sets it."""
    auth = (server.settings.stytch_project_id, server.settings.stytch_secret)
    role = {"role_id": "x", "description": "", "permissions": []}
    created = requests.post(
        server.url + "/v1/b2b/organizations",
        json={"organization_name": "Initech", "custom_roles": [role]},
        auth=auth,
        timeout=5,
    )
    assert created.status_code == 200, created.text
    assert created.json()["organization"]["custom_roles"] == []
    updated = requests.put(
        server.url + f"/v1/b2b/organizations/{org['organization_id']}",
        json={"custom_roles": [role]},
        auth=auth,
        timeout=5,
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["organization"]["custom_roles"] == []


def test_connection_group_assignments_need_implicit_roles_permission(
    server: MockServer, client: Any, org: dict[str, Any], connection: Any, fails: Any
) -> None:
    """Changing ``scim_group_implicit_role_assignments`` with a member session also needs
    ``update.settings.implicit-roles`` on ``stytch.organization`` (stytch-browser
    ``packages/core/src/public/b2b/scim.ts`` updateConnection); other fields need only ``update``
    on ``stytch.scim``."""
    org_id = org["organization_id"]
    helpers.define_role(server.mock, "scim-editor", {"stytch.scim": ["update"]})
    helpers.define_role(
        server.mock,
        "scim-roles",
        {"stytch.scim": ["update"], "stytch.organization": ["update.settings.implicit-roles"]},
    )
    editor = helpers.create_member(server.mock, org_id, "e@acme.test", roles=["scim-editor"])
    roles = helpers.create_member(server.mock, org_id, "g@acme.test", roles=["scim-roles"])

    def options(member: dict[str, Any]) -> Any:
        token = helpers.mint_session(server.mock, member["member_id"])["session_token"]
        return connection_opts.UpdateRequestOptions(
            authorization=Authorization(session_token=token)
        )

    cid = connection.connection_id
    as_editor, as_roles = options(editor), options(roles)
    renamed = client.scim.connection.update(
        organization_id=org_id,
        connection_id=cid,
        display_name="Okta 2",
        method_options=as_editor,
    )
    assert renamed.connection.display_name == "Okta 2"
    fails(
        lambda: client.scim.connection.update(
            organization_id=org_id,
            connection_id=cid,
            scim_group_implicit_role_assignments=[],
            method_options=as_editor,
        ),
        403,
        "session_authorization_error",
    )
    cleared = client.scim.connection.update(
        organization_id=org_id,
        connection_id=cid,
        scim_group_implicit_role_assignments=[],
        method_options=as_roles,
    )
    assert cleared.connection.scim_group_implicit_role_assignments == []


@pytest.mark.parametrize(
    "org_policy",
    [
        None,
        [],
        {"roles": "x"},
        {"roles": [1]},
        {"roles": [{"role_id": ["a"]}]},
        {"roles": [{"role_id": "a", "description": 5, "permissions": []}]},
        {"roles": [{"role_id": "a", "permissions": [{"resource_id": ["stytch.member"]}]}]},
        {
            "roles": [
                {"role_id": "a", "permissions": [{"resource_id": "stytch.member", "actions": [1]}]}
            ]
        },
    ],
)
def test_set_org_policy_hostile_bodies_are_400s(
    server: MockServer, org: dict[str, Any], org_policy: Any
) -> None:
    """Malformed policies are Stytch 400 errors with nothing changed, never a 500."""
    before = snapshot(server)
    response = requests.put(
        server.url + f"/v1/b2b/rbac/organizations/{org['organization_id']}",
        json={"org_policy": org_policy},
        auth=(server.settings.stytch_project_id, server.settings.stytch_secret),
        timeout=5,
    )
    assert response.status_code == 400, response.text
    assert response.json()["error_type"]
    assert snapshot(server) == before


def test_sdk_local_rbac_decides_from_the_mocks_policies(
    server: MockServer, client: Any, org: dict[str, Any]
) -> None:
    """The SDK's own local evaluation (stytch-python ``shared/policy_cache.py`` merges
    ``rbac.policy`` with ``get_org_policy``; ``shared/rbac_local.py``
    ``perform_authorization_check``, what ``sessions.authenticate_jwt`` with an
    ``authorization_check`` runs) reaches the same decisions as the mock's server-side RBAC."""
    from stytch.b2b.models.sessions import AuthorizationCheck
    from stytch.shared.policy_cache import PolicyCache
    from stytch.shared.rbac_local import RBACPermissionError, perform_authorization_check

    org_id = org["organization_id"]
    client.rbac.organizations.set_org_policy(
        organization_id=org_id,
        org_policy={
            "roles": [
                {
                    "role_id": "scim-reader",
                    "description": "",
                    "permissions": [{"resource_id": "stytch.scim", "actions": ["get"]}],
                }
            ]
        },
    )
    policy = PolicyCache(client.rbac).get_with_org(org_id)

    def check(roles: list[str], resource: str, action: str) -> bool:
        try:
            perform_authorization_check(
                policy,
                roles,
                org_id,
                AuthorizationCheck(organization_id=org_id, resource_id=resource, action=action),
            )
        except RBACPermissionError:
            return False
        return True

    assert check(["stytch_member", "scim-reader"], "stytch.scim", "get")
    assert not check(["stytch_member", "scim-reader"], "stytch.scim", "update")
    assert check(["stytch_member", "stytch_admin"], "stytch.organization", "update.info.name")
    assert check(["stytch_member"], "stytch.self", "update.info.name")
    assert not check(["stytch_member"], "stytch.member", "search")


def test_set_org_policy_keeps_roles_email_assignments_use(
    client: Any, org: dict[str, Any], fails: Any
) -> None:
    """An org role named by ``rbac_email_implicit_role_assignments`` cannot be dropped from the
    policy (decided: Stytch refuses assignments to unknown roles with ``invalid_rbac_role_id``,
    so it cannot leave one dangling)."""
    org_id = org["organization_id"]
    role = {"role_id": "acme-role", "description": "", "permissions": []}
    client.rbac.organizations.set_org_policy(organization_id=org_id, org_policy={"roles": [role]})
    client.organizations.update(
        organization_id=org_id,
        rbac_email_implicit_role_assignments=[{"domain": "acme.test", "role_id": "acme-role"}],
    )
    fails(
        lambda: client.rbac.organizations.set_org_policy(
            organization_id=org_id, org_policy={"roles": []}
        ),
        400,
        "invalid_rbac_role_id",
    )
