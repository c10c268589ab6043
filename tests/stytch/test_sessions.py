"""Stytch B2B Sessions, through the official ``stytch`` SDK: ``sessions.authenticate``, ``get``,
``revoke``, ``exchange``, ``get_jwks`` and the SDK's local ``authenticate_jwt``.

Vendor sources: OAS ``/v1/b2b/sessions/*`` (stytchauth/stytch-openapi ``openapi.yml``:
``api_b2b_session_v1_Authenticate`` "requires either a session_jwt or session_token ... an error
if both are present", "If the session_duration_minutes is not specified, a Session will not be
extended", "You may provide a JWT that ... is expired according to its exp claim. A new JWT will
be returned if both the signature and the underlying Session are still valid";
``api_b2b_session_v1_Revoke``; ``api_b2b_session_v1_MemberSession``; ``api_session_v1_JWK``);
stytch-python ``b2b/api/sessions.py`` (``authenticate`` docstring: 5..527040 minutes, default 60,
"the session_jwt will have a fixed lifetime of five minutes", reserved custom claims;
``_authenticate_jwt_local_common``: the ``https://stytch.com/session`` and
``https://stytch.com/organization`` claims) and ``shared/jwt_helpers.py``
(``_authenticate_jwt_local``: RS256, audience project_id, issuer ``stytch.com/{project_id}``,
``max_token_age_seconds``); the error catalogue (``session_not_found``,
``no_session_arguments``, ``too_many_session_arguments``, ``no_session_revoke_arguments``,
``too_many_session_revoke_arguments``, ``invalid_session_duration_minutes``,
``unable_to_parse_session_jwt``, ``jwt_invalid_audience``).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import jwt as pyjwt
import pytest
import requests
from stytch.core.response_base import StytchError

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers
from mockscim.vendors.stytch import session_jwt

SESSION = "https://stytch.com/session"
ORG = "https://stytch.com/organization"


@pytest.fixture
def acme(server: MockServer) -> dict[str, Any]:
    """Acme with a SCIM connection and Ada provisioned by the IdP."""
    org = server.stytch.create_org("Acme", "acme", domains=["acme.test"])
    auth = {"Authorization": f"Bearer {org['bearer_token']}"}
    user = {"userName": "ada@acme.test", "emails": [{"value": "ada@acme.test", "primary": True}]}
    created = requests.post(org["base_url"] + "/Users", json=user, headers=auth, timeout=10)
    assert created.status_code == 201, created.text
    org["auth"] = auth
    org["ada"] = created.json()["id"]
    return org


def claims_of(server: MockServer, jwt: str) -> dict[str, Any]:
    """Verified with PyJWT against the JWKS the mock serves (no credentials, as PyJWKClient
    fetches it)."""
    project = server.settings.stytch_project_id
    jwks = pyjwt.PyJWKClient(f"{server.url}/v1/b2b/sessions/jwks/{project}")
    key = jwks.get_signing_key_from_jwt(jwt)
    return pyjwt.decode(
        jwt, key.key, algorithms=["RS256"], audience=project, issuer=f"stytch.com/{project}"
    )


def stytch_error(call: Any) -> Any:
    with pytest.raises(StytchError) as info:
        call()
    return info.value.details


def test_login_mints_stytch_shaped_token_and_signed_jwt(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    login = server.stytch.login("ada@acme.test")
    assert re.fullmatch(r"[A-Za-z0-9_-]{44}", login["session_token"])
    claims = claims_of(server, login["session_jwt"])
    project = server.settings.stytch_project_id
    assert claims["sub"] == acme["ada"] == login["member_id"]
    assert claims["aud"] == [project] and claims["iss"] == f"stytch.com/{project}"
    assert claims["exp"] - claims["iat"] == 300 and claims["nbf"] == claims["iat"]
    session = claims[SESSION]
    assert session["id"] == login["member_session_id"]
    assert session["roles"] == ["stytch_member"]
    assert session["authentication_factors"][0]["type"] == "magic_link"
    assert claims[ORG] == {"organization_id": acme["organization_id"], "slug": "acme"}

    resp = client.sessions.authenticate(session_token=login["session_token"])
    assert resp.member_session.member_session_id == login["member_session_id"]
    assert resp.member_session.organization_slug == "acme"
    assert resp.member.email_address == "ada@acme.test"
    assert resp.organization.organization_id == acme["organization_id"]
    assert resp.session_token == login["session_token"]
    assert claims_of(server, resp.session_jwt)[SESSION]["id"] == login["member_session_id"]


def test_jwks_is_public_and_complete(server: MockServer, client: Any) -> None:
    project = server.settings.stytch_project_id
    raw = requests.get(f"{server.url}/v1/b2b/sessions/jwks/{project}", timeout=10)
    assert raw.status_code == 200  # no Authorization header: PyJWKClient sends none
    (key,) = raw.json()["keys"]
    assert set(key) == {"kty", "use", "key_ops", "alg", "kid", "x5c", "x5tS256", "n", "e"}
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    # The certificate in x5c holds the same public key as n/e.
    from cryptography import x509

    cert = x509.load_der_x509_certificate(base64.b64decode(key["x5c"][0]))
    n = int.from_bytes(base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4)), "big")
    assert cert.public_key().public_numbers().n == n
    assert client.sessions.get_jwks(project_id=project).keys[0].kid == key["kid"]
    other = requests.get(f"{server.url}/v1/b2b/sessions/jwks/project-test-other", timeout=10)
    assert other.status_code == 404 and other.json()["error_type"] == "project_not_found"


def test_joserfc_verifies_with_the_served_jwks(server: MockServer, acme: dict[str, Any]) -> None:
    """A second, independent JOSE library (joserfc, as apps that do not use the SDK verify)
    accepts the served key set and the JWT's claims; stytch-node's ``jose`` does too (notes)."""
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet

    project = server.settings.stytch_project_id
    keys = requests.get(f"{server.url}/v1/b2b/sessions/jwks/{project}", timeout=10).json()["keys"]
    login = server.stytch.login("ada@acme.test")
    token = jose_jwt.decode(login["session_jwt"], KeySet.import_key_set({"keys": keys}))
    assert token.header["alg"] == "RS256" and token.header["kid"] == keys[0]["kid"]
    claims_registry = jose_jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": f"stytch.com/{project}"},
        aud={"essential": True, "value": project},
        sub={"essential": True, "value": acme["ada"]},
    )
    claims_registry.validate(token.claims)
    assert token.claims[SESSION]["id"] == login["member_session_id"]


def test_authenticate_touches_and_extends_on_the_mock_clock(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    server.clock.freeze("2030-01-01T00:00:00Z")
    login = server.stytch.login("ada@acme.test", session_duration_minutes=30)
    assert login["member_session"]["expires_at"] == "2030-01-01T00:30:00Z"
    server.clock.advance(minutes=10)
    same = client.sessions.authenticate(session_token=login["session_token"]).member_session
    assert same.expires_at.isoformat() == "2030-01-01T00:30:00+00:00"  # not extended
    assert same.last_accessed_at.isoformat() == "2030-01-01T00:10:00+00:00"
    longer = client.sessions.authenticate(
        session_token=login["session_token"], session_duration_minutes=60
    ).member_session
    assert longer.expires_at.isoformat() == "2030-01-01T01:10:00+00:00"
    server.clock.advance(minutes=61)
    gone = stytch_error(lambda: client.sessions.authenticate(session_token=login["session_token"]))
    assert (gone.status_code, gone.error_type) == (404, "session_not_found")


def test_an_expired_jwt_of_a_live_session_is_refreshed(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    server.clock.freeze("2030-01-01T00:00:00Z")
    login = server.stytch.login("ada@acme.test")
    server.clock.advance(minutes=6)  # the JWT's exp has passed, the session's has not
    resp = client.sessions.authenticate(session_jwt=login["session_jwt"])
    old = pyjwt.decode(login["session_jwt"], options={"verify_signature": False})
    new = pyjwt.decode(resp.session_jwt, options={"verify_signature": False})
    assert new["iat"] == old["iat"] + 360 and new[SESSION]["id"] == old[SESSION]["id"]
    # Stytch answers the session's token even when the JWT authenticated the call.
    assert resp.session_token == login["session_token"]


def test_authenticate_argument_errors_change_nothing(
    server: MockServer, client: Any, acme: dict[str, Any], fails: Any
) -> None:
    login = server.stytch.login("ada@acme.test")
    token, jwt = login["session_token"], login["session_jwt"]
    auth = client.sessions.authenticate
    fails(lambda: auth(), 400, "no_session_arguments")
    fails(lambda: auth(session_token=token, session_jwt=jwt), 400, "too_many_session_arguments")
    for minutes in (4, 527041):
        fails(
            lambda m=minutes: auth(session_token=token, session_duration_minutes=m),
            400,
            "invalid_session_duration_minutes",
        )
    fails(lambda: auth(session_token="x" * 44), 404, "session_not_found")
    fails(lambda: auth(session_jwt="not-a-jwt"), 401, "unable_to_parse_session_jwt")


def test_revoke_by_each_key(server: MockServer, client: Any, acme: dict[str, Any]) -> None:
    org_id, ada = acme["organization_id"], acme["ada"]
    logins = [server.stytch.login(ada) for _ in range(4)]
    listed = client.sessions.get(organization_id=org_id, member_id=ada).member_sessions
    assert [s.member_session_id for s in listed] == [x["member_session_id"] for x in logins]

    client.sessions.revoke(member_session_id=logins[0]["member_session_id"])
    client.sessions.revoke(session_token=logins[1]["session_token"])
    client.sessions.revoke(session_jwt=logins[2]["session_jwt"])
    left = client.sessions.get(organization_id="acme", member_id=ada).member_sessions
    assert [s.member_session_id for s in left] == [logins[3]["member_session_id"]]
    for login in logins[:3]:
        gone = stytch_error(
            lambda t=login["session_token"]: client.sessions.authenticate(session_token=t)
        )
        assert gone.error_type == "session_not_found"
    client.sessions.revoke(member_id=ada)
    assert client.sessions.get(organization_id=org_id, member_id=ada).member_sessions == []


def test_revoke_argument_errors(
    server: MockServer, client: Any, acme: dict[str, Any], fails: Any
) -> None:
    login = server.stytch.login("ada@acme.test")
    fails(lambda: client.sessions.revoke(), 400, "no_session_revoke_arguments")
    fails(
        lambda: client.sessions.revoke(
            member_session_id=login["member_session_id"], member_id=acme["ada"]
        ),
        400,
        "too_many_session_revoke_arguments",
    )
    fails(
        lambda: client.sessions.revoke(member_session_id="member-session-test-nope"),
        404,
        "session_not_found",
    )


@pytest.mark.parametrize("how", ["DELETE", "PATCH active false"])
def test_scim_deprovisioning_logs_the_member_out(
    server: MockServer, client: Any, acme: dict[str, Any], how: str
) -> None:
    """The SCIM actions table: "Member deprovisioned ... all current sessions revoked"
    (docs b2b/guides/scim/actions). A JWT verified locally stays valid until its ``exp``
    (stytch-python ``authenticate_jwt``: local first); ``max_token_age_seconds=0`` sends it
    to the API ("To force remote validation for all tokens, set max_token_age_seconds to
    zero")."""
    login = server.stytch.login("ada@acme.test")
    token, jwt = login["session_token"], login["session_jwt"]
    assert client.sessions.authenticate_jwt(jwt).member_session.member_id == acme["ada"]

    url = acme["base_url"] + f"/Users/{acme['ada']}"
    if how == "DELETE":
        done = requests.delete(url, headers=acme["auth"], timeout=10)
    else:
        off = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": False}],
        }
        done = requests.patch(url, json=off, headers=acme["auth"], timeout=10)
    assert done.status_code in (200, 204), done.text

    for call in (
        lambda: client.sessions.authenticate(session_token=token),
        lambda: client.sessions.authenticate(session_jwt=jwt),
        lambda: client.sessions.authenticate_jwt(jwt, max_token_age_seconds=0),
    ):
        details = stytch_error(call)
        assert (details.status_code, details.error_type) == (404, "session_not_found")
    # Local verification needs no API call: the JWT is still good until it expires.
    local = client.sessions.authenticate_jwt_local(jwt)
    assert local is not None and local.member_session_id == login["member_session_id"]
    assert client.sessions.authenticate_jwt(jwt).member_session.member_id == acme["ada"]


