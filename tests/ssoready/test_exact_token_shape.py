"""SSOReady parses a SCIM bearer token before it looks the token up
(ssoready/ssoready c33d0e0 ``internal/store/auth_scim.go`` ``AuthSCIMVerifyBearerToken``:
``idformat.SCIMBearerToken.Parse`` first, any parse error is ``ErrAuthSCIMBadBearerToken``).
A scenario may pin any string as a directory's token; in ``exact`` one that is not
``ssoready_scim_bearer_token_`` + 25 base-36 digits is refused as the real server would refuse
it, while ``rfc`` compares digests only."""

from __future__ import annotations

import pytest
import requests

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

GOOD = "ssoready_scim_bearer_token_" + "0" * 21 + "good"
BAD = "ssoready_scim_bearer_token_NotTheVendorsShape"


def _scenario(token: str) -> dict:
    return {
        "mockscim_scenario": 1,
        "ssoready": {
            "organizations": [
                {
                    "key": "initech",
                    "organization": {"externalId": "initech", "domains": ["initech.test"]},
                    "scim_directories": [{"primary": True, "bearer_token": token}],
                }
            ]
        },
    }


@pytest.mark.parametrize("profile", ["exact", "rfc"])
@pytest.mark.parametrize("token", [GOOD, BAD])
def test_a_token_that_does_not_parse_never_authenticates_in_exact(profile: str, token: str) -> None:
    with MockServer(Settings(ssoready_profile=profile)) as server:
        report = server.state.load(_scenario(token))
        path = report["ssoready"]["organizations"][0]["scim_directories"][0]["scim_base_path"]
        r = requests.get(
            f"{server.url}{path}/Users", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
    if profile == "exact" and token == BAD:
        assert r.status_code == 401 and r.text == "invalid bearer token\n"
    else:
        assert r.status_code == 200
