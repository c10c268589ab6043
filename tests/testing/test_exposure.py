"""The control plane as an attacker or a neighbour meets it: a control token, Host checks
against DNS rebinding, JSON-only writes against cross-site simple POSTs, the index and the
info endpoint, and the one clear error for fixed ports/URLs under pytest-xdist."""

from __future__ import annotations

import pytest

from mockscim.app import create_app
from mockscim.control.client import Control, ControlError
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from mockscim.testing.server import MockServer

TOKEN = "let-me-in-0123456789"


def _app(**settings: object):  # type: ignore[no-untyped-def]
    app = create_app(Settings(**settings))  # type: ignore[arg-type]
    mock_of(app).open()
    return app


def test_info_reports_every_vendor_credential_without_its_prefix():
    app = _app(stytch_secret="s3", ssoready_api_key="ssoready_sk_k", control_token=TOKEN)
    body = app.test_client().get("/_mockscim/info", headers={"X-Mockscim-Control-Token": TOKEN})
    assert body.status_code == 200
    assert body.json == {
        "version": body.json["version"],
        "stytch": {"project_id": Settings().stytch_project_id, "secret": "s3"},
        "ssoready": {"api_key": "ssoready_sk_k", "app_key": Settings().ssoready_app_key},
        "profiles": {"ssoready": "exact"},
        "control_token_required": True,
    }


@pytest.mark.parametrize("path", ["/", "/_mockscim/"])
def test_root_and_control_root_answer_an_index(path):
    client = _app().test_client()
    response = client.get(path)
    assert response.status_code == 200
    body = response.json
    names = {s["name"] for s in body["surfaces"]}
    assert {"stytch", "stytch-scim", "ssoready", "ssoready-scim"} <= names
    assert "GET|PUT /_mockscim/state" in body["control"]["endpoints"]
    # The index does not shadow a vendor route below it.
    assert client.get("/v1/b2b/organizations/x").status_code == 401


def test_control_token_is_required_except_for_health():
    client = _app(control_token=TOKEN).test_client()
    refused = client.get("/_mockscim/state")
    assert refused.status_code == 401 and "X-Mockscim-Control-Token" in refused.json["error"]
    wrong = client.get("/_mockscim/state", headers={"X-Mockscim-Control-Token": "nope"})
    assert wrong.status_code == 401
    assert client.get("/_mockscim/health").status_code == 200
    ok = client.get("/_mockscim/state", headers={"X-Mockscim-Control-Token": TOKEN})
    assert ok.status_code == 200


def test_every_client_sends_the_control_token():
    settings = Settings(control_token=TOKEN)
    with MockServer(settings) as server:
        server.stytch.create_org("Acme", users=1)  # through the in-process transport
        assert server.state.stats()["users"] == 1
        remote = Control(server.url, settings=settings)  # through HTTP
        assert remote.reset(empty=True)["users"] == 0
        with pytest.raises(ControlError) as refused:
            Control(server.url).state.snapshot()
        assert refused.value.status == 401


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("localhost:8765", 200),
        ("127.0.0.1:8765", 200),
        ("[::1]:8765", 200),
        ("app.localhost", 200),
        ("10.1.2.3:8765", 200),
        ("attacker.example", 403),
        ("attacker.example:8765", 403),
    ],
)
def test_control_plane_refuses_a_foreign_host_name(host, status):
    """DNS rebinding: a page on attacker.example that resolves to 127.0.0.1 sends its own
    name as Host; IP literals and loopback names are this machine."""
    client = _app().test_client()
    assert client.get("/_mockscim/state", headers={"Host": host}).status_code == status


def test_allow_host_and_public_url_admit_their_names():
    allowed = _app(allowed_hosts=("mock.internal",)).test_client()
    assert allowed.get("/_mockscim/state", headers={"Host": "mock.internal:80"}).status_code == 200
    public = _app(public_url="https://scim.example.com/").test_client()
    assert public.get("/_mockscim/state", headers={"Host": "scim.example.com"}).status_code == 200
    # Vendor surfaces are not the control plane: their Host is never checked.
    assert public.get("/v1/organizations", headers={"Host": "other.example"}).status_code == 401


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_control_writes_need_json(content_type):
    """A cross-site page can POST text/plain or a form without a preflight, never JSON."""
    app = _app(scenario="demo")
    client = app.test_client()
    before = mock_of(app).store.stats()
    kwargs = {"data": '{"empty": true}'}
    if content_type:
        kwargs["content_type"] = content_type
    response = client.post("/_mockscim/reset", **kwargs)
    assert response.status_code == 415
    assert mock_of(app).store.stats() == before
    assert client.post("/_mockscim/reset", json={"empty": True}).status_code == 200


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile("def test_x(mockscim):\n    assert mockscim.url\n")
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", *args)


@pytest.mark.parametrize(
    "args", [("--mockscim-port=8799",), ("--mockscim-url=http://127.0.0.1:1",)]
)
def test_fixed_port_or_url_under_xdist_is_one_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    result = _run(pytester, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "cannot be used with pytest-xdist" in result.stderr.str()


def test_xdist_worker_without_fixed_options_runs_its_own_server(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    _run(pytester).assert_outcomes(passed=1)
