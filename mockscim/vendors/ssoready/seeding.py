"""Seeding SSOReady state outside its public API: pinning an author-chosen token, building a
scenario's ``ssoready`` section, and the ``.ssoready`` helper of every control handle."""

from __future__ import annotations

from typing import Any

from mockscim.engine.mock import Mock
from mockscim.engine.tokens import TokenRecord
from mockscim.scenario import schema
from mockscim.vendors.base import ControlHelper, ScenarioBuild
from mockscim.vendors.ssoready.state import SSOReadyState


def pin_token(mock: Mock, directory_id: str, token: str) -> None:
    """Make ``token`` the directory's bearer token (replacing the minted one). Callers hold
    the store lock."""
    state: SSOReadyState = mock.store.vendor("ssoready")
    directory = state.directories[directory_id]
    directory.token = TokenRecord.issue(token, mock.clock.now())


# ---------------------------------------------------------------------------- scenarios
SCENARIO_KEYS = frozenset({"organizations"})
ORG_KEYS = {"key", "organization", "scim_directories"}
DIRECTORY_KEYS = {"primary", "bearer_token", "directory"}


def validate_scenario(section: dict[str, Any]) -> None:
    for i, org in enumerate(schema.items(section.get("organizations"), "ssoready.organizations")):
        where = f"ssoready.organizations[{i}]"
        schema.obj(org, where, ORG_KEYS)
        schema.obj(org.get("organization"), f"{where}.organization")
        for j, item in enumerate(
            schema.items(org.get("scim_directories"), f"{where}.scim_directories")
        ):
            here = f"{where}.scim_directories[{j}]"
            schema.obj(item, here, DIRECTORY_KEYS)
            schema.token(item.get("bearer_token"), f"{here}.bearer_token")
            directory = item.get("directory") or {}
            if (
                "bearer_token" in item
                and item["bearer_token"] is None
                and (directory.get("users") or directory.get("groups"))
            ):
                raise schema.ScenarioError(
                    f"{here}: users and groups need a bearer token to arrive"
                )
            schema.directory(directory, f"{here}.directory")


def build_scenario(build: ScenarioBuild, section: dict[str, Any]) -> dict[str, Any]:
    return {
        "organizations": [
            _build_org(build, org, f"ssoready.organizations[{i}]")
            for i, org in enumerate(section.get("organizations") or [])
        ]
    }


def _build_org(build: ScenarioBuild, org: dict[str, Any], where: str) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {build.mock.settings.ssoready_api_key}"}
    created = build.call("POST", "/v1/organizations", org["organization"], auth, where)
    org_id = created["organization"]["id"]
    out: dict[str, Any] = {
        "key": org.get("key"),
        "organization_id": org_id,
        "external_id": created["organization"].get("externalId"),
        "scim_directories": [],
    }
    for j, spec in enumerate(org.get("scim_directories") or []):
        here = f"{where}.scim_directories[{j}]"
        body = {"organizationId": org_id, "primary": bool(spec.get("primary", j == 0))}
        directory = build.call("POST", "/v1/scim-directories", body, auth, here)
        directory_id = directory["scimDirectory"]["id"]
        entry: dict[str, Any] = {"id": directory_id, "primary": body["primary"]}
        token = None
        if "bearer_token" not in spec or spec["bearer_token"] is not None:
            token = build.call(
                "POST",
                f"/v1/scim-directories/{directory_id}/rotate-bearer-token",
                None,
                auth,
                f"{here}.bearer_token",
            )["bearerToken"]
            if spec.get("bearer_token"):
                token = _pin(build, directory_id, spec["bearer_token"])
        got = build.call("GET", f"/v1/scim-directories/{directory_id}", None, auth, here)
        base_url = got["scimDirectory"].get("scimBaseUrl", "")
        base_path = _path_of(base_url)
        entry.update(scim_base_path=base_path, bearer_token=token)
        if token is not None:
            entry.update(build.provision(base_path, token, spec.get("directory"), here))
        else:
            entry.update(users={}, groups={})
        out["scim_directories"].append(entry)
    return out