def test_authorization_check(
    server: MockServer, client: Any, acme: dict[str, Any], other_org: dict[str, Any]
) -> None:
    org_id = acme["organization_id"]
    client.organizations.members.update(
        organization_id=org_id, member_id=acme["ada"], roles=["stytch_admin"]
    )
    token = server.stytch.login(acme["ada"])["session_token"]
    check = {"organization_id": org_id, "resource_id": "stytch.member", "action": "delete"}
    resp = client.sessions.authenticate(session_token=token, authorization_check=check)
    assert resp.verdict is not None and resp.verdict.granting_roles == ["stytch_admin"]

    client.organizations.members.update(organization_id=org_id, member_id=acme["ada"], roles=[])
    denied = stytch_error(
        lambda: client.sessions.authenticate(session_token=token, authorization_check=check)
    )
    assert (denied.status_code, denied.error_type) == (403, "session_authorization_error")
    elsewhere = dict(check, organization_id=other_org["organization_id"])
    tenancy = stytch_error(
        lambda: client.sessions.authenticate(session_token=token, authorization_check=elsewhere)
    )
    assert (tenancy.status_code, tenancy.error_type) == (403, "session_authorization_tenancy_error")


def test_custom_claims(server: MockServer, client: Any, acme: dict[str, Any]) -> None:
    login = server.stytch.login(
        "ada@acme.test", session_custom_claims={"plan": "pro", "team": "red", "sub": "forged"}
    )
    claims = claims_of(server, login["session_jwt"])
    assert (claims["plan"], claims["team"], claims["sub"]) == ("pro", "red", acme["ada"])
    resp = client.sessions.authenticate(
        session_token=login["session_token"], session_custom_claims={"team": None, "seat": 3}
    )
    assert resp.member_session.custom_claims == {"plan": "pro", "seat": 3}
    local = client.sessions.authenticate_jwt_local(resp.session_jwt)
    assert local is not None and local.custom_claims == {"plan": "pro", "seat": 3}


