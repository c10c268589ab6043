"""Scenario files: organizations, SCIM connections/directories, users and groups, as JSON.

The format is documented in fixtures/README.md. A scenario is *built*, not restored: every
object is created through the vendor's own public API (organizations, members, connections,
directories, token rotation) and every user and group is provisioned through the SCIM server
with the bearer token, exactly as an IdP would. So tokens are minted by the vendor code and
only their digests are stored, members appear through Stytch's SCIM mapping, and a scenario
that the vendor would reject is rejected with the vendor's own error message.

The build runs against a private scratch app; the result replaces (or, with ``merge``,
extends) the target's state in one step under the store lock. A bad scenario therefore
changes nothing, and the target's journal never shows the build's requests.

Tokens: a connection or directory may name its ``bearer_token`` (and Stytch its
``next_bearer_token``); the minted token is then replaced by that one (digest only), so a
scenario author can publish a known demo token. Without one, a random token is minted. The
plaintext tokens appear only in the load report returned to the caller.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import replace
from typing import Any

from flask import Flask

from mockscim.faults import INTERNAL_KEY
from mockscim.runtime import Mock
from mockscim.tokens import TokenRecord

FORMAT = 1
FORMAT_KEY = "mockscim_scenario"
SCRATCH_KEY = "scenario_scratch"
_scratch_lock = threading.Lock()

TOP_KEYS = {FORMAT_KEY, "name", "description", "seed", "stytch", "ssoready"}
STYTCH_KEYS = {"roles", "organizations"}
STYTCH_ORG_KEYS = {"key", "organization", "members", "scim_connection", "directory"}
STYTCH_CONNECTION_KEYS = {
    "display_name",
    "identity_provider",
    "bearer_token",
    "next_bearer_token",
    "rotating",
    "implicit_role_assignments",
}
SSOREADY_KEYS = {"organizations"}
SSOREADY_ORG_KEYS = {"key", "organization", "scim_directories"}
SSOREADY_DIRECTORY_KEYS = {"primary", "bearer_token", "directory"}
DIRECTORY_KEYS = {"users", "groups"}
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class ScenarioError(ValueError):
    """The scenario is malformed or a vendor refused part of it; nothing was applied."""


def is_scenario(raw: Any) -> bool:
    return isinstance(raw, dict) and FORMAT_KEY in raw


# ---------------------------------------------------------------------------- validation
def _obj(value: Any, where: str, keys: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where} must be an object")
    if keys is not None:
        unknown = set(value) - keys
        if unknown:
            raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioError(f"{where} must be a list")
    return value


def _token(value: Any, where: str) -> None:
    if value is not None and (not isinstance(value, str) or len(value) < 8 or " " in value):
        raise ScenarioError(f"{where} must be a string of at least 8 characters without spaces")


def _validate_directory(raw: Any, where: str) -> None:
    directory = _obj(raw or {}, where, DIRECTORY_KEYS)
    names: set[str] = set()
    for i, user in enumerate(_list(directory.get("users"), f"{where}.users")):
        _obj(user, f"{where}.users[{i}]")
        name = user.get("userName")
        if not isinstance(name, str) or not name:
            raise ScenarioError(f"{where}.users[{i}] needs a userName")
        manager = (user.get(ENTERPRISE) or {}).get("manager")
        if manager is not None:
            ref = manager.get("value") if isinstance(manager, dict) else None
            if not isinstance(ref, str) or ref.lower() not in names:
                raise ScenarioError(
                    f'{where}.users[{i}]: manager must be {{"value": <userName of an '
                    "earlier user>}"
                )
        names.add(name.lower())
    for i, group in enumerate(_list(directory.get("groups"), f"{where}.groups")):
        _obj(group, f"{where}.groups[{i}]")
        if not isinstance(group.get("displayName"), str):
            raise ScenarioError(f"{where}.groups[{i}] needs a displayName")
        for member in _list(group.get("members"), f"{where}.groups[{i}].members"):
            ref = member.get("value") if isinstance(member, dict) else None
            if not isinstance(ref, str) or ref.lower() not in names:
                raise ScenarioError(
                    f'{where}.groups[{i}].members: {member!r} is not {{"value": <userName>}} '
                    "of a user in this directory"
                )


def validate(raw: Any) -> dict[str, Any]:
    scenario = _obj(raw, "scenario", TOP_KEYS)
    if scenario.get(FORMAT_KEY) != FORMAT:
        raise ScenarioError(f"'{FORMAT_KEY}' must be {FORMAT}")
    stytch = _obj(scenario.get("stytch") or {}, "stytch", STYTCH_KEYS)
    for i, role in enumerate(_list(stytch.get("roles"), "stytch.roles")):
        _obj(role, f"stytch.roles[{i}]", {"role_id", "permissions"})
    for i, org in enumerate(_list(stytch.get("organizations"), "stytch.organizations")):
        where = f"stytch.organizations[{i}]"
        _obj(org, where, STYTCH_ORG_KEYS)
        _obj(org.get("organization"), f"{where}.organization")
        for j, member in enumerate(_list(org.get("members"), f"{where}.members")):
            _obj(member, f"{where}.members[{j}]")
        connection = org.get("scim_connection")
        if connection is None:
            if org.get("directory"):
                raise ScenarioError(f"{where}: a directory needs a scim_connection")
            continue
        _obj(connection, f"{where}.scim_connection", STYTCH_CONNECTION_KEYS)
        _token(connection.get("bearer_token"), f"{where}.scim_connection.bearer_token")
        _token(connection.get("next_bearer_token"), f"{where}.scim_connection.next_bearer_token")
        for j, item in enumerate(
            _list(connection.get("implicit_role_assignments"), f"{where}.implicit_role_assignments")
        ):
            _obj(item, f"{where}.implicit_role_assignments[{j}]", {"group", "role_id"})
        _validate_directory(org.get("directory"), f"{where}.directory")
    ssoready = _obj(scenario.get("ssoready") or {}, "ssoready", SSOREADY_KEYS)
    for i, org in enumerate(_list(ssoready.get("organizations"), "ssoready.organizations")):
        where = f"ssoready.organizations[{i}]"
        _obj(org, where, SSOREADY_ORG_KEYS)
        _obj(org.get("organization"), f"{where}.organization")
        for j, item in enumerate(_list(org.get("scim_directories"), f"{where}.scim_directories")):
            here = f"{where}.scim_directories[{j}]"
            _obj(item, here, SSOREADY_DIRECTORY_KEYS)
            _token(item.get("bearer_token"), f"{here}.bearer_token")
            directory = item.get("directory") or {}
            if (
                "bearer_token" in item
                and item["bearer_token"] is None
                and (directory.get("users") or directory.get("groups"))
            ):
                raise ScenarioError(f"{here}: users and groups need a bearer token to arrive")
            _validate_directory(directory, f"{here}.directory")
    return scenario


# ---------------------------------------------------------------------------- loading
def load(mock: Mock, raw: Any, *, merge: bool = False) -> dict[str, Any]:
    """Build ``raw`` and make it the mock's state (added to the current state with ``merge``).

    Returns the load report: ids, SCIM base paths and the plaintext tokens of what was built.
    """
    scenario = validate(raw)
    with _scratch_lock, mock.store.lock:
        app = _scratch_app(mock)
        scratch: Mock = app.extensions["mockscim"]
        _sync_clock(mock, scratch)
        if merge:
            scratch.store.restore(mock.store.snapshot())
        report = _Builder(app, scratch, mock.settings).build(scenario)
        mock.store.restore(scratch.store.snapshot())
        scratch.reset()
    report.update(mock.store.stats())
    return report


def _scratch_app(mock: Mock) -> Flask:
    app = mock.extensions.get(SCRATCH_KEY)
    if app is None:
        from mockscim.app import create_app

        settings = replace(mock.settings, scenario=None, state_file=None, public_url="")
        app = create_app(settings)
        mock.extensions[SCRATCH_KEY] = app
    else:
        app.extensions["mockscim"].reset()
    return app


def _sync_clock(source: Mock, target: Mock) -> None:
    now = source.clock.now()
    target.clock.reset()
    if source.clock.mode == "frozen":
        target.clock.freeze(now)
    else:
        target.clock.set(now)


class _Builder:
    def __init__(self, app: Flask, mock: Mock, settings: Any) -> None:
        self.client = app.test_client()
        self.mock = mock
        self.settings = settings
        basic = f"{settings.stytch_project_id}:{settings.stytch_secret}".encode()
        self.stytch_auth = {"Authorization": "Basic " + base64.b64encode(basic).decode()}
        self.ssoready_auth = {"Authorization": f"Bearer {settings.ssoready_api_key}"}

    def call(
        self, method: str, path: str, body: Any, headers: dict[str, str], where: str
    ) -> dict[str, Any]:
        response = self.client.open(
            path,
            method=method,
            data=json.dumps(body) if body is not None else None,
            headers={**headers, "Content-Type": "application/json"},
            environ_overrides={INTERNAL_KEY: True},
        )
        text = response.get_data(as_text=True)
        if response.status_code >= 300:
            raise ScenarioError(
                f"{where}: {method} {path} answered {response.status_code}: {text[:500]}"
            )
        return json.loads(text) if text else {}

    def build(self, scenario: dict[str, Any]) -> dict[str, Any]:
        report: dict[str, Any] = {"status": "loaded", "name": scenario.get("name")}
        stytch = scenario.get("stytch") or {}
        ssoready = scenario.get("ssoready") or {}
        if stytch:
            for i, role in enumerate(stytch.get("roles") or []):
                self.call("POST", "/_mockscim/stytch/roles", role, {}, f"stytch.roles[{i}]")
            report["stytch"] = {
                "organizations": [
                    self.stytch_org(org, f"stytch.organizations[{i}]")
                    for i, org in enumerate(stytch.get("organizations") or [])
                ]
            }
        if ssoready:
            report["ssoready"] = {
                "organizations": [
                    self.ssoready_org(org, f"ssoready.organizations[{i}]")
                    for i, org in enumerate(ssoready.get("organizations") or [])
                ]
            }
        return report

    # ------------------------------------------------------------------ SCIM
    def provision(
        self, base_path: str, token: str, directory: dict[str, Any] | None, where: str
    ) -> dict[str, Any]:
        """POST the users (manager links resolved) and groups (members resolved)."""
        headers = {"Authorization": f"Bearer {token}"}
        users: dict[str, str] = {}
        groups: dict[str, str] = {}
        directory = directory or {}
        for i, raw in enumerate(directory.get("users") or []):
            body = json.loads(json.dumps(raw))
            body.pop("id", None)
            manager = (body.get(ENTERPRISE) or {}).get("manager")
            if manager:
                manager["value"] = users[manager["value"].lower()]
            created = self.call("POST", f"{base_path}/Users", body, headers, f"{where}.users[{i}]")
            users[raw["userName"].lower()] = created["id"]
        for i, raw in enumerate(directory.get("groups") or []):
            body = json.loads(json.dumps(raw))
            body.pop("id", None)
            body["members"] = [
                {"value": users[m["value"].lower()]} for m in body.get("members") or []
            ]
            created = self.call(
                "POST", f"{base_path}/Groups", body, headers, f"{where}.groups[{i}]"
            )
            groups[raw["displayName"]] = created["id"]
        names = {u["userName"].lower(): u["userName"] for u in directory.get("users") or []}
        return {"users": {names[k]: v for k, v in users.items()}, "groups": groups}

    # ------------------------------------------------------------------ Stytch
    def stytch_org(self, org: dict[str, Any], where: str) -> dict[str, Any]:
        auth = self.stytch_auth
        created = self.call("POST", "/v1/b2b/organizations", org["organization"], auth, where)
        org_id = created["organization"]["organization_id"]
        out: dict[str, Any] = {"key": org.get("key"), "organization_id": org_id, "members": {}}
        for j, member in enumerate(org.get("members") or []):
            body = self.call(
                "POST",
                f"/v1/b2b/organizations/{org_id}/members",
                member,
                auth,
                f"{where}.members[{j}]",
            )
            out["members"][body["member"]["email_address"]] = body["member"]["member_id"]
        spec = org.get("scim_connection")
        if spec is None:
            return out
        body = {k: spec[k] for k in ("display_name", "identity_provider") if k in spec}
        connection = self.call(
            "POST", f"/v1/b2b/scim/{org_id}/connection", body, auth, f"{where}.scim_connection"
        )["connection"]
        connection_id = connection["connection_id"]
        token = connection["bearer_token"]
        if spec.get("bearer_token"):
            token = self._pin_stytch(connection_id, "current", spec["bearer_token"])
        base_path = f"/v1/b2b/scim/{connection_id}"
        provisioned = self.provision(base_path, token, org.get("directory"), f"{where}.directory")
        assignments = [
            {"group_id": provisioned["groups"].get(a.get("group"), ""), "role_id": a.get("role_id")}
            for a in spec.get("implicit_role_assignments") or []
        ]
        if assignments:
            self.call(
                "PUT",
                f"/v1/b2b/scim/{org_id}/connection/{connection_id}",
                {"scim_group_implicit_role_assignments": assignments},
                auth,
                f"{where}.scim_connection.implicit_role_assignments",
            )
        next_token = None
        if spec.get("next_bearer_token") or spec.get("rotating"):
            started = self.call(
                "POST",
                f"/v1/b2b/scim/{org_id}/connection/{connection_id}/rotate/start",
                {},
                auth,
                f"{where}.scim_connection.next_bearer_token",
            )["connection"]
            next_token = started["next_bearer_token"]
            if spec.get("next_bearer_token"):
                next_token = self._pin_stytch(connection_id, "next", spec["next_bearer_token"])
        out.update(
            connection_id=connection_id,
            identity_provider=connection["identity_provider"],
            scim_base_path=base_path,
            bearer_token=token,
            next_bearer_token=next_token,
            **provisioned,
        )
        return out

    def _pin_stytch(self, connection_id: str, which: str, token: str) -> str:
        """Swap the minted token for the author's one, keeping its lifetime."""
        with self.mock.store.lock:
            connection = self.mock.store.vendor("stytch").connections[connection_id]
            minted: TokenRecord = getattr(connection, which)
            setattr(
                connection,
                which,
                TokenRecord.issue(token, minted.created_at, minted.expires_at),
            )
        return token

    # ------------------------------------------------------------------ SSOReady
    def ssoready_org(self, org: dict[str, Any], where: str) -> dict[str, Any]:
        auth = self.ssoready_auth
        created = self.call("POST", "/v1/organizations", org["organization"], auth, where)
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
            directory = self.call("POST", "/v1/scim-directories", body, auth, here)
            directory_id = directory["scimDirectory"]["id"]
            entry: dict[str, Any] = {"id": directory_id, "primary": body["primary"]}
            token = None
            if "bearer_token" not in spec or spec["bearer_token"] is not None:
                token = self.call(
                    "POST",
                    f"/v1/scim-directories/{directory_id}/rotate-bearer-token",
                    None,
                    auth,
                    f"{here}.bearer_token",
                )["bearerToken"]
                if spec.get("bearer_token"):
                    token = self._pin_ssoready(directory_id, spec["bearer_token"])
            got = self.call("GET", f"/v1/scim-directories/{directory_id}", None, auth, here)
            base_url = got["scimDirectory"].get("scimBaseUrl", "")
            base_path = _path_of(base_url)
            entry.update(scim_base_path=base_path, bearer_token=token)
            if token is not None:
                entry.update(self.provision(base_path, token, spec.get("directory"), here))
            else:
                entry.update(users={}, groups={})
            out["scim_directories"].append(entry)
        return out

    def _pin_ssoready(self, directory_id: str, token: str) -> str:
        from mockscim.vendors.ssoready import scenario_support

        with self.mock.store.lock:
            scenario_support.pin_token(self.mock, directory_id, token)
        return token


def _path_of(url: str) -> str:
    """``http://localhost/v1/scim/x`` -> ``/v1/scim/x`` (the scratch app's host is not real)."""
    if "://" in url:
        rest = url.split("://", 1)[1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return url
