"""What every emulated vendor provides: the :class:`Vendor` recipe.

A vendor is one package under ``mockscim/vendors/`` holding its routes, models, errors, SCIM
policy, rotation, seeding and OpenAPI document, plus a ``VENDOR`` object that implements this
class. The app, the scenario builder, the control handles, the pytest plugin and the CLI
reach vendors only through these methods and the registry in ``mockscim.vendors``, so adding a
vendor means adding one package and one line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from mockscim.engine.mock import Mock
    from mockscim.http.surfaces import Surfaces
    from mockscim.settings import Settings


@dataclass(frozen=True)
class SettingOption:
    """A vendor setting that users pass as ``mockscim serve --<flag>`` and as the pytest
    option ``--mockscim-<flag>`` (ini ``mockscim_<flag>``, environment ``MOCKSCIM_<FLAG>``)."""

    flag: str
    field: str
    help: str
    metavar: str = "VALUE"
    choices: tuple[str, ...] | None = None
    #: A credential the mock accepts (reported by ``GET /_mockscim/info``), rather than a
    #: behaviour switch.
    credential: bool = True


@dataclass(frozen=True)
class OpenApiSurface:
    """One OpenAPI document the mock serves at ``/_mockscim/openapi/<name>.json``."""

    name: str
    title: str
    build: Callable[[], dict[str, Any]]
    #: Path prefix of the surface on the mock (a SCIM server's base path template).
    prefix: str = ""


class ScenarioBuild:
    """What the scenario builder offers a vendor while it builds (see
    :mod:`mockscim.scenario.builder`): calls through the vendor's own public API on a scratch
    app, IdP-style provisioning of a directory, and the scratch mock itself."""

    mock: Mock

    def call(
        self, method: str, path: str, body: Any, headers: dict[str, str], where: str
    ) -> dict[str, Any]:
        raise NotImplementedError

    def provision(
        self, base_path: str, token: str, directory: dict[str, Any] | None, where: str
    ) -> dict[str, Any]:
        raise NotImplementedError


class Vendor:
    """The recipe; each vendor's ``VENDOR`` is an instance of a subclass."""

    #: The name used in the store, the journal, scenario files and the control handles.
    name: str = ""
    options: tuple[SettingOption, ...] = ()

    def register(self, app: Flask, mock: Mock, surfaces: Surfaces) -> None:
        """Register state with the store, surfaces and blueprints with the app."""
        raise NotImplementedError

    def openapi_surfaces(self) -> list[OpenApiSurface]:
        return []

    # -- scenarios and seeding
    def seeding(self) -> ModuleType:
        """The vendor's ``seeding`` module: ``SCENARIO_KEYS`` (the keys its section of a scenario
        file may hold), ``validate_scenario(section)`` (raises ``ScenarioError``),
        ``build_scenario(build, section)`` (builds the section through the vendor's API and
        returns its part of the load report) and ``Helper`` (the ``.<name>`` seeding helper
        of every control handle, a :class:`ControlHelper`)."""
        raise NotImplementedError

    @property
    def scenario_keys(self) -> frozenset[str]:
        return frozenset(self.seeding().SCENARIO_KEYS)

    def validate_scenario(self, section: dict[str, Any]) -> None:
        self.seeding().validate_scenario(section)

    def build_scenario(self, build: ScenarioBuild, section: dict[str, Any]) -> dict[str, Any]:
        return dict(self.seeding().build_scenario(build, section))

    # -- what `serve` prints and `/_mockscim/health` reports
    def profile(self, settings: Settings) -> str | None:
        """The behaviour profile this vendor runs under (e.g. SSOReady's ``exact`` or
        ``rfc``), or None for a vendor that has only one."""
        return None

    def banner(self, settings: Settings, url: str) -> list[str]:
        return []

    def scenario_banner(self, report: dict[str, Any], url: str, name: str) -> list[str]:
        """One line per SCIM directory the loaded scenario holds, with its token."""
        return []

    # -- the test-side API
    def sdk_client(self, settings: Settings, url: str, **kwargs: Any) -> Any:
        """The vendor's official SDK client aimed at the mock at ``url``."""
        raise NotImplementedError

    def control_helper(self, call: Any, base_url: Callable[[], str | None], factory: Any) -> Any:
        """The ``.<name>`` seeding helper of every control handle."""
        return self.seeding().Helper(call, base_url, factory)

    # -- socket-free mode (mockscim.testing.intercept): the vendor's real hosts, in-process
    #: The URL the vendor's SDK reaches by default (``https://test.stytch.com``).
    production_url: str = ""
    #: Where the vendor's SCIM base URLs point in production when that is not
    #: ``production_url`` (SSOReady's ``scimBaseUrl`` is on its auth host, not its API host).
    #: Socket-free mode sets ``Settings.<name>_public_url`` to it, so the URLs the API returns
    #: are the production ones; empty: base URLs follow the request's host.
    production_scim_url: str = ""
    #: Host suffixes the vendor serves below (Stytch's project domains).
    production_host_suffixes: tuple[str, ...] = ()

    def production_hosts(self) -> tuple[str, ...]:
        """Every exact host name the vendor's SDKs and its SCIM clients reach in production
        (read at call time: an environment variable may add one, as ``SSOREADY_BASE_URL``
        does for SSOReady)."""
        return ()

    def production_client(self, settings: Settings, **kwargs: Any) -> Any:
        """The vendor's official SDK client built as production code builds it (no base URL:
        its default production host), authenticating with ``settings``' credentials."""
        raise NotImplementedError


#: The control plane, as a vendor's seeding helper calls it: ``call(method, path under
#: /_mockscim, body, query)`` -> the JSON answer (``ControlError`` on a 4xx/5xx).
ControlCall = Callable[..., Any]


class ControlHelper:
    """Base of each vendor's ``.<name>`` helper on a control handle (``mockscim.stytch``):
    seeds through the scenario loader, so what it builds is built by the vendor's own API."""

    vendor = ""

    def __init__(
        self, call: ControlCall, base_url: Callable[[], str | None], factory: Callable[[], Any]
    ) -> None:
        self._call = call
        self._base_url = base_url
        self._factory = factory

    @property
    def factory(self) -> Any:
        """The seeded ``mockscim.testing.factories.Factory`` that names what is created."""
        return self._factory()

    def _load(self, org: dict[str, Any]) -> dict[str, Any]:
        scenario = {"mockscim_scenario": 1, self.vendor: {"organizations": [org]}}
        report = self._call("PUT", "/state", scenario, {"merge": "1"})
        return dict(report[self.vendor]["organizations"][0])

    def _absolute(self, path: str | None) -> str | None:
        base = self._base_url()
        if path is None or base is None:
            return path
        return base + path
