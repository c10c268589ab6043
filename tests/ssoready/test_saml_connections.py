"""SAML connections through the official SDK (``management.saml_connections.*``), as
``internal/store/saml_connections_mgmt.go`` stores and answers them: ids, SP fields derived
from the id, the certificate re-encoded as PEM, primary rules, code-2 errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
import trustme
from ssoready.core.api_error import ApiError

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

ID = r"[0-9a-z]{25}"


@pytest.fixture(scope="module", params=["exact", "rfc"])
def _server(request: pytest.FixtureRequest) -> Any:
    with MockServer(Settings(ssoready_profile=request.param)) as server:
        yield server


@pytest.fixture(scope="module")
def cert_pem() -> str:
    return trustme.CA().cert_pem.bytes().decode()


def _org(client: Any) -> Any:
    return client.management.organizations.create_organization(
        external_id="acme", domains=["acme.test"]
    ).organization


def test_create_get_update_list(server: MockServer, client: Any, cert_pem: str) -> None:
    """CreateSAMLConnection: ``saml_conn_`` ids; spEntityId/spAcsUrl on the auth URL; the
    certificate answered as Go's pem.EncodeToMemory writes it."""
    conns = client.management.saml_connections
    org = _org(client)
    noisy = "leading text\n" + cert_pem.replace("\n", "\r\n")  # pem.Decode skips both
    created = conns.create_saml_connection(
        organization_id=org.id,
        primary=True,
        idp_redirect_url="https://idp.test/sso",
        idp_entity_id="https://idp.test/entity",
        idp_certificate=noisy,
    ).saml_connection
    assert re.fullmatch(f"saml_conn_{ID}", created.id)
    assert created.sp_entity_id == f"{server.url}/v1/saml/{created.id}"
    assert created.sp_acs_url == f"{server.url}/v1/saml/{created.id}/acs"
    assert created.idp_certificate == cert_pem  # re-encoded: 64-character lines, LF
    assert conns.get_saml_connection(id=created.id).saml_connection == created

    # UpdateSAMLConnection replaces the IdP fields: an absent certificate clears it.
    updated = conns.update_saml_connection(
        id_=created.id, primary=True, idp_entity_id="e2"
    ).saml_connection
    assert (updated.idp_entity_id, updated.idp_redirect_url, updated.idp_certificate) == (
        "e2",
        "",
        "",
    )
    assert updated.sp_entity_id == created.sp_entity_id
    listed = conns.list_saml_connections(organization_id=org.id)
    assert [c.id for c in listed.saml_connections] == [created.id]
    assert listed.next_page_token == ""


def test_one_primary_per_organization(client: Any) -> None:
    """UpdatePrimarySAMLConnection: a new primary demotes the others; updating to
    ``primary: false`` leaves the organization without one."""
    conns = client.management.saml_connections
    org = _org(client)
    first = conns.create_saml_connection(organization_id=org.id, primary=True).saml_connection
    second = conns.create_saml_connection(organization_id=org.id, primary=True).saml_connection
    assert conns.get_saml_connection(id=first.id).saml_connection.primary is False
    assert conns.get_saml_connection(id=second.id).saml_connection.primary is True
    conns.update_saml_connection(id_=second.id, primary=False)
    listed = conns.list_saml_connections(organization_id=org.id).saml_connections
    assert [c.primary for c in listed] == [False, False]


def test_list_pages_by_ten_in_id_order(client: Any) -> None:
    conns = client.management.saml_connections
    org = _org(client)
    ids = [
        conns.create_saml_connection(organization_id=org.id).saml_connection.id for _ in range(11)
    ]
    first = conns.list_saml_connections(organization_id=org.id)
    second = conns.list_saml_connections(organization_id=org.id, page_token=first.next_page_token)
    assert len(first.saml_connections) == 10 and second.next_page_token == ""
    assert [c.id for c in first.saml_connections + second.saml_connections] == sorted(ids)


@pytest.mark.parametrize(
    ("call", "message", "rfc"),
    [
        (
            lambda c, org: c.management.saml_connections.create_saml_connection(
                organization_id=org, idp_certificate="not a pem"
            ),
            "idp certificate must be a PEM-encoded CERTIFICATE block",
            (400, 3),
        ),
        (
            lambda c, org: c.management.saml_connections.create_saml_connection(
                organization_id=org,
                idp_certificate="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            ),
            "parse idp certificate: x509: malformed certificate",
            (400, 3),
        ),
        (
            lambda c, org: c.management.saml_connections.create_saml_connection(),
            '"" does not have expected prefix "org_"',
            (400, 3),
        ),
        (
            lambda c, org: c.management.saml_connections.get_saml_connection(id="saml_conn_x"),
            '"saml_conn_x" does not have expected length 35',
            (404, 5),
        ),
        (
            lambda c, org: c.management.saml_connections.get_saml_connection(
                id="saml_conn_" + "0" * 25
            ),
            "no rows in result set",
            (404, 5),
        ),
        (
            lambda c, org: c.management.saml_connections.update_saml_connection(
                id_="saml_conn_" + "0" * 25
            ),
            "get saml connection: no rows in result set",
            (404, 5),
        ),
        (
            lambda c, org: c.management.saml_connections.list_saml_connections(),
            '"" does not have expected prefix "org_"',
            (400, 3),
        ),
    ],
)
def test_store_errors_are_code_2(
    server: MockServer, client: Any, call: Any, message: str, rfc: tuple[int, int]
) -> None:
    """Every failure in store/saml_connections_mgmt.go is a plain error: code 2, HTTP 500
    (``exact``); the ``rfc`` profile answers the 400/404 the request deserves. Nothing is
    stored."""
    org = _org(client)
    with pytest.raises(ApiError) as caught:
        call(client, org.id)
    if server.mock.settings.ssoready_profile == "exact":
        assert caught.value.status_code == 500
        assert caught.value.body == {"code": 2, "message": message, "details": []}
    else:
        assert (caught.value.status_code, caught.value.body["code"]) == rfc
    listed = client.management.saml_connections.list_saml_connections(organization_id=org.id)
    assert listed.saml_connections in (None, [])


def test_app_key_cannot_manage_connections(server: MockServer) -> None:
    with pytest.raises(ApiError) as caught:
        server.ssoready_client(app_key=True).management.saml_connections.list_saml_connections(
            organization_id="org_x"
        )
    assert caught.value.status_code == 401


def test_connections_survive_a_snapshot(server: MockServer, client: Any, cert_pem: str) -> None:
    """SAML connections are part of the state snapshot (certificates are public)."""
    org = _org(client)
    created = client.management.saml_connections.create_saml_connection(
        organization_id=org.id, primary=True, idp_certificate=cert_pem
    ).saml_connection
    snapshot = server.state.snapshot()
    server.reset()
    with pytest.raises(ApiError):
        client.management.saml_connections.get_saml_connection(id=created.id)
    server.state.restore(snapshot)
    assert (
        client.management.saml_connections.get_saml_connection(id=created.id).saml_connection
        == created
    )