def _pin(build: ScenarioBuild, directory_id: str, token: str) -> str:

    with build.mock.store.lock:
        pin_token(build.mock, directory_id, token)
    return token


def _path_of(url: str) -> str:
    """``http://localhost/v1/scim/x`` -> ``/v1/scim/x`` (the scratch app's host is not real)."""
    if "://" in url:
        rest = url.split("://", 1)[1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return url


# ---------------------------------------------------------------------------- control handles
class SsoreadyHelper(ControlHelper):
    """``mockscim.ssoready.create_org(...)``: an organization with a primary SCIM directory
    (with a token, users and groups unless ``token=False``), in one call."""

    vendor = "ssoready"

    def create_org(
        self,
        external_id: str | None = None,
        *,
        display_name: str | None = None,
        domains: list[str] | None = None,
        directory: bool = True,
        token: bool | str = True,
        users: int | list[dict[str, Any]] = 0,
        groups: int | list[dict[str, Any]] = 0,
    ) -> dict[str, Any]:
        """Returns ``organization_id``, ``external_id``, ``scim_directory_id``,
        ``bearer_token`` (None without a token), ``base_url``, ``users``, ``groups``."""
        company = self.factory.company(display_name or external_id)
        domain_list = domains or [company["domain"]]
        org: dict[str, Any] = {
            "key": external_id or company["slug"],
            "organization": {
                "externalId": external_id or company["slug"],
                "displayName": display_name or company["name"],
                "domains": domain_list,
            },
            "scim_directories": [],
        }
        if directory:
            spec: dict[str, Any] = {"primary": True}
            if token is False:
                spec["bearer_token"] = None
            else:
                if isinstance(token, str):
                    spec["bearer_token"] = token
                people = (
                    users
                    if isinstance(users, list)
                    else self.factory.scim_users(
                        domain_list[0], users, organization=company["name"]
                    )
                )
                teams = (
                    groups if isinstance(groups, list) else self.factory.scim_groups(people, groups)
                )
                spec["directory"] = {"users": people, "groups": teams}
            org["scim_directories"].append(spec)
        result = self._load(org)
        if result["scim_directories"]:
            first = result["scim_directories"][0]
            result.update(
                scim_directory_id=first["id"],
                bearer_token=first["bearer_token"],
                scim_base_path=first["scim_base_path"],
                base_url=self._absolute(first["scim_base_path"]),
                users=first["users"],
                groups=first["groups"],
            )
        return result

    def saml_login(
        self,
        redirect_url: str | None = None,
        *,
        email: str,
        attributes: dict[str, str] | None = None,
        saml_connection_id: str | None = None,
    ) -> dict[str, Any]:
        """Log ``email`` in without a browser, as the mock IdP page would: through the
        ``redirect_url`` ``saml.get_saml_redirect_url`` gave (its ``state`` comes back on
        redeem), or IdP-initiated on ``saml_connection_id``. Returns ``samlAccessCode``,
        ``samlFlowId`` and ``redirectUrl`` (the environment's, with the code; "" if unset)."""
        body: dict[str, Any] = {"email": email, "attributes": attributes or {}}
        if redirect_url is not None:
            body["redirectUrl"] = redirect_url
        if saml_connection_id is not None:
            body["samlConnectionId"] = saml_connection_id
        return dict(self._call("POST", "/ssoready/saml-logins", body))

    def set_redirect_url(self, url: str) -> None:
        """The environment's redirect URL, where the login page sends the user with
        ``?saml_access_code=...`` ("" to show the code on the page instead)."""
        self._call("PUT", "/ssoready/environment", {"redirectUrl": url})


#: The ``.ssoready`` helper of every control handle (see ``Vendor.seeding``).
Helper = SsoreadyHelper
