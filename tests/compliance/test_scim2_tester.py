"""SCIM 2.0 compliance as measured by scim2-tester, against every SCIM server the mock serves.

Each server gets two runs:
- with IdP-shaped userNames (an email, in the org's domain where the vendor checks it): zero
  failures;
- with scim2-tester's own random userNames: the only extra failures are the vendor's
  documented userName rule rejecting them, which proves nothing else is hiding behind it.
"""

from __future__ import annotations

from collections.abc import Callable

from mockscim.app import create_app
from mockscim.scim.generic import add_generic_directory, mount_generic
from mockscim.testing.server import MockServer

from .conftest import problems, run_checker


def test_generic_rfc7644_mount_passes_every_check() -> None:
    app = create_app()
    mount_generic(app)
    with MockServer(app=app) as srv:
        path = add_generic_directory(app, "compliance", "compliance-token")
        results = run_checker(srv.url + path, "compliance-token")
    assert len(results) > 100
    assert problems(results) == []


def stytch_connection(server: MockServer) -> tuple[str, str]:
    client = server.stytch_client()
    org = client.organizations.create(
        organization_name="Compliance", organization_slug=f"compliance-{len(server.mock.journal)}"
    ).organization
    conn = client.scim.connection.create(
        organization_id=org.organization_id, display_name="scim2-tester", identity_provider="okta"
    ).connection
    return conn.base_url, conn.bearer_token


def test_stytch_scim_server_passes_with_idp_shaped_usernames(
    server: MockServer, idp_shaped_usernames: Callable[[str], None]
) -> None:
    server.reset()
    idp_shaped_usernames("acme.test")
    base_url, token = stytch_connection(server)
    results = run_checker(base_url, token)
    assert len(results) > 100
    assert len(results) > 100
    assert problems(results) == []


def test_stytch_scim_server_raw_failures_are_only_its_email_rule(server: MockServer) -> None:
    server.reset()
    base_url, token = stytch_connection(server)
    found = problems(run_checker(base_url, token))
    assert found, "scim2-tester's random userNames are not emails: Stytch must refuse them"
    for resource_type, check, reason in found:
        assert "needs an email address" in reason, (resource_type, check, reason)
