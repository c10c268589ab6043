"""A 405 says which methods the resource supports (RFC 9110 15.5.6 ``Allow``).

The shared error hook renders every routing error in the surface's own format; it used to
drop the ``Allow`` header werkzeug computes, so ``schemathesis run`` reported each wrong
method as ST204. SSOReady's ``exact`` profile sets its own (vanguard-go v0.2.0
transcoder.go ``resolveMethod``: ``Allow`` with the route's methods, plain-text body); the
hook keeps it as is.
"""

from __future__ import annotations

import pytest

from mockscim.app import create_app
from mockscim.settings import Settings

SETTINGS = Settings()
STYTCH_AUTH = (SETTINGS.stytch_project_id, SETTINGS.stytch_secret)


@pytest.mark.parametrize(
    ("profile", "path", "allowed", "content_type"),
    [
        (
            "exact",
            "/v1/b2b/scim/o/connection/c/rotate/start",
            {"POST", "OPTIONS"},
            "application/json",
        ),
        (
            "exact",
            "/v1/b2b/scim/o/connection",
            {"GET", "HEAD", "POST", "OPTIONS"},
            "application/json",
        ),
        ("rfc", "/v1/organizations", {"GET", "HEAD", "POST", "OPTIONS"}, "application/json"),
        ("exact", "/v1/organizations", {"GET", "POST"}, "text/plain"),
        ("exact", "/_mockscim/reset", {"POST", "OPTIONS"}, "application/json"),
    ],
)
def test_405_carries_allow(profile: str, path: str, allowed: set, content_type: str) -> None:
    client = create_app(Settings(ssoready_profile=profile)).test_client()
    r = client.open(path, method="TRACE", auth=STYTCH_AUTH)
    assert r.status_code == 405
    assert r.content_type.startswith(content_type)
    assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed
    assert len(r.headers.getlist("Allow")) == 1
