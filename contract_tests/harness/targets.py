"""Which API a contract run talks to, chosen by ``MOCKSCIM_TARGET``.

- ``inprocess`` (default): a fresh mock app, called through the Flask test client.
- ``http://host:port``: a running ``mockscim serve``. Its credentials come from the mock
  itself (``GET /_mockscim/info``), overridable with ``MOCKSCIM_STYTCH_PROJECT_ID``,
  ``MOCKSCIM_STYTCH_SECRET``, ``MOCKSCIM_SSOREADY_API_KEY``, ``MOCKSCIM_SSOREADY_APP_KEY``;
  ``MOCKSCIM_CONTROL_TOKEN`` when it was started with ``--control-token``. The vendors' own
  variables (``STYTCH_*``, ``SSOREADY_*``) are never read for a mock target: a Stytch user's
  shell holds real ones, and a mock must not be handed them.
- ``stytch-live``: Stytch's test environment; needs ``STYTCH_PROJECT_ID`` and ``STYTCH_SECRET``.
- ``ssoready-live``: SSOReady; needs ``SSOREADY_API_KEY`` (``SSOREADY_BASE_URL`` optional).

Live targets also need ``MOCKSCIM_LIVE_OK=1``: a run creates (prefixed) resources in the
account, so it never happens by accident. Without opt-in or credentials the live target is
skipped with a message that says exactly what is missing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tests.harness.http import FlaskHttp, Http, RequestsHttp
from contract_tests.harness.safety import Scrubber
from mockscim.settings import Settings

STYTCH_LIVE_URL = "https://test.stytch.com"
SSOREADY_LIVE_URL = "https://api.ssoready.com"
LIVE_NAMES = ("stytch-live", "ssoready-live")


class TargetUnavailable(Exception):
    """The chosen target cannot run here; the message says why (used as the skip reason)."""


@dataclass
class Target:
    name: str
    #: ``mock`` (reset, clock and journal available) or ``live``.
    kind: str
    #: Vendors this target serves: a mock serves both, a live target one.
    vendors: frozenset[str]
    stytch_base: str = ""
    ssoready_base: str = ""
    stytch_project_id: str = ""
    stytch_secret: str = ""
    ssoready_api_key: str = ""
    ssoready_app_key: str = ""
    app: Any = None
    settings: Settings | None = None
    #: ``X-Mockscim-Control-Token`` for a served mock started with ``--control-token``.
    control_token: str = ""
    scrubber: Scrubber = field(default_factory=Scrubber)

    @property
    def live(self) -> bool:
        return self.kind == "live"

    def http(self, base: str, **kwargs: Any) -> Http:
        if self.app is not None:
            return FlaskHttp(self.app, self.scrubber, **kwargs)
        return RequestsHttp(base, self.scrubber, **kwargs)

    def serves(self, vendor: str) -> bool:
        return vendor in self.vendors

    def control(self) -> Any:
        """The mock's control handle (``mockscim.control.Control``); None for a live target."""
        if self.live:
            return None
        from mockscim.control.client import Control

        if self.app is not None:
            return Control(self.app)
        return Control(
            self.stytch_base, settings=Settings(control_token=self.control_token or None)
        )


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """In-process mock settings (SSOReady in its ``rfc`` profile); ``MOCKSCIM_CONTRACT_SETTINGS``
    may hold JSON overrides (the divergence-report test runs the suite against two
    deliberately different mocks)."""
    import json

    raw = env.get("MOCKSCIM_CONTRACT_SETTINGS", "").strip()
    overrides = json.loads(raw) if raw else {}
    # The served OpenAPI documents describe SSOReady's SCIM server as RFC 7644 and its
    # management errors as Status codes 5/6: the ``rfc`` profile. The default ``exact``
    # profile reproduces the real server's crashes (closed connections) and code-2 500s,
    # which no OpenAPI document describes; override with {"ssoready_profile": "exact"}.
    settings = Settings(ssoready_profile="rfc")
    for key, value in overrides.items():
        if not hasattr(settings, key):
            raise TargetUnavailable(f"MOCKSCIM_CONTRACT_SETTINGS: unknown setting {key!r}")
        setattr(settings, key, value)
    return settings


def mock_credentials(url: str, control_token: str = "") -> dict[str, dict[str, Any]]:
    """What the mock at ``url`` accepts, per vendor, from its ``GET /_mockscim/info``."""
    import requests

    headers = {"X-Mockscim-Control-Token": control_token} if control_token else {}
    try:
        response = requests.get(f"{url}/_mockscim/info", headers=headers, timeout=10)
    except requests.RequestException as exc:
        raise TargetUnavailable(f"{url}: no mockscim answering ({type(exc).__name__})") from exc
    if response.status_code == 401:
        raise TargetUnavailable(f"{url}: the mock needs MOCKSCIM_CONTROL_TOKEN (--control-token)")
    if response.status_code != 200:
        raise TargetUnavailable(
            f"{url}: GET /_mockscim/info answered {response.status_code}; is it a mockscim "
            "of this version?"
        )
    body = response.json()
    return {k: dict(v) for k, v in body.items() if isinstance(v, dict) and k in VENDORS}


#: Vendors a mock serves; ``/_mockscim/info`` has one credentials object per vendor.
VENDORS = ("stytch", "ssoready")
#: The profile the suite's own documents describe, per vendor (see :func:`settings_from_env`).
SUITE_PROFILES = {"ssoready": "rfc"}


