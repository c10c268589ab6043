"""pytest plugin (registered through the ``pytest11`` entry point ``mockscim``): installing the
package is enough, no conftest.py needed.

Fixtures:

- ``mockscim``: one server per session on a free loopback port, reset before every test (a
  reset swaps the store's containers: microseconds, not a restart). The handle has ``.url``,
  ``.clock``, ``.faults``, ``.journal``, ``.state``, ``.stytch`` / ``.ssoready`` (create
  orgs, connections and directories in one call), ``.stytch_client()``, ``.ssoready_client()``
  and ``.mock`` (the in-process objects; absent with ``--mockscim-url``).
- ``mockscim_app``: a fresh in-process app per test, no socket: ``mockscim_app.get(...)`` etc.
  (Flask test client methods) plus the same control handles.
- ``mockscim_intercept``: socket-free mode for one test (:mod:`mockscim.testing.intercept`):
  the vendors' real hosts answered in-process, so SDK clients built as in production work.
- ``stytch_client`` / ``ssoready_client``: the official SDKs aimed at ``mockscim``; skipped
  with the reason when the SDK is not installed.
- ``webhook_receiver``: a loopback endpoint registered with ``mockscim`` for this test that
  verifies every webhook delivery with the real ``svix`` library and records it (``.events``,
  ``.wait_for(type)``, ``.fail_next(n)``, ``.secret``); skipped when ``svix`` is missing.
- ``mockscim_factory`` (this test's seeded Factory), ``scim_user_factory``,
  ``scim_group_factory``, ``stytch_org_factory``, ``ssoready_org_factory``: seeded per test
  (same test and seed, same data), all drawing from one factory so names never clash.

Options (flag > ini key > environment variable > default): ``--mockscim-host`` /
``mockscim_host`` / ``MOCKSCIM_HOST`` and likewise ``port``, ``seed``, ``scenario``,
``url`` (use an already running mock instead of starting one), ``stytch-project-id``,
``stytch-secret``, ``ssoready-api-key``.

An exception raised inside the server while a test runs fails that test with the server-side
traceback, even though the client only saw a 500.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from mockscim.settings import Settings
from mockscim.vendors import VENDORS

if TYPE_CHECKING:
    # Loaded by the fixtures that need them: pytest imports this plugin in every process
    # (each xdist worker too), also in runs that never use a mock.
    from flask.testing import FlaskClient

    from mockscim.control.client import Control
    from mockscim.engine.mock import Mock
    from mockscim.testing.factories import Factory
    from mockscim.testing.inprocess import InProcessMock
    from mockscim.testing.intercept import InterceptedMock
    from mockscim.testing.server import MockServer


@dataclass(frozen=True)
class Option:
    name: str  # dashed, as in --mockscim-<name>
    help: str
    type: type = str
    choices: tuple[str, ...] | None = None

    @property
    def flag(self) -> str:
        return f"--mockscim-{self.name}"

    @property
    def dest(self) -> str:
        return "mockscim_" + self.name.replace("-", "_")

    @property
    def env(self) -> str:
        return "MOCKSCIM_" + self.name.replace("-", "_").upper()


OPTIONS = (
    Option("host", "interface the session server binds (default 127.0.0.1)"),
    Option("port", "port of the session server (default 0: a free port)", int),
    Option("seed", "base seed of the factories (default 0)", int),
    Option(
        "scenario",
        "scenario or state file (or a bundled scenario's name, 'demo') loaded at start and "
        "restored by every reset",
    ),
    Option("url", "use the mock already running at this URL instead of starting one"),
    Option(
        "control-token",
        "X-Mockscim-Control-Token the mock requires (mockscim serve --control-token); sent "
        "on every control call",
    ),
    *(
        Option(o.flag, o.help, choices=o.choices)
        for vendor in VENDORS.values()
        for o in vendor.options
    ),
)
#: Vendor options: pytest option name -> the Settings field it sets.
VENDOR_FIELDS = {o.flag: o.field for vendor in VENDORS.values() for o in vendor.options}

_MOCKS = pytest.StashKey["list[Mock]"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockscim", "mockscim: Stytch B2B and SSOReady SCIM mock")
    for option in OPTIONS:
        group.addoption(option.flag, dest=option.dest, default=None, help=option.help)
        parser.addini(option.dest, f"{option.help} (or {option.env})", default=None)


def option_value(config: pytest.Config, name: str) -> Any:
    """``--mockscim-<name>``, else the ini key ``mockscim_<name>``, else ``MOCKSCIM_<NAME>``."""
    option = next(o for o in OPTIONS if o.name == name)
    value = config.getoption(option.dest, default=None)
    if value in (None, ""):
        try:
            value = config.getini(option.dest)
        except ValueError:  # the plugin's fixtures imported without the plugin registered
            value = None
    if value in (None, "", []):
        value = os.environ.get(option.env)
    if value in (None, ""):
        return None
    if option.choices is not None and value not in option.choices:
        raise pytest.UsageError(
            f"{option.flag}: {value!r} is not one of {', '.join(option.choices)}"
        )
    try:
        return option.type(value)
    except ValueError as exc:
        raise pytest.UsageError(
            f"{option.flag}: {value!r} is not a valid {option.type.__name__}"
        ) from exc


def settings_from(config: pytest.Config) -> Settings:
    return Settings().with_overrides(
        seed=option_value(config, "seed"),
        scenario=option_value(config, "scenario"),
        control_token=option_value(config, "control-token"),
        **{name: option_value(config, flag) for flag, name in VENDOR_FIELDS.items()},
    )


def _under_xdist(config: pytest.Config) -> bool:
    """A pytest-xdist worker, or the controller that will start workers (``-n N``)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return True
    workers = config.getoption("numprocesses", default=None)
    return workers not in (None, 0, "0")


