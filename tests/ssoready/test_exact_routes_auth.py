"""Routes and authentication of the ``exact`` profile's SCIM server (ssoready/ssoready
c33d0e0 ``internal/authservice/service.go`` ``NewHandler`` on gorilla/mux v1.8.1, and
``internal/authservice/scim.go`` ``scimMiddleware``)."""

from __future__ import annotations

import pytest
import requests

from mockscim.testing.server import MockServer

from .conftest import Tenant, make_tenant, user_body

PAGE_NOT_FOUND = "404 page not found\n"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/ServiceProviderConfig"),
        ("GET", "/Schemas"),
        ("GET", "/ResourceTypes"),
        ("POST", "/.search"),
        ("GET", "/users"),
        ("GET", "/Users/"),
    ],
)
def test_no_discovery_routes(profile: str, ptenant: Tenant, method: str, path: str) -> None:
    """service.go ``NewHandler`` registers only /Users and /Groups; gorilla answers any other
    path with ``http.NotFoundHandler()``'s plain text. ``rfc``: RFC 7644 discovery."""
    r = ptenant.scim(method, path, {} if method == "POST" else None)
    if profile == "exact":
        assert r.status_code == 404 and r.text == PAGE_NOT_FOUND
        assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    elif path in ("/ServiceProviderConfig", "/Schemas", "/ResourceTypes"):
        assert r.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/Users/.search"), ("PUT", "/Users"), ("POST", "/Groups/x"), ("HEAD", "/Users")],
)
def test_wrong_method_is_405_with_nothing(xtenant: Tenant, method: str, path: str) -> None:
    """gorilla/mux ``methodNotAllowed``: ``w.WriteHeader(405)``, no body, no ``Allow``;
    ``POST /Users/.search`` matches ``/Users/{scim_user_id}``, which has no POST."""
    r = xtenant.scim(method, path)
    assert r.status_code == 405 and r.content == b""
    assert "Allow" not in r.headers and "Content-Type" not in r.headers


def test_token_is_trim_prefix_bearer(profile: str, ptenant: Tenant) -> None:
    """scim.go ``scimMiddleware``: ``strings.TrimPrefix(h, "Bearer ")``: the raw token without
    a scheme is accepted and ``bearer`` (lower case) is not. ``rfc``: the scheme is required
    and matched case-insensitively."""
    raw = ptenant.scim("GET", "/Users", authorization=str(ptenant.token))
    lower = ptenant.scim("GET", "/Users", authorization=f"bearer {ptenant.token}")
    if profile == "exact":
        assert raw.status_code == 200
        assert lower.status_code == 401 and lower.text == "invalid bearer token\n"
        assert lower.headers["Content-Type"] == "text/plain; charset=utf-8"
    else:
        assert raw.status_code == 401
        assert lower.status_code == 200


def test_unknown_directory_is_404_before_the_token(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimMiddleware``: ``AuthCheckSCIMDirectoryExists`` first, plain-text 404."""
    url = xtenant.base_url.rsplit("/", 1)[0] + "/scim_directory_0000000000000000000000000"
    r = requests.get(url + "/Users", timeout=10)
    assert r.status_code == 404 and r.text == "scim directory not found\n"


@pytest.mark.parametrize(
    "directory_id",
    ["scim_directory_abc", "scim_directory_000000000000000000000000A", "org_x"],
)
def test_malformed_directory_id_crashes(xtenant: Tenant, directory_id: str) -> None:
    """scim.go ``scimMiddleware``: a ``prettyuuid`` parse error is not
    ``ErrNoSuchSCIMDirectory``, so ``panic(err)``."""
    url = xtenant.base_url.rsplit("/", 1)[0] + f"/{directory_id}/Users"
    with pytest.raises(requests.ConnectionError):
        requests.get(url, headers={"Authorization": f"Bearer {xtenant.token}"}, timeout=10)


@pytest.mark.parametrize("raw", [b"[1]", b'"x"', b"{not json"])
def test_a_body_that_is_not_an_object_crashes_before_the_token(xtenant: Tenant, raw: bytes) -> None:
    """scim.go ``scimMiddleware``: ``json.Unmarshal`` of the body into a ``structpb.Struct``
    fails and the middleware panics, before the bearer token is looked at."""
    xtenant.crashes("POST", "/Users", raw=raw, authorization="nonsense")


def test_a_directory_without_a_token_refuses_everything(exact: MockServer) -> None:
    """store ``AuthSCIMVerifyBearerToken``: a directory never rotated has no hash to match."""
    tenant = make_tenant(exact.ssoready_client(), token=False)
    r = tenant.scim("POST", "/Users", user_body("ada@acme.test"), authorization="")
    assert r.status_code == 401 and r.text == "invalid bearer token\n"