def profile_mismatch(url: str, control_token: str = "") -> str | None:
    """One line telling the user how to restart the mock at ``url``, when it runs a profile
    the suite does not describe (``mockscim serve`` defaults to SSOReady ``exact``, whose
    crashes and code-2 500s no OpenAPI document describes); None when it fits or cannot be
    asked (resolving the target reports that)."""
    import requests

    headers = {"X-Mockscim-Control-Token": control_token} if control_token else {}
    try:
        response = requests.get(f"{url}/_mockscim/info", headers=headers, timeout=10)
        body = response.json() if response.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        return None
    profiles = body.get("profiles") if isinstance(body, dict) else None
    if not isinstance(profiles, dict):
        return None
    for vendor, wanted in SUITE_PROFILES.items():
        running = profiles.get(vendor)
        if running is not None and running != wanted:
            return (
                f"{url} runs the {vendor} {running!r} profile; the contract suite describes "
                f"{wanted!r}: restart it with `mockscim serve --{vendor}-profile {wanted}`"
            )
    return None


def inprocess(settings: Settings, name: str = "inprocess") -> Target:
    """A fresh mock app with ``settings``, called through the Flask test client."""
    from mockscim.app import create_app

    return Target(
        name=name,
        kind="mock",
        vendors=frozenset({"stytch", "ssoready"}),
        stytch_base="http://localhost",
        ssoready_base="http://localhost",
        stytch_project_id=settings.stytch_project_id,
        stytch_secret=settings.stytch_secret,
        ssoready_api_key=settings.ssoready_api_key,
        ssoready_app_key=settings.ssoready_app_key or "",
        app=create_app(settings),
        settings=settings,
        scrubber=_secrets(settings.stytch_secret, settings.ssoready_api_key),
    )


def _secrets(*values: str) -> Scrubber:
    return Scrubber([v for v in values if v])


def resolve(env: Mapping[str, str] | None = None, **overrides: str) -> Target:
    """The target ``env`` asks for; raises :class:`TargetUnavailable` with the skip reason.

    ``overrides`` replace live base URLs (``stytch_base``, ``ssoready_base``): the safety-rail
    tests aim a live target at a mock standing in for the vendor.
    """
    env = os.environ if env is None else env
    name = env.get("MOCKSCIM_TARGET", "inprocess").strip() or "inprocess"
    if name == "inprocess":
        return inprocess(settings_from_env(env))
    if name.startswith(("http://", "https://")):
        url = name.rstrip("/")
        token = env.get("MOCKSCIM_CONTROL_TOKEN", "")
        creds = mock_credentials(url, token)
        for vendor, fields in creds.items():
            for key in fields:
                override = env.get(f"MOCKSCIM_{vendor}_{key}".upper())
                if override:
                    fields[key] = override
        stytch = creds.get("stytch", {})
        ssoready = creds.get("ssoready", {})
        return Target(
            name=url,
            kind="mock",
            vendors=frozenset({"stytch", "ssoready"}),
            stytch_base=url,
            ssoready_base=url,
            stytch_project_id=stytch.get("project_id") or "",
            stytch_secret=stytch.get("secret") or "",
            ssoready_api_key=ssoready.get("api_key") or "",
            ssoready_app_key=ssoready.get("app_key") or "",
            control_token=token,
            scrubber=_secrets(stytch.get("secret") or "", ssoready.get("api_key") or ""),
        )
    if name not in LIVE_NAMES:
        raise TargetUnavailable(
            f"MOCKSCIM_TARGET={name!r} is not one of inprocess, http://host:port, "
            f"{', '.join(LIVE_NAMES)}"
        )
    if env.get("MOCKSCIM_LIVE_OK") != "1":
        raise TargetUnavailable(
            f"{name}: live runs create (prefixed, cleaned-up) resources in your account; "
            "set MOCKSCIM_LIVE_OK=1 to allow it"
        )
    if name == "stytch-live":
        missing = [k for k in ("STYTCH_PROJECT_ID", "STYTCH_SECRET") if not env.get(k)]
        if missing:
            raise TargetUnavailable(f"stytch-live: set {' and '.join(missing)} (a test project)")
        project_id = env["STYTCH_PROJECT_ID"]
        if "-live-" in project_id:
            raise TargetUnavailable(
                "stytch-live: refusing a live-environment project; use a test one"
            )
        return Target(
            name=name,
            kind="live",
            vendors=frozenset({"stytch"}),
            stytch_base=overrides.get("stytch_base", STYTCH_LIVE_URL),
            stytch_project_id=project_id,
            stytch_secret=env["STYTCH_SECRET"],
            scrubber=_secrets(env["STYTCH_SECRET"]),
        )
    if not env.get("SSOREADY_API_KEY"):
        raise TargetUnavailable("ssoready-live: set SSOREADY_API_KEY (a management API key)")
    return Target(
        name=name,
        kind="live",
        vendors=frozenset({"ssoready"}),
        ssoready_base=overrides.get(
            "ssoready_base", env.get("SSOREADY_BASE_URL", SSOREADY_LIVE_URL).rstrip("/")
        ),
        ssoready_api_key=env["SSOREADY_API_KEY"],
        scrubber=_secrets(env["SSOREADY_API_KEY"]),
    )
