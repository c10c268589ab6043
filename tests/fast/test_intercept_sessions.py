"""Socket-free mode covers Stytch sessions end to end, the JWKS fetch included: the stytch SDK's
``authenticate_jwt`` verifies locally with PyJWT's ``PyJWKClient``, which fetches
``https://test.stytch.com/v1/b2b/sessions/jwks/{project_id}`` with ``urllib.request``
(stytch-python ``b2b/client.py`` ``get_jwks_client``; PyJWT ``jwks_client.py``)."""

from __future__ import annotations

from typing import Any

import pytest
import stytch

import mockscim
from mockscim.vendors.stytch import seeding as helpers


def test_sessions_authenticate_without_a_socket(no_network: list[Any]) -> None:
    with mockscim.intercept() as mock:
        s = mock.settings
        client = stytch.B2BClient(s.stytch_project_id, s.stytch_secret, environment="test")
        org = helpers.create_organization(mock.mock, "Acme", "acme")
        member = helpers.create_member(mock.mock, org["organization_id"], "ada@acme.test")
        login = mock.stytch.login("ada@acme.test")
        resp = client.sessions.authenticate(session_token=login["session_token"])
        assert resp.member.member_id == member["member_id"]
        client.organizations.members.delete(
            organization_id=org["organization_id"], member_id=member["member_id"]
        )
        with pytest.raises(stytch.core.response_base.StytchError):
            client.sessions.authenticate(session_token=login["session_token"])


def test_authenticate_jwt_fetches_the_jwks_without_a_socket(no_network: list[Any]) -> None:
    with mockscim.intercept() as mock:
        s = mock.settings
        client = stytch.B2BClient(s.stytch_project_id, s.stytch_secret, environment="test")
        org = helpers.create_organization(mock.mock, "Acme", "acme")
        helpers.create_member(mock.mock, org["organization_id"], "ada@acme.test")
        login = mock.stytch.login("ada@acme.test")
        local = client.sessions.authenticate_jwt_local(login["session_jwt"])
        assert local is not None and local.member_session_id == login["member_session_id"]
        assert mock.journal.entries(path="/v1/b2b/sessions/jwks/*")  # answered in-process