def pytest_configure(config: pytest.Config) -> None:
    """Refuse options that cannot work with pytest-xdist, before any worker starts: every
    worker runs its own session server (on its own free port), so a fixed port makes all but
    one fail to bind, and a shared ``--mockscim-url`` lets workers reset each other's state."""
    if not _under_xdist(config):
        return
    fixed = [name for name in ("port", "url") if option_value(config, name) not in (None, 0)]
    if fixed:
        flags = " and ".join(f"--mockscim-{name}" for name in fixed)
        raise pytest.UsageError(
            f"{flags} cannot be used with pytest-xdist (-n): every worker starts its own mock "
            "on a free port and resets it before each test, so one fixed port or one shared "
            "server would be reset by the other workers mid-test. Drop the option (or the "
            "MOCKSCIM_PORT/MOCKSCIM_URL variable or ini key) to get one server per worker."
        )


def _test_seed(config: pytest.Config, nodeid: str) -> int:
    """The base seed mixed with the test's id: each test gets its own, stable data."""
    return ((option_value(config, "seed") or 0) * 1_000_003 + zlib.crc32(nodeid.encode())) % 2**31


# ---------------------------------------------------------------------------- handles
@pytest.fixture(scope="session")
def _mockscim_session_server(pytestconfig: pytest.Config) -> Iterator[MockServer | Control]:
    from mockscim.control.client import Control
    from mockscim.testing.server import MockServer

    settings = settings_from(pytestconfig)
    url = option_value(pytestconfig, "url")
    if url:
        remote = Control(url, settings=settings)
        if not remote.health():
            raise pytest.UsageError(f"--mockscim-url: no mockscim answering at {url}")
        yield remote
        return
    host = option_value(pytestconfig, "host") or "127.0.0.1"
    port = option_value(pytestconfig, "port") or 0
    with MockServer(settings, host=host, port=port) as server:
        yield server


@pytest.fixture
def mockscim_factory(request: pytest.FixtureRequest) -> Factory:
    """This test's seeded :class:`~mockscim.testing.factories.Factory` (also behind the factory
    fixtures and ``mockscim.stytch``/``.ssoready``): same test and seed, same data."""
    from mockscim.testing.factories import Factory

    return Factory(_test_seed(request.config, request.node.nodeid))


@pytest.fixture
def mockscim(
    _mockscim_session_server: MockServer | Control,
    mockscim_factory: Factory,
    request: pytest.FixtureRequest,
) -> Iterator[MockServer | Control]:
    """The session's mock, reset for this test (empty, or back to ``--mockscim-scenario``)."""
    from mockscim.testing.server import MockServer

    handle = _mockscim_session_server
    handle.reset()
    handle.use_factory(mockscim_factory)
    if isinstance(handle, MockServer):
        request.node.stash.setdefault(_MOCKS, []).append(handle.mock)
    yield handle


@pytest.fixture
def mockscim_app(
    pytestconfig: pytest.Config, mockscim_factory: Factory, request: pytest.FixtureRequest
) -> Iterator[InProcessMock]:
    """A fresh in-process mock (no socket): Flask test-client methods plus control handles."""
    from mockscim.app import create_app
    from mockscim.http.context import mock_of
    from mockscim.testing.inprocess import InProcessMock

    app = create_app(settings_from(pytestconfig))
    mock_of(app).open()
    handle = InProcessMock(app)
    handle.use_factory(mockscim_factory)
    request.node.stash.setdefault(_MOCKS, []).append(handle.mock)
    yield handle
    handle.mock.close()  # stops the webhook senders the test's endpoints started


