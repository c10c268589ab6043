"""Building a scenario: every object through the vendors' own public APIs, as in production.

A scenario is *built*, not restored: organizations, members, connections, directories and
token rotations go through each vendor's API, and every user and group is provisioned through
the SCIM server with the bearer token, exactly as an IdP would. So tokens are minted by the
vendor code and only their digests are stored, members appear through Stytch's SCIM mapping,
and a scenario that the vendor would reject is rejected with the vendor's own error message.

The build runs against a private scratch app (made by the ``app_factory`` the caller hands
in); the result replaces (or, with ``merge``, extends) the target's state in one step under
the store lock. A bad scenario therefore changes nothing, and the target's journal never
shows the build's requests.

Tokens: a connection or directory may name its ``bearer_token`` (and Stytch its
``next_bearer_token``); the minted token is then replaced by that one (digest only), so a
scenario author can publish a known demo token. Without one, a random token is minted. The
plaintext tokens appear only in the load report returned to the caller.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import Flask

from mockscim.engine.mock import Mock
from mockscim.http.context import mock_of
from mockscim.http.hooks import INTERNAL_KEY
from mockscim.scenario.schema import ENTERPRISE, ScenarioError, validate
from mockscim.settings import Settings
from mockscim.vendors import VENDORS
from mockscim.vendors.base import ScenarioBuild

AppFactory = Callable[[Settings], Flask]
#: Called with (users provisioned so far, users in the scenario) while a scenario builds.
Progress = Callable[[int, int], None]

#: The body limit of the scratch app's (internal, trusted) requests. ``max_body_bytes`` guards
#: the served surfaces from clients; a scenario's own groups are as large as the scenario says
#: (a 20,000-user generated group is ~1.3 MB), and the file itself already passed the limit of
#: whatever route brought it in.
BUILD_MAX_BODY_BYTES = 1 << 30

_scratch_lock = threading.Lock()
_scratch_apps: weakref.WeakKeyDictionary[Mock, Flask] = weakref.WeakKeyDictionary()


def load(
    mock: Mock,
    raw: Any,
    merge: bool,
    *,
    app_factory: AppFactory,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build ``raw`` and make it the mock's state (added to the current state with ``merge``).

    Returns the load report: ids, SCIM base paths and the plaintext tokens of what was built.
    ``progress`` hears about every user provisioned (``scenario check`` reports long builds).
    """
    scenario = validate(raw, VENDORS)
    with _scratch_lock, mock.store.lock:
        app = _scratch_app(mock, app_factory)
        scratch = mock_of(app)
        _sync_clock(mock, scratch)
        if merge:
            scratch.store.restore(mock.store.snapshot())
        report = Builder(app, scratch, progress).build(scenario)
        mock.store.restore(scratch.store.snapshot())
        scratch.reset(reseed=False)
    report.update(mock.store.stats())
    return report


def _scratch_app(mock: Mock, app_factory: AppFactory) -> Flask:
    app = _scratch_apps.get(mock)
    if app is None:
        settings = replace(
            mock.settings,
            scenario=None,
            state_file=None,
            public_url="",
            max_body_bytes=max(mock.settings.max_body_bytes, BUILD_MAX_BODY_BYTES),
        )
        app = app_factory(settings)
        _scratch_apps[mock] = app
    else:
        mock_of(app).reset(reseed=False)
    # The build mints from the target's id source, so a seeded mock builds the same ids on
    # every start and later ids continue the same stream (never repeating the built ones).
    mock_of(app).ids = mock.ids
    return app


def _sync_clock(source: Mock, target: Mock) -> None:
    now = source.clock.now()
    target.clock.reset()
    if source.clock.mode == "frozen":
        target.clock.freeze(now)
    else:
        target.clock.set(now)


class Builder(ScenarioBuild):
    def __init__(self, app: Flask, mock: Mock, progress: Progress | None = None) -> None:
        self.client = app.test_client()
        self.mock = mock
        self.progress = progress
        self.users_done = 0
        self.users_total = 0

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
        self.users_total = count_users(scenario)
        for name, vendor in VENDORS.items():
            section = scenario.get(name) or {}
            if section:
                report[name] = vendor.build_scenario(self, section)
        return report

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
            self.users_done += 1
            if self.progress is not None:
                self.progress(self.users_done, self.users_total)
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


def count_users(scenario: dict[str, Any]) -> int:
    """Users in every directory of a (validated) scenario, whatever the vendor's layout."""
    total = 0
    stack: list[Any] = [scenario]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            directory = node.get("directory")
            if isinstance(directory, dict) and isinstance(directory.get("users"), list):
                total += len(directory["users"])
            stack.extend(v for k, v in node.items() if k != "directory")
        elif isinstance(node, list):
            stack.extend(node)
    return total
