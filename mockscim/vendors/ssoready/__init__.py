"""SSOReady emulation: management API (organizations, SCIM directories, one-step token
rotation), app API (provisioned users and groups), and a SCIM 2.0 server per directory on the
shared core, with SSOReady's rules and per-directory SCIM request log.
See SUPPORTED.md (SSOReady).

The package follows the vendor recipe (:mod:`mockscim.vendors.base`): ``routes`` (HTTP),
``organizations`` (domain), ``state`` and ``models`` (data and its JSON), ``errors``,
``policy`` (the SCIM server's departures from RFC 7644), ``scim_server``, ``rotation``,
``requestlog``, ``seeding``, ``openapi``.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mockscim.vendors.base import OpenApiSurface, SettingOption, Vendor

if TYPE_CHECKING:
    from flask import Flask

    from mockscim.engine.mock import Mock
    from mockscim.http.surfaces import Surfaces
    from mockscim.settings import Settings

#: The SCIM server: ``/v1/scim/{scim_directory_id}/...`` but not the app API's
#: ``/v1/scim/users`` and ``/v1/scim/groups``.
SCIM_PATTERN = re.compile(r"^/v1/scim/(?!users(/|$)|groups(/|$))[^/]+(/|$)")
#: ``exact``: SSOReady's own SCIM server; ``rfc``: RFC 7644 SCIM with SSOReady's rules.
PROFILES = ("exact", "rfc")
#: Where the real SCIM handler panics: close the socket, or answer 502 as a proxy would.
CRASH_MODES = ("close", "502")
#: The auth service's SAML endpoints (``/v1/saml/{saml_conn_id}/init|acs``): plain-text errors.
SAML_LOGIN_PATTERN = re.compile(r"^/v1/saml/(?!redirect$|redeem$)[^/]+/")
#: The Connect RPC mounts and the self-serve setup page (SSOReady's admin app).
ADMIN_PATTERN = re.compile(r"^/(ssoready-admin/|internal/connect/|ssoready\.v1\.SSOReadyService/)")
#: Everything else under ``/v1/`` (the root transcoder of cmd/api/main.go: an unknown path is
#: vanguard's 404). Stytch's ``/v1/b2b`` surfaces are registered before this one.
API_PATTERN = re.compile(r"^/v1/")


class SSOReady(Vendor):
    name = "ssoready"
    options = (
        SettingOption(
            "ssoready-api-key",
            "ssoready_api_key",
            "SSOReady management API key (ssoready_sk_...)",
            "K",
        ),
        SettingOption(
            "ssoready-app-key", "ssoready_app_key", "SSOReady app API key (ssoready_sk_...)", "K"
        ),
        SettingOption(
            "ssoready-profile",
            "ssoready_profile",
            "SSOReady SCIM server profile: 'exact' (default) behaves as SSOReady's own server, "
            "quirks and crashes included; 'rfc' answers SCIM per RFC 7644",
            "PROFILE",
            PROFILES,
            credential=False,
        ),
        SettingOption(
            "ssoready-crash",
            "ssoready_crash",
            "where SSOReady's SCIM handler panics (exact profile): 'close' the connection "
            "without a response (default), or answer '502' as a proxy in front would",
            "MODE",
            CRASH_MODES,
            credential=False,
        ),
    )

    def profile(self, settings: Settings) -> str | None:
        return settings.ssoready_profile

    def register(self, app: Flask, mock: Mock, surfaces: Surfaces) -> None:
        from mockscim.http.surfaces import Surface
        from mockscim.scim.blueprint import render_scim_error
        from mockscim.vendors.ssoready import errors
        from mockscim.vendors.ssoready.admin import register_admin, render_connect_http
        from mockscim.vendors.ssoready.policy import SSOReadyScimPolicy
        from mockscim.vendors.ssoready.requestlog import register_request_log
        from mockscim.vendors.ssoready.routes import register_routes
        from mockscim.vendors.ssoready.samllogin import register_saml_login, render_text_http
        from mockscim.vendors.ssoready.scim_exact import register_exact_scim_server
        from mockscim.vendors.ssoready.scim_exact import render_error as exact_errors
        from mockscim.vendors.ssoready.scim_server import register_scim_server
        from mockscim.vendors.ssoready.state import ENV_PREFIX, SSOReadyState, new_id

        settings = mock.settings
        if settings.ssoready_profile not in PROFILES:
            raise ValueError(
                f"ssoready_profile must be one of {', '.join(PROFILES)}, "
                f"not {settings.ssoready_profile!r}"
            )
        if settings.ssoready_crash not in CRASH_MODES:
            raise ValueError(
                f"ssoready_crash must be one of {', '.join(CRASH_MODES)}, "
                f"not {settings.ssoready_crash!r}"
            )
        mock.store.register(self.name, SSOReadyState)
        environment_id = mock.settings.ssoready_environment_id or new_id(ENV_PREFIX)
        # The SCIM server first: /v1/scim/{id}/... is more specific than the app API's /v1/scim/.
        exact = settings.ssoready_profile == "exact"
        scim_errors = exact_errors if exact else render_scim_error(SSOReadyScimPolicy)
        surfaces.add(Surface("ssoready-scim", self.name, SCIM_PATTERN, scim_errors))
        surfaces.add(Surface("ssoready-saml", self.name, SAML_LOGIN_PATTERN, render_text_http))
        surfaces.add(Surface("ssoready-admin", self.name, ADMIN_PATTERN, render_connect_http))
        api_errors = errors.render_http_exact if exact else errors.render_http
        surfaces.add(Surface("ssoready", self.name, API_PATTERN, api_errors))
        if exact:
            from mockscim.vendors.ssoready.vanguard import raise_body_limit

            app.before_request(raise_body_limit(settings, surfaces, ("ssoready", "ssoready-scim")))
            register_exact_scim_server(app, mock)
        else:
            register_scim_server(app, mock)
        register_saml_login(app, mock)
        register_routes(app, mock, environment_id)
        register_admin(app, mock)
        register_request_log(app, mock)

    def openapi_surfaces(self) -> list[OpenApiSurface]:
        from mockscim.scim import openapi as scim_openapi
        from mockscim.vendors.ssoready import openapi

        return [
            OpenApiSurface("ssoready", "SSOReady management and app API", openapi.build),
            OpenApiSurface(
                "ssoready-scim",
                "SSOReady SCIM 2.0 server",
                lambda: scim_openapi.build("ssoready"),
                "/v1/scim/{scim_directory_id}",
            ),
        ]

    # The ssoready SDK's default base URL is https://api.ssoready.com (ssoready-python,
    # ssoready/environment.py SSOReadyEnvironment.DEFAULT). SCIM base URLs are built on the
    # environment's auth URL, else the global default (ssoready/ssoready,
    # internal/store/scim_directories_mgmt.go CreateSCIMDirectory), which production sets to
    # https://auth.ssoready.com (cmd/api/task-definition-prod.json API_GLOBAL_DEFAULT_AUTH_URL).
    # SSOREADY_BASE_URL is not read by the SDK; its host is intercepted too because it is
    # where applications conventionally keep a self-hosted deployment's URL.
    production_url = "https://api.ssoready.com"
    production_scim_url = "https://auth.ssoready.com"

    def seeding(self) -> ModuleType:
        from mockscim.vendors.ssoready import seeding

        return seeding

    def banner(self, settings: Settings, url: str) -> list[str]:
        app_key = f" app_key={settings.ssoready_app_key}" if settings.ssoready_app_key else ""
        profile = f" profile={settings.ssoready_profile}"
        return [f"  ssoready  {url}  api_key={settings.ssoready_api_key}{app_key}{profile}"]

    def scenario_banner(self, report: dict[str, Any], url: str, name: str) -> list[str]:
        lines = []
        for org in report.get("organizations", []):
            for directory in org.get("scim_directories", []):
                token = directory.get("bearer_token") or "(none yet: rotate to mint one)"
                lines.append(
                    f"  scenario  {name}: {org.get('key')} (ssoready) {url}"
                    f"{directory['scim_base_path']} token={token}"
                )
        return lines

    def sdk_client(
        self, settings: Settings, url: str, *, app_key: bool = False, **kwargs: Any
    ) -> Any:
        from ssoready.client import SSOReady as Client

        key = settings.ssoready_app_key if app_key else settings.ssoready_api_key
        return Client(api_key=key, base_url=url.rstrip("/"), **kwargs)

    def production_hosts(self) -> tuple[str, ...]:
        import os
        from urllib.parse import urlsplit

        hosts = ("api.ssoready.com", "auth.ssoready.com")
        override = urlsplit(os.environ.get("SSOREADY_BASE_URL", "")).hostname
        return (*hosts, override) if override else hosts

    def production_client(
        self,
        settings: Settings,
        *,
        app_key: bool = False,
        asynchronous: bool = False,
        **kwargs: Any,
    ) -> Any:
        """``SSOReady(api_key=...)`` (``AsyncSSOReady`` with ``asynchronous``), no base URL;
        ``app_key`` authenticates with the app API key instead of the management key."""
        from ssoready.client import AsyncSSOReady
        from ssoready.client import SSOReady as Client

        key = settings.ssoready_app_key if app_key else settings.ssoready_api_key
        return (AsyncSSOReady if asynchronous else Client)(api_key=key, **kwargs)


VENDOR = SSOReady()