@pytest.fixture
def mockscim_intercept(
    pytestconfig: pytest.Config, mockscim_factory: Factory, request: pytest.FixtureRequest
) -> Iterator[InterceptedMock]:
    """Socket-free mock for this test: the vendors' real hosts (``test.stytch.com``,
    ``api.ssoready.com``, ...) answered in-process for requests, httpx and aiohttp."""
    from mockscim.testing.intercept import intercept

    with intercept(settings_from(pytestconfig)) as handle:
        handle.use_factory(mockscim_factory)
        request.node.stash.setdefault(_MOCKS, []).append(handle.mock)
        yield handle


@pytest.fixture
def mockscim_client(mockscim_app: InProcessMock) -> FlaskClient:
    return mockscim_app.client


@pytest.fixture
def stytch_client(mockscim: MockServer | Control) -> Any:
    """``stytch.B2BClient`` aimed at the mock (skipped when ``stytch`` is not installed)."""
    try:
        import stytch  # noqa: F401
    except ImportError:
        pytest.skip("the stytch SDK is not installed (pip install stytch)")
    return mockscim.stytch_client()


@pytest.fixture
def ssoready_client(mockscim: MockServer | Control) -> Any:
    """``ssoready.client.SSOReady`` aimed at the mock (skipped when ``ssoready`` is absent)."""
    try:
        import ssoready  # noqa: F401
    except ImportError:
        pytest.skip("the ssoready SDK is not installed (pip install ssoready)")
    return mockscim.ssoready_client()


@pytest.fixture
def webhook_receiver(mockscim: MockServer | Control) -> Iterator[Any]:
    """A :class:`~mockscim.testing.webhooks.WebhookReceiver` registered with ``mockscim``
    (after its per-test reset), verifying each delivery with ``svix``."""
    try:
        import svix  # noqa: F401
    except ImportError:
        pytest.skip(
            "the svix package is not installed (pip install 'mockscim[webhooks]' or svix): "
            "webhook_receiver verifies deliveries with it"
        )
    from mockscim.testing.webhooks import WebhookReceiver

    with WebhookReceiver(mockscim) as receiver:
        yield receiver


@pytest.fixture
def scim_user_factory(mockscim_factory: Factory) -> Callable[..., dict[str, Any]]:
    """``scim_user_factory(domain="acme.test", manager=None, active=True, **overrides)`` -> a
    SCIM User dict (no id) with realistic names and an enterprise extension."""
    return mockscim_factory.scim_user


@pytest.fixture
def scim_group_factory(mockscim_factory: Factory) -> Callable[..., dict[str, Any]]:
    """``scim_group_factory(display_name=None, members=[ids])`` -> a SCIM Group dict."""
    return mockscim_factory.scim_group


@pytest.fixture
def stytch_org_factory(mockscim: MockServer | Control) -> Callable[..., dict[str, Any]]:
    """``stytch_org_factory(name=None, users=0, groups=0, ...)`` -> the created org (ids,
    ``bearer_token``, ``base_url``); see ``StytchHelper.create_org``."""
    return mockscim.stytch.create_org


@pytest.fixture
def ssoready_org_factory(mockscim: MockServer | Control) -> Callable[..., dict[str, Any]]:
    """``ssoready_org_factory(external_id=None, users=0, groups=0, token=True, ...)`` -> the
    created org and its primary directory; see ``SsoreadyHelper.create_org``."""
    return mockscim.ssoready.create_org


# ---------------------------------------------------------------------------- server errors
@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test when the server raised while it ran, with the server's traceback."""
    mocks = item.stash.get(_MOCKS, [])
    for mock in mocks:
        mock.server_errors.clear()
    try:
        result = yield
    except BaseException:
        traces = _take_errors(mocks)
        if traces:
            item.add_report_section("call", "mockscim server", "\n".join(traces))
        raise
    traces = _take_errors(mocks)
    if traces:
        raise MockscimServerError(
            "the mockscim server raised while this test ran (the client saw a 500):\n\n"
            + "\n".join(traces)
        )
    return result


class MockscimServerError(AssertionError):
    pass


def _take_errors(mocks: list[Mock]) -> list[str]:
    traces: list[str] = []
    for mock in mocks:
        traces += mock.take_server_errors()
    return traces


@pytest.fixture
def idp_push(mockscim: MockServer | Control) -> Iterator[Any]:
    """Push a directory into the running mock like an IdP would: ``idp_push(directory,
    idp="entra", base_url=..., token=...)`` -> ``PushReport``
    (:class:`mockscim.idp.pytest_fixtures.IdpPusher`)."""
    from mockscim.idp.pytest_fixtures import pushing

    with pushing(str(mockscim.url)) as pusher:
        yield pusher
