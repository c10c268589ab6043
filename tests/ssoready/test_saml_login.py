"""SAML logins: ``saml.get_saml_redirect_url`` -> the mock IdP page (or the control route) ->
``saml.redeem_saml_access_code``, as internal/store/saml.go and authservice ``samlAcs`` do."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import trustme
from ssoready.core.api_error import ApiError

from mockscim.settings import Settings
from mockscim.testing.server import MockServer


@pytest.fixture(scope="module", params=["exact", "rfc"])
def _server(request: pytest.FixtureRequest) -> Any:
    with MockServer(Settings(ssoready_profile=request.param)) as server:
        yield server


@pytest.fixture
def connection(client: Any) -> Any:
    org = client.management.organizations.create_organization(
        external_id="acme", domains=["acme.test"]
    ).organization
    return client.management.saml_connections.create_saml_connection(
        organization_id=org.id,
        primary=True,
        idp_redirect_url="https://idp.test/sso",
        idp_entity_id="https://idp.test/entity",
        idp_certificate=trustme.CA().cert_pem.bytes().decode(),
    ).saml_connection


def _login(server: MockServer, **body: Any) -> requests.Response:
    return requests.post(f"{server.url}/_mockscim/ssoready/saml-logins", json=body, timeout=10)


def test_redirect_login_redeem_once(server: MockServer, app_client: Any, connection: Any) -> None:
    redirect = app_client.saml.get_saml_redirect_url(
        organization_external_id="acme", state="return-to=/home"
    ).redirect_url
    assert redirect.startswith(f"{server.url}/v1/saml/{connection.id}/init?state=")
    done = _login(server, redirectUrl=redirect, email="ada@acme.test", attributes={"role": "admin"})
    assert done.status_code == 200, done.text
    code = done.json()["samlAccessCode"]
    assert code.startswith("saml_access_code_")
    redeemed = app_client.saml.redeem_saml_access_code(saml_access_code=code)
    assert (redeemed.email, redeemed.state, redeemed.attributes) == (
        "ada@acme.test",
        "return-to=/home",
        {"role": "admin"},
    )
    assert redeemed.organization_id == connection.organization_id
    assert redeemed.organization_external_id == "acme"
    assert redeemed.saml_flow_id == done.json()["samlFlowId"]
    # UpdateSAMLFlowRedeem clears the code's digest: a second redeem is NotFound.
    with pytest.raises(ApiError) as again:
        app_client.saml.redeem_saml_access_code(saml_access_code=code)
    assert again.value.status_code == 404
    assert again.value.body["message"] == "saml access code not found, or already used"


def test_the_login_page_redirects_with_the_code(
    server: MockServer, client: Any, connection: Any
) -> None:
    """The init URL is the mock IdP's page; its form posts to the ACS, which redirects (303)
    to the environment's redirect URL with only ``saml_access_code`` in its query."""
    env = requests.put(
        f"{server.url}/_mockscim/ssoready/environment",
        json={"redirectUrl": "https://app.test/callback?drop=me"},
        timeout=10,
    )
    assert env.status_code == 200
    redirect = client.saml.get_saml_redirect_url(saml_connection_id=connection.id).redirect_url
    # Seeding more data (a merge through a snapshot) keeps the pending login and the
    # redirect URL.
    server.ssoready.create_org("acme-scim", domains=["acme.test"], users=[])
    tenant = client.management.scim_directories.create_scim_directory(
        organization_id=connection.organization_id
    ).scim_directory
    token = client.management.scim_directories.rotate_scim_directory_bearer_token(
        id=tenant.id
    ).bearer_token
    provisioned = requests.post(
        tenant.scim_base_url + "/Users",
        json={"userName": "scim.user@acme.test", "active": True},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert provisioned.status_code == 201
    page = requests.get(redirect, timeout=10)
    assert page.status_code == 200 and "Log in" in page.text
    # DummyIDP offers its users: the organization's provisioned SCIM users are suggested.
    assert "<option value='scim.user@acme.test'>" in page.text
    state = parse_qs(urlsplit(redirect).query)["state"][0]
    acs = requests.post(
        f"{server.url}/v1/saml/{connection.id}/acs",
        data={"state": state, "email": "bob@acme.test", "attributes": "dept=eng"},
        allow_redirects=False,
        timeout=10,
    )
    assert acs.status_code == 303
    location = urlsplit(acs.headers["Location"])
    assert (location.netloc, location.path) == ("app.test", "/callback")
    (code,) = parse_qs(location.query)["saml_access_code"]
    assert client.saml.redeem_saml_access_code(saml_access_code=code).attributes == {"dept": "eng"}


def test_subject_outside_the_organization_domains_gets_no_code(
    server: MockServer, connection: Any
) -> None:
    refused = _login(server, samlConnectionId=connection.id, email="eve@evil.test")
    assert refused.status_code == 400
    assert "not from the list of allowed domains" in refused.json()["error"]


def test_redirect_errors(server: MockServer, client: Any, connection: Any) -> None:
    """store/saml.go GetSAMLRedirectURL: InvalidArgument for the selectors; a connection
    without a certificate is FailedPrecondition when named by id, and (upsertNotConfigured
    parses the empty samlConnectionId) code 2 when chosen by organization."""
    with pytest.raises(ApiError) as none:
        client.saml.get_saml_redirect_url()
    assert (none.value.status_code, none.value.body["code"]) == (400, 3)
    assert none.value.body["message"].startswith("one of saml_connection_id")
    org = connection.organization_id
    bare = client.management.saml_connections.create_saml_connection(
        organization_id=org, primary=True
    ).saml_connection
    with pytest.raises(ApiError) as by_id:
        client.saml.get_saml_redirect_url(saml_connection_id=bare.id)
    assert (by_id.value.status_code, by_id.value.body["code"]) == (400, 9)
    with pytest.raises(ApiError) as by_org:
        client.saml.get_saml_redirect_url(organization_id=org)
    if server.mock.settings.ssoready_profile == "exact":
        assert by_org.value.status_code == 500
        assert by_org.value.body["message"] == '"" does not have expected prefix "saml_conn_"'
    else:  # rfc: the FailedPrecondition the request deserves
        assert (by_org.value.status_code, by_org.value.body["code"]) == (400, 9)
    with pytest.raises(ApiError) as bad_code:
        client.saml.redeem_saml_access_code(saml_access_code="nope")
    assert (bad_code.value.status_code, bad_code.value.body["code"]) == (400, 3)


def _sdk_methods(client: Any) -> set[str]:
    """Every public method of the SDK's resource clients, by introspection."""
    m = client.management
    parts = [m.organizations, m.scim_directories, m.saml_connections, m.setup_urls]
    parts += [client.scim, client.saml]
    return {n for p in parts for n in dir(p) if not n.startswith("_") and callable(getattr(p, n))}


def test_every_sdk_method_runs(server: MockServer, client: Any, connection: Any) -> None:
    """All 20 operations of the SDK reach an emulated endpoint and parse (none is a 501)."""
    org_id = connection.organization_id
    m = client.management
    directory = m.scim_directories.create_scim_directory(
        organization_id=org_id, primary=True
    ).scim_directory
    user = server.ssoready.create_org("globex", users=1, groups=1)
    calls: dict[str, Any] = {
        "list_organizations": lambda: m.organizations.list_organizations(),
        "create_organization": lambda: m.organizations.create_organization(external_id="o"),
        "get_organization": lambda: m.organizations.get_organization(id=org_id),
        "update_organization": lambda: m.organizations.update_organization(
            id_=org_id, external_id="acme", domains=["acme.test"]
        ),
        "list_scim_directories": lambda: m.scim_directories.list_scim_directories(
            organization_id=org_id
        ),
        "create_scim_directory": lambda: m.scim_directories.create_scim_directory(
            organization_id=org_id
        ),
        "get_scim_directory": lambda: m.scim_directories.get_scim_directory(id=directory.id),
        "update_scim_directory": lambda: m.scim_directories.update_scim_directory(
            id_=directory.id, primary=True
        ),
        "rotate_scim_directory_bearer_token": lambda: (
            m.scim_directories.rotate_scim_directory_bearer_token(id=directory.id)
        ),
        "list_saml_connections": lambda: m.saml_connections.list_saml_connections(
            organization_id=org_id
        ),
        "create_saml_connection": lambda: m.saml_connections.create_saml_connection(
            organization_id=org_id
        ),
        "get_saml_connection": lambda: m.saml_connections.get_saml_connection(id=connection.id),
        "update_saml_connection": lambda: m.saml_connections.update_saml_connection(
            id_=connection.id, primary=True, idp_certificate=connection.idp_certificate
        ),
        "create_setup_url": lambda: m.setup_urls.create_setup_url(
            organization_id=org_id, can_manage_scim=True
        ),
        "list_scim_users": lambda: client.scim.list_scim_users(organization_id=org_id),
        "list_scim_groups": lambda: client.scim.list_scim_groups(organization_id=org_id),
        "get_scim_user": lambda: client.scim.get_scim_user(id=next(iter(user["users"].values()))),
        "get_scim_group": lambda: client.scim.get_scim_group(
            id=next(iter(user["groups"].values()))
        ),
        "get_saml_redirect_url": lambda: client.saml.get_saml_redirect_url(
            saml_connection_id=connection.id
        ),
        "redeem_saml_access_code": lambda: client.saml.redeem_saml_access_code(
            saml_access_code=_login(
                server, samlConnectionId=connection.id, email="a@acme.test"
            ).json()["samlAccessCode"]
        ),
    }
    assert set(calls) == _sdk_methods(client) and len(calls) == 20
    for name, call in calls.items():
        assert call() is not None, name


def test_access_codes_setup_tokens_and_admin_sessions_never_reach_the_journal(
    server: MockServer, app_client: Any, client: Any, connection: Any
) -> None:
    """The access code, the setup link's one-time token and the admin session it becomes are
    secrets: the journal (request and response bodies, paths, queries) holds none of them."""
    redirect = app_client.saml.get_saml_redirect_url(saml_connection_id=connection.id)
    code = _login(server, redirectUrl=redirect.redirect_url, email="ada@acme.test").json()
    app_client.saml.redeem_saml_access_code(saml_access_code=code["samlAccessCode"])
    again = app_client.saml.get_saml_redirect_url(saml_connection_id=connection.id)
    state = parse_qs(urlsplit(again.redirect_url).query)["state"][0]
    page = requests.post(
        f"{server.url}/v1/saml/{connection.id}/acs",
        data={"state": state, "email": "ada@acme.test"},
        timeout=10,
    )
    on_page = page.text.split("saml-access-code'>")[1].split("<")[0]
    assert (
        app_client.saml.redeem_saml_access_code(saml_access_code=on_page).email == "ada@acme.test"
    )
    url = client.management.setup_urls.create_setup_url(
        organization_id=connection.organization_id, can_manage_saml=True
    ).url
    one_time = parse_qs(urlsplit(url).query)["one-time-token"][0]
    session = requests.post(
        f"{server.url}/ssoready.v1.SSOReadyService/AdminRedeemOneTimeToken",
        json={"oneTimeToken": one_time},
        timeout=10,
    ).json()["adminSessionToken"]
    listed = requests.post(
        f"{server.url}/ssoready.v1.SSOReadyService/AdminListSAMLConnections",
        json={},
        headers={"Authorization": f"Bearer {session}"},
        timeout=10,
    )
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["samlConnections"]] == [connection.id]
    requests.get(url, timeout=10)  # the page itself, token in the query
    journal = repr([vars(e) for e in server.mock.journal.entries()])
    for secret in (code["samlAccessCode"], on_page, one_time, session):
        assert secret not in journal