def test_custom_claims_errors_change_nothing(
    server: MockServer, client: Any, acme: dict[str, Any], fails: Any
) -> None:
    """Catalogue ``stytch_claims_in_custom_claims`` and ``custom_claims_too_large`` ("Total
    custom claims size cannot exceed four kilobytes", SDK ``authenticate`` docstring)."""
    token = server.stytch.login("ada@acme.test")["session_token"]
    auth = client.sessions.authenticate
    fails(
        lambda: auth(session_token=token, session_custom_claims={"https://stytch.com/x": 1}),
        400,
        "stytch_claims_in_custom_claims",
    )
    fails(
        lambda: auth(session_token=token, session_custom_claims={"big": "x" * 4100}),
        400,
        "custom_claims_too_large",
    )
    deep: Any = 1
    for _ in range(60):  # as deep as a request body may nest: the JWT must still decode
        deep = {"d": deep}
    resp = auth(session_token=token, session_custom_claims={"deep": deep})
    assert client.sessions.authenticate(session_jwt=resp.session_jwt).member_session.custom_claims


def test_exchange_to_another_organization(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    other = helpers.create_organization(server.mock, "Globex", "globex")
    twin = helpers.create_member(server.mock, other["organization_id"], "ada@acme.test")
    login = server.stytch.login("ada@acme.test", "acme")
    resp = client.sessions.exchange(organization_id="globex", session_token=login["session_token"])
    assert resp.member_authenticated is True and resp.intermediate_session_token == ""
    assert resp.member_id == twin["member_id"]
    assert resp.member_session is not None
    assert resp.member_session.organization_id == other["organization_id"]
    again = client.sessions.authenticate(session_token=resp.session_token)
    assert again.member.member_id == twin["member_id"]
    third = helpers.create_organization(server.mock, "Initech", "initech")
    missing = stytch_error(
        lambda: client.sessions.exchange(
            organization_id=third["organization_id"], session_token=login["session_token"]
        )
    )
    assert missing.error_type == "member_not_found"


def _b64(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_hostile_and_forged_jwts_get_stytchs_jwt_errors(
    server: MockServer, client: Any, acme: dict[str, Any], fails: Any
) -> None:
    """Issue 20: a payload nested 50,000 deep is refused as an unparsable JWT, never a
    RecursionError 500; a JWT signed by another key, unsigned, or for another audience is
    refused likewise (catalogue: ``unable_to_parse_session_jwt``, ``jwt_invalid_audience``)."""
    login = server.stytch.login("ada@acme.test")
    header, _payload, signature = login["session_jwt"].split(".")
    deep = "[" * 50_000 + "]" * 50_000
    kid = json.loads(base64.urlsafe_b64decode(header + "=="))["kid"]
    hostile = [
        f"{header}.{_b64(deep.encode())}.{signature}",
        f"{_b64(deep.encode())}.{_payload}.{signature}",
        f"{_b64({'alg': 'none', 'kid': kid})}.{_payload}.",
        f"{header}.{_payload}.{_b64(b'forged-signature')}",
    ]
    for jwt in hostile:
        fails(
            lambda j=jwt: client.sessions.authenticate(session_jwt=j),
            401,
            "unable_to_parse_session_jwt",
        )
        raw = requests.get(
            f"{server.url}/v1/b2b/scim/{acme['organization_id']}/connection",
            headers={"X-Stytch-Member-SessionJWT": jwt},
            auth=(server.settings.stytch_project_id, server.settings.stytch_secret),
            timeout=10,
        )
        assert raw.status_code == 401 and raw.json()["error_type"] == "unable_to_parse_session_jwt"
    project = server.settings.stytch_project_id
    claims = pyjwt.decode(login["session_jwt"], options={"verify_signature": False})
    foreign = session_jwt.encode(project, dict(claims, aud=["project-test-other"]))
    fails(lambda: client.sessions.authenticate(session_jwt=foreign), 401, "jwt_invalid_audience")


def test_no_session_secret_or_signing_key_in_snapshots_or_journal(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    login = server.stytch.login("ada@acme.test")
    client.sessions.authenticate(session_jwt=login["session_jwt"])
    client.sessions.authenticate(session_token=login["session_token"])
    snap = json.dumps(server.state.snapshot())
    journal = json.dumps([dict(e) for e in server.journal.entries()])
    for text in (snap, journal):
        assert login["session_token"] not in text
        assert login["session_jwt"].split(".")[2] not in text
        assert "PRIVATE KEY" not in text and '"d":' not in text
    # A restore keeps the session: the token still authenticates.
    server.state.restore(json.loads(snap))
    again = client.sessions.authenticate(session_token=login["session_token"])
    assert again.member_session.member_session_id == login["member_session_id"]


def test_login_errors(server: MockServer, acme: dict[str, Any]) -> None:
    from mockscim.control.client import ControlError

    other = helpers.create_organization(server.mock, "Globex", "globex")
    helpers.create_member(server.mock, other["organization_id"], "ada@acme.test")
    with pytest.raises(ControlError, match="2 organizations"):
        server.stytch.login("ada@acme.test")
    assert (
        server.stytch.login("ada@acme.test", "globex")["organization_id"]
        == other["organization_id"]
    )
    with pytest.raises(ControlError, match="Member could not be found"):
        server.stytch.login("nobody@acme.test")
    with pytest.raises(ControlError, match="session_duration_minutes"):
        server.stytch.login(acme["ada"], session_duration_minutes=4)


def test_login_on_the_in_process_and_url_handles(mockscim_app: Any, server: MockServer) -> None:
    """``.stytch.login`` is on every control handle: the in-process one (no socket) and a
    ``Control`` built from a URL (what ``--mockscim-url`` and ``mockscim serve`` users hold)."""
    from mockscim.control.client import Control

    org = mockscim_app.stytch.create_org("Acme", domains=["acme.test"], users=1)
    ((email, member_id),) = org["users"].items()
    login = mockscim_app.stytch.login(email)
    assert login["member_id"] == member_id
    s = mockscim_app.settings
    answer = mockscim_app.post(
        "/v1/b2b/sessions/authenticate",
        json={"session_token": login["session_token"]},
        auth=(s.stytch_project_id, s.stytch_secret),
    )
    assert answer.status_code == 200
    assert answer.get_json()["member_session"]["member_id"] == member_id

    remote = Control(server.url)
    org = remote.stytch.create_org("Globex", domains=["globex.test"], users=1)
    ((email, member_id),) = org["users"].items()
    assert remote.stytch.login(member_id)["member_session"]["member_id"] == member_id


def test_concurrent_authenticate_and_revoke_stay_consistent(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    """Every call runs under the store lock: while one thread revokes, the others see the
    session either whole or gone (200 or 404), never a 500 or a half-extended session."""
    from concurrent.futures import ThreadPoolExecutor

    login = server.stytch.login("ada@acme.test")

    def call(i: int) -> int:
        if i == 20:
            client.sessions.revoke(member_id=acme["ada"])
            return 200
        try:
            client.sessions.authenticate(
                session_token=login["session_token"], session_duration_minutes=30 + i
            )
            return 200
        except StytchError as error:
            return int(error.details.status_code)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(call, range(40)))
    assert set(statuses) <= {200, 404}
    gone = stytch_error(lambda: client.sessions.authenticate(session_token=login["session_token"]))
    assert gone.error_type == "session_not_found"


def test_max_token_age_sends_older_jwts_to_the_api(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    """``authenticate_jwt(jwt, max_token_age_seconds=N)``: a JWT issued N or more seconds ago
    is checked by the API, a younger one locally (stytch-python ``jwt_helpers``: ``now - iat >=
    max_token_age_seconds``)."""
    from datetime import UTC, datetime, timedelta

    server.clock.set(datetime.now(UTC) - timedelta(seconds=30))  # the JWT's iat: 30 s ago
    login = server.stytch.login("ada@acme.test")
    server.clock.reset()
    before = len(server.journal.entries(path="/v1/b2b/sessions/authenticate"))
    client.sessions.authenticate_jwt(login["session_jwt"], max_token_age_seconds=3600)
    assert len(server.journal.entries(path="/v1/b2b/sessions/authenticate")) == before
    client.sessions.authenticate_jwt(login["session_jwt"], max_token_age_seconds=10)
    assert len(server.journal.entries(path="/v1/b2b/sessions/authenticate")) == before + 1


def test_snapshots_from_before_session_timestamps_still_load(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    """A state file written by the previous release (session timing on its token record, a
    ``jwt`` digest record) restores, and its session token still authenticates."""
    login = server.stytch.login("ada@acme.test", session_duration_minutes=30)
    snap = server.state.snapshot()
    (old,) = snap["vendors"]["stytch"]["sessions"]
    expires = old.pop("expires_at")
    for key in ("started_at", "last_accessed_at", "authentication_factors", "custom_claims"):
        old.pop(key)
    old["token"]["expires_at"] = expires
    old["jwt"] = dict(old["token"], digest="0" * 64)
    server.state.restore(snap)
    resp = client.sessions.authenticate(session_token=login["session_token"])
    assert resp.member_session.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ") == expires


def test_async_sdk_methods(server: MockServer, client: Any, acme: dict[str, Any]) -> None:
    """The SDK's ``*_async`` methods (aiohttp; PyJWKClient in a thread) against the mock."""
    import asyncio

    import aiohttp

    login = server.stytch.login("ada@acme.test")

    async def flow() -> tuple[Any, Any]:
        async with aiohttp.ClientSession() as session:
            aclient = server.stytch_client(async_session=session)
            sessions = aclient.sessions
            api = await sessions.authenticate_async(session_token=login["session_token"])
            local = await sessions.authenticate_jwt_async(login["session_jwt"])
            await sessions.revoke_async(member_session_id=login["member_session_id"])
            return api, local

    api, local = asyncio.run(flow())
    assert api.member_session.member_session_id == login["member_session_id"]
    assert local.member_session.member_session_id == login["member_session_id"]
    gone = stytch_error(lambda: client.sessions.authenticate(session_token=login["session_token"]))
    assert gone.error_type == "session_not_found"


def test_a_mock_clock_away_from_real_time_sends_jwts_to_the_api(
    server: MockServer, client: Any, acme: dict[str, Any]
) -> None:
    """JWT ``iat``/``exp`` follow the mock clock while the SDK checks them against real time
    (PyJWT in ``jwt_helpers._authenticate_jwt_local``): ahead of real time, local verification
    fails and ``authenticate_jwt`` asks the API, which answers by the mock clock."""
    server.clock.advance(minutes=10)
    login = server.stytch.login("ada@acme.test")
    assert client.sessions.authenticate_jwt_local(login["session_jwt"]) is None
    before = len(server.journal.entries(path="/v1/b2b/sessions/authenticate"))
    resp = client.sessions.authenticate_jwt(login["session_jwt"])
    assert resp.member_session.member_id == acme["ada"]
    assert len(server.journal.entries(path="/v1/b2b/sessions/authenticate")) == before + 1
