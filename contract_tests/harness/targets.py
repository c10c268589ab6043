"""Which API a contract run talks to, chosen by ``MOCKSCIM_TARGET``.

- ``inprocess`` (default): a fresh mock app, called through the Flask test client.
- ``http://host:port``: a running ``mockscim serve``.
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
        from mockscim.app import create_app

        settings = settings_from_env(env)
        return Target(
            name="inprocess",
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
    if name.startswith(("http://", "https://")):
        defaults = Settings()
        url = name.rstrip("/")
        return Target(
            name=url,
            kind="mock",
            vendors=frozenset({"stytch", "ssoready"}),
            stytch_base=url,
            ssoready_base=url,
            stytch_project_id=env.get("STYTCH_PROJECT_ID", defaults.stytch_project_id),
            stytch_secret=env.get("STYTCH_SECRET", defaults.stytch_secret),
            ssoready_api_key=env.get("SSOREADY_API_KEY", defaults.ssoready_api_key),
            ssoready_app_key=env.get("SSOREADY_APP_KEY", defaults.ssoready_app_key or ""),
            scrubber=_secrets(env.get("STYTCH_SECRET", ""), env.get("SSOREADY_API_KEY", "")),
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
