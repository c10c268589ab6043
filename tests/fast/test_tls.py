"""HTTPS: the official Stytch SDK (whose ``custom_base_url`` must be https) through a whole
rotation against ``MockServer(tls=True)``, trusting the generated CA; and ``serve --tls``."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import stytch

from mockscim import MockServer
from tests.serve_helper import serve


@pytest.fixture(scope="module")
def tls_server() -> Iterator[MockServer]:
    with MockServer(tls=True) as srv:
        yield srv


def test_stytch_sdk_rotation_over_https_with_the_test_ca(
    tls_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tls_server.url.startswith("https://127.0.0.1:")
    assert tls_server.ca_path
    assert Path(tls_server.ca_path).read_text().startswith("-----BEGIN CERT")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_server.ca_path)
    client = stytch.B2BClient(
        project_id=tls_server.settings.stytch_project_id,
        secret=tls_server.settings.stytch_secret,
        custom_base_url=tls_server.url + "/",
    )
    org = client.organizations.create(organization_name="Acme").organization
    conn = client.scim.connection.create(organization_id=org.organization_id).connection
    assert conn.base_url == f"{tls_server.url}/v1/b2b/scim/{conn.connection_id}"
    old = conn.bearer_token
    new = client.scim.connection.rotate_start(
        organization_id=org.organization_id, connection_id=conn.connection_id
    ).connection.next_bearer_token

    def status(token: str) -> int:
        return requests.get(
            conn.base_url + "/Users", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).status_code

    assert status(new) == 200
    client.scim.connection.rotate_complete(
        organization_id=org.organization_id, connection_id=conn.connection_id
    )
    assert (status(old), status(new)) == (401, 200)


def test_without_the_ca_verification_fails(
    tls_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_server.url + "/_mockscim/health", timeout=10)
    ok = requests.get(tls_server.url + "/_mockscim/health", verify=tls_server.ca_path, timeout=10)
    assert ok.json() == {"status": "ok"}


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_tls_prints_the_ca_and_stops_on_both_signals(stop: signal.Signals) -> None:
    with serve("--tls") as served:
        assert served.url.startswith("https://")
        lines = [served.first_line]
        while "test CA:" not in lines[-1]:
            lines.append(served.readline())
            assert lines[-1], "the banner ended without the test CA line"
        ca = re.search(r"test CA: (\S+)", lines[-1]).group(1)  # type: ignore[union-attr]
        assert requests.get(served.url + "/_mockscim/health", verify=ca, timeout=10).ok
        returncode = served.stop(stop)
    assert returncode == 0, served.err
    assert "mockscim stopped" in served.out and "Traceback" not in served.err


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("server", ["waitress", "werkzeug"])
def test_serve_stops_cleanly_on_both_signals(server: str, stop: signal.Signals) -> None:
    with serve("--server", server, quiet=False) as served:
        url = served.url
        assert requests.get(url + "/_mockscim/health", timeout=10).status_code == 200
        requests.get(url + "/v1/b2b/organizations/x?access_token=secret-in-query", timeout=10)
        returncode = served.stop(stop)
    assert returncode == 0, served.err
    assert "mockscim stopped" in served.out and "Traceback" not in served.err
    log = served.out + served.err
    assert "/v1/b2b/organizations/x" in log  # one line per request unless --quiet
    assert "secret-in-query" not in log
