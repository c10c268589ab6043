"""Stytch B2B emulation: control plane, member-session RBAC, SCIM token rotation, and a SCIM
2.0 server per connection on the shared core. See SUPPORTED.md (Stytch B2B).

The package follows the vendor recipe (:mod:`mockscim.vendors.base`): ``routes`` (HTTP) and
``member_routes`` (RBAC policies, member-account endpoints),
``organizations`` and ``connections`` (domain), ``state`` and ``models`` (data and its JSON),
``errors``, ``policy`` (the SCIM server's departures from RFC 7644), ``scim_server``,
``rotation``, ``rbac``, ``sessions`` (+ ``session_api``, ``session_routes``, ``session_jwt``,
``session_openapi``), ``seeding`` (+ ``seeding_routes``), ``openapi``.
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


class Stytch(Vendor):
    name = "stytch"
    options = (
        SettingOption(
            "stytch-project-id", "stytch_project_id", "Stytch project_id the mock accepts", "ID"
        ),
        SettingOption("stytch-secret", "stytch_secret", "Stytch secret the mock accepts", "S"),
    )

    def register(self, app: Flask, mock: Mock, surfaces: Surfaces) -> None:
        from mockscim.http.surfaces import Surface
        from mockscim.vendors.stytch import errors, scim_server
        from mockscim.vendors.stytch.member_routes import register_member_routes
        from mockscim.vendors.stytch.routes import register_routes
        from mockscim.vendors.stytch.scim_server import register_scim_server
        from mockscim.vendors.stytch.seeding_routes import register_seeding_routes
        from mockscim.vendors.stytch.session_routes import register_session_routes
        from mockscim.vendors.stytch.state import StytchState

        mock.store.register(self.name, StytchState)
        # The SCIM server's paths first: they are more specific than the control plane's.
        # Every path below a connection's base_url except the control plane's /connection
        # routes is the SCIM server's, so an IdP gets SCIM errors even for unknown paths.
        surfaces.add(
            Surface(
                "stytch-scim",
                self.name,
                re.compile(r"^/v1/b2b/scim/[^/]+/(?!connection(/|$))"),
                scim_server.render_http_error,
            )
        )
        surfaces.add(Surface("stytch", self.name, re.compile(r"^/v1/b2b(/|$)"), errors.render_http))
        register_scim_server(app, mock)
        register_routes(app, mock)
        register_member_routes(app, mock)
        register_session_routes(app, mock)
        register_seeding_routes(app, mock)

    def openapi_surfaces(self) -> list[OpenApiSurface]:
        from mockscim.scim import openapi as scim_openapi
        from mockscim.vendors.stytch import openapi

        return [
            OpenApiSurface("stytch", "Stytch B2B control plane", openapi.build),
            OpenApiSurface(
                "stytch-scim",
                "Stytch SCIM 2.0 server",
                lambda: scim_openapi.build("stytch"),
                "/v1/b2b/scim/{connection_id}",
            ),
        ]

    # The stytch SDK's environments (stytch-python, stytch/core/client_base.py
    # _resolve_api_url: "test" is https://test.stytch.com, "live" https://api.stytch.com), its
    # fraud host (same file: https://telemetry.stytch.com), and the default project domains
    # <name>.customers.stytch.com (stytch.com/docs/resources/branding/custom-domains, "Default
    # project domains"). A connection's base_url follows the host the API was called on, so no
    # SCIM URL is pinned.
    production_url = "https://test.stytch.com"
    production_host_suffixes = (".customers.stytch.com",)

    def seeding(self) -> ModuleType:
        from mockscim.vendors.stytch import seeding

        return seeding

    def banner(self, settings: Settings, url: str) -> list[str]:
        return [
            f"  stytch    {url}/  project_id={settings.stytch_project_id} "
            f"secret={settings.stytch_secret}"
        ]

    def scenario_banner(self, report: dict[str, Any], url: str, name: str) -> list[str]:
        lines = []
        for org in report.get("organizations", []):
            if org.get("scim_base_path"):
                nxt = f" next={org['next_bearer_token']}" if org.get("next_bearer_token") else ""
                lines.append(
                    f"  scenario  {name}: {org.get('key')} (stytch) {url}{org['scim_base_path']}"
                    f" token={org['bearer_token']}{nxt}"
                )
        return lines

    def sdk_client(self, settings: Settings, url: str, **kwargs: Any) -> Any:
        import stytch

        return stytch.B2BClient(
            project_id=settings.stytch_project_id,
            secret=settings.stytch_secret,
            environment=url.rstrip("/") + "/",
            **kwargs,
        )

    def production_hosts(self) -> tuple[str, ...]:
        return ("test.stytch.com", "api.stytch.com", "telemetry.stytch.com")

    def production_client(self, settings: Settings, **kwargs: Any) -> Any:
        """``stytch.B2BClient(project_id, secret, environment="test")``."""
        import stytch

        kwargs.setdefault("environment", "test")
        kwargs.setdefault("suppress_warnings", True)
        return stytch.B2BClient(
            project_id=settings.stytch_project_id, secret=settings.stytch_secret, **kwargs
        )


VENDOR = Stytch()
