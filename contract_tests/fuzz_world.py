"""Real resources for the fuzzers to aim at, one set per surface.

Random ids only ever reach the 404 branch; substituting real ones for about two thirds of the
generated path and query values drives the fuzzer into the handlers that do the work. Each
surface gets its own organization/connection/directory, so fuzzing the control plane (which
rotates and deletes) cannot pull the token out from under the SCIM-server fuzzer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contract_tests.harness.safety import Cleanup, Namer
from contract_tests.harness.targets import Target
from contract_tests.harness.vendors import SSOReady, Stytch, scim_path


@dataclass
class SurfaceWorld:
    """What one surface's fuzzing needs: where to send, how to authenticate, real ids."""

    base_url: str
    headers: dict[str, str]
    #: parameter name -> real value (path and query parameters).
    ids: dict[str, str] = field(default_factory=dict)
    #: path template prefix -> overrides of ``ids`` for that path (e.g. ``/Users`` -> user id).
    by_path: dict[str, dict[str, str]] = field(default_factory=dict)

    def value_for(self, path: str, name: str) -> str | None:
        for prefix, values in self.by_path.items():
            if path.startswith(prefix) and name in values:
                return values[name]
        return self.ids.get(name)


def _scim_seed(driver: Stytch | SSOReady, base: str, token: str, domain: str) -> tuple[str, str]:
    user = driver.scim(
        None,
        base,
        token,
        "POST",
        "/Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": driver.namer.email("fuzz", domain),
            "name": {"givenName": "Fuzz", "familyName": "Target"},
            "emails": [{"value": driver.namer.email("fuzzmail", domain), "primary": True}],
            "active": True,
        },
    )
    assert user.status in (200, 201), user.text
    user_id = user.json["id"]
    group = driver.scim(
        None,
        base,
        token,
        "POST",
        "/Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": driver.namer.name("fuzz-group"),
            "members": [{"value": user_id}],
        },
    )
    assert group.status in (200, 201), group.text
    return user_id, group.json["id"]


def build_stytch(target: Target, namer: Namer, cleanup: Cleanup) -> dict[str, SurfaceWorld]:
    driver = Stytch(target, target.http(target.stytch_base), namer, cleanup)
    auth = driver.auth()
    control = driver.create_org(None)
    control_id = control["organization_id"]
    control_conn, _ = driver.create_connection(control_id, None)
    member = driver.call(
        None,
        "POST",
        f"/v1/b2b/organizations/{control_id}/members",
        body={"email_address": namer.email("member", "example.com"), "name": "Fuzz Member"},
    )
    assert member.status == 200, member.text
    scim_org = driver.create_org(None)
    scim_conn, _ = driver.create_connection(scim_org["organization_id"], None)
    token = scim_conn["bearer_token"]
    base = scim_path(scim_conn["base_url"])
    user_id, group_id = _scim_seed(driver, base, token, "example.com")
    return {
        "stytch": SurfaceWorld(
            base_url=target.stytch_base,
            headers=auth,
            ids={
                "organization_id": control_id,
                "connection_id": control_conn["connection_id"],
                "member_id": member.json["member_id"],
            },
        ),
        "stytch-scim": SurfaceWorld(
            base_url=base,
            headers={"Authorization": f"Bearer {token}"},
            by_path={"/Users": {"id": user_id}, "/Groups": {"id": group_id}},
        ),
    }


def build_ssoready(target: Target, namer: Namer, cleanup: Cleanup) -> dict[str, SurfaceWorld]:
    driver = SSOReady(target, target.http(target.ssoready_base), namer, cleanup)
    auth = driver.auth()
    control = driver.create_org(None)
    control_dir = driver.create_directory(control["id"], None)
    scim_org = driver.create_org(None)
    scim_dir = driver.create_directory(scim_org["id"], None)
    rotated = driver.rotate(None, scim_dir["id"])
    assert rotated.status == 200, rotated.text
    token = rotated.json["bearerToken"]
    base = scim_path(scim_dir["scimBaseUrl"])
    user_id, group_id = _scim_seed(driver, base, token, scim_org["domains"][0])
    directory_ids = {"scimDirectoryId": scim_dir["id"], "organizationId": scim_org["id"]}
    if scim_org.get("externalId"):
        directory_ids["organizationExternalId"] = scim_org["externalId"]
    return {
        "ssoready": SurfaceWorld(
            base_url=target.ssoready_base,
            headers=auth,
            ids={"organizationId": control["id"], **directory_ids},
            by_path={
                "/v1/organizations/": {"id": control["id"]},
                "/v1/scim-directories": {"id": control_dir["id"], "organizationId": control["id"]},
                "/v1/scim/users": {"id": user_id},
                "/v1/scim/groups": {"id": group_id, "scimGroupId": group_id},
            },
        ),
        "ssoready-scim": SurfaceWorld(
            base_url=base,
            headers={"Authorization": f"Bearer {token}"},
            by_path={"/Users": {"id": user_id}, "/Groups": {"id": group_id}},
        ),
    }


def build(target: Target, namer: Namer, cleanup: Cleanup) -> dict[str, Any]:
    worlds: dict[str, SurfaceWorld] = {}
    if target.serves("stytch"):
        worlds.update(build_stytch(target, namer, cleanup))
    if target.serves("ssoready"):
        worlds.update(build_ssoready(target, namer, cleanup))
    return worlds