def test_the_control_handle_logs_in_without_a_browser(
    server: MockServer, app_client: Any, connection: Any
) -> None:
    """``mockscim.ssoready.saml_login`` and ``set_redirect_url``: the same handle in pytest,
    ``MockServer`` and ``Control``."""
    server.ssoready.set_redirect_url("https://app.test/sso/callback")
    redirect = app_client.saml.get_saml_redirect_url(
        saml_connection_id=connection.id, state="s1"
    ).redirect_url
    done = server.ssoready.saml_login(
        redirect, email="grace@acme.test", attributes={"groups": "eng"}
    )
    assert done["redirectUrl"] == (
        "https://app.test/sso/callback?saml_access_code=" + done["samlAccessCode"]
    )
    redeemed = app_client.saml.redeem_saml_access_code(saml_access_code=done["samlAccessCode"])
    assert (redeemed.email, redeemed.state, redeemed.attributes) == (
        "grace@acme.test",
        "s1",
        {"groups": "eng"},
    )
    idp_initiated = server.ssoready.saml_login(
        saml_connection_id=connection.id, email="ada@acme.test"
    )
    assert (
        app_client.saml.redeem_saml_access_code(
            saml_access_code=idp_initiated["samlAccessCode"]
        ).state
        == ""
    )


def test_pending_logins_are_bounded(
    server: MockServer, client: Any, connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mockscim keeps at most ``MAX_FLOWS`` logins (oldest dropped): no unbounded growth."""
    from mockscim.vendors.ssoready import saml

    monkeypatch.setattr(saml, "MAX_FLOWS", 3)
    urls = [
        client.saml.get_saml_redirect_url(saml_connection_id=connection.id).redirect_url
        for _ in range(5)
    ]
    assert _login(server, redirectUrl=urls[0], email="a@acme.test").status_code == 404
    assert _login(server, redirectUrl=urls[4], email="a@acme.test").status_code == 200
    with server.mock.store.lock:
        assert len(server.mock.store.vendor("ssoready").saml_flows) == 3


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/_mockscim/ssoready/saml-logins", {"json": {"email": 5}}, 400),
        (
            "POST",
            "/_mockscim/ssoready/saml-logins",
            {"json": {"email": "a", "attributes": [1]}},
            400,
        ),
        (
            "POST",
            "/_mockscim/ssoready/saml-logins",
            {"json": {"email": "a", "redirectUrl": "x"}},
            404,
        ),
        ("POST", "/_mockscim/ssoready/saml-logins", {"json": [1]}, 400),
        (
            "POST",
            "/_mockscim/ssoready/saml-logins",
            {"json": {"email": "a", "samlConnectionId": 7}},
            404,
        ),
        ("PUT", "/_mockscim/ssoready/environment", {"json": {"redirectUrl": 5}}, 400),
        ("PUT", "/_mockscim/ssoready/environment", {"json": {"redirectUrl": "javascript:x"}}, 400),
        ("POST", "/ssoready.v1.SSOReadyService/AdminRedeemOneTimeToken", {"json": [1]}, 400),
        ("POST", "/ssoready.v1.SSOReadyService/AdminRedeemOneTimeToken", {"data": "[" * 5000}, 400),
        (
            "POST",
            "/ssoready.v1.SSOReadyService/AdminRedeemOneTimeToken",
            {"json": {"oneTimeToken": 3}},
            400,
        ),
        (
            "POST",
            "/ssoready.v1.SSOReadyService/AdminListSAMLConnections",
            {"headers": {"Authorization": "Bearer zz"}},
            500,
        ),
        ("GET", "/v1/saml/saml_conn_x/init", {"params": {"state": "%%%"}}, 404),
        ("POST", "/v1/saml/saml_conn_x/acs", {"data": {"state": "\u00ff"}}, 404),
    ],
)
def test_hostile_input_on_the_login_and_setup_surfaces(
    server: MockServer, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    """Each answers in its surface's own format with the status SSOReady (or, for the control
    routes, mockscim) gives; never an unintended 500 (the server-error check of the fixture)."""
    r = requests.request(method, server.url + path, timeout=10, **kwargs)
    assert r.status_code == status, r.text
    assert not server.mock.take_server_errors()


def test_acs_with_a_forged_state_is_refused(server: MockServer, connection: Any) -> None:
    r = requests.post(
        f"{server.url}/v1/saml/{connection.id}/acs",
        data={"state": "Zm9yZ2Vk", "email": "a@acme.test"},
        timeout=10,
    )
    assert (r.status_code, r.text) == (400, "invalid saml request id\n")
