"""scim2-tester against an SSOReady SCIM directory (see test_scim2_tester.py for the method).

It runs against the ``rfc`` profile, the one meant for conformance tools. SSOReady's own
server (the default ``exact`` profile) has no discovery endpoints, so scim2-tester stops there:
the last test pins that down."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from scim2_client.errors import UnexpectedStatusCodeException

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .conftest import problems, run_checker

#: check -> why SSOReady really behaves so (docs/idp.md, scim2-tester table).
JUSTIFIED: dict[str, str] = {}


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    """The ``rfc`` profile: SSOReady's rules on an RFC 7644 server, for conformance tools."""
    with MockServer(Settings(ssoready_profile="rfc")) as srv:
        yield srv


def ssoready_directory(server: MockServer, domain: str) -> tuple[str, str]:
    client = server.ssoready_client()
    org = client.management.organizations.create_organization(
        external_id="compliance", domains=[domain]
    ).organization
    directory = client.management.scim_directories.create_scim_directory(
        organization_id=org.id, primary=True
    ).scim_directory
    token = client.management.scim_directories.rotate_scim_directory_bearer_token(
        id=directory.id
    ).bearer_token
    base_url = client.management.scim_directories.get_scim_directory(
        id=directory.id
    ).scim_directory.scim_base_url
    return base_url, token


def test_ssoready_scim_server_passes_with_idp_shaped_usernames(
    server: MockServer, idp_shaped_usernames: Callable[[str], None]
) -> None:
    server.reset()
    idp_shaped_usernames("acme.test")
    base_url, token = ssoready_directory(server, "acme.test")
    results = run_checker(base_url, token)
    assert len(results) > 100
    found = problems(results)
    assert [p for p in found if p[1] not in JUSTIFIED] == []
    assert {p[1] for p in found} == set(JUSTIFIED)


def test_ssoready_scim_server_raw_failures_are_only_its_username_rule(server: MockServer) -> None:
    server.reset()
    base_url, token = ssoready_directory(server, "acme.test")
    found = [p for p in problems(run_checker(base_url, token)) if p[1] not in JUSTIFIED]
    assert found, "scim2-tester's random userNames are not emails: SSOReady must refuse them"
    # SSOReady answers that refusal in plain text (http.Error in scim.go), so scim2-tester
    # sees "400 without a SCIM error"; the journal shows every 400 was that refusal.
    for resource_type, check, reason in found:
        assert reason == "The server answered 400 without a SCIM error", (resource_type, check)
    refused = server.mock.journal.entries(status=400)
    assert refused
    for entry in refused:
        assert (entry.method, entry.path.rsplit("/", 1)[-1]) == ("POST", "Users")
        assert "userName is not a valid email address" in str(entry.response_body)


def test_exact_profile_stops_scim2_tester_at_discovery() -> None:
    """ssoready/ssoready c33d0e0 ``internal/authservice/service.go`` ``NewHandler`` routes no
    ``/ServiceProviderConfig``, ``/Schemas`` or ``/ResourceTypes``: gorilla's plain-text 404,
    so a discovery-first client cannot start."""
    with MockServer(Settings(ssoready_profile="exact")) as server:
        base_url, token = ssoready_directory(server, "acme.test")
        with pytest.raises(UnexpectedStatusCodeException) as raised:
            run_checker(base_url, token)
        paths = [e.path for e in server.mock.journal.entries(surface="ssoready-scim")]
        assert paths and all(
            p.rsplit("/", 1)[-1] in {"ServiceProviderConfig", "Schemas", "ResourceTypes"}
            for p in paths
        )
        assert {e.status for e in server.mock.journal.entries(surface="ssoready-scim")} == {404}
    assert "answered 404 without a SCIM error" in str(raised.value)
