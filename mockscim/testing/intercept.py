"""Socket-free mode: the vendors' real hosts answered by an in-process mock.

    with mockscim.intercept() as mock:             # or @mockscim.intercept(), or the
        client = mock.stytch_client()              # ``mockscim_intercept`` pytest fixture
        client.organizations.create(organization_name="Acme")   # never leaves the process

Every request to a registered vendor's production hosts (``Vendor.production_hosts()`` and
``production_host_suffixes``: Stytch's ``test.stytch.com``, ``api.stytch.com``, the fraud host
``telemetry.stytch.com`` and project domains under ``*.customers.stytch.com``; SSOReady's
``api.ssoready.com``, the SCIM host ``auth.ssoready.com`` and the host of
``SSOREADY_BASE_URL`` when set) and to any ``hosts=`` you add is answered by a Flask app from
``create_app(Settings(...))``, called as a WSGI function on the calling thread. Any other
host is passed through untouched. Unmodified production code works, SDK clients included:
``stytch.B2BClient(project_id, secret, environment="test")``, ``SSOReady(api_key=...)``.

How each HTTP client is reached (``benchmarks/run.py`` measures the SDK socket-free against
the same SDK over loopback):

- ``requests`` (and the stytch SDK): a transport adapter, requests' own extension point,
  returned by ``Session.get_adapter`` for the intercepted hosts. The request is fully prepared
  by requests (auth, cookies, hooks, redirects work as usual); urllib3 is never reached.
- ``httpx`` sync and async (the ssoready SDK): ``respx`` routes (host-matched, side effect
  calling the app), with a catch-all pass-through route for every other host.
- ``aiohttp`` (the stytch SDK's ``*_async`` methods): ``aioresponses`` with a regex callback
  and ``passthrough_unmatched``; the WSGI call runs in ``asyncio.to_thread`` so injected
  latency does not block the event loop.
- ``urllib`` (the standard library's ``urllib.request``; PyJWT's ``PyJWKClient``, which the
  stytch SDK's local ``authenticate_jwt`` uses to fetch the project's JWKS): its HTTP handlers'
  ``do_open``, so every opener (``urlopen(..., context=...)`` builds a fresh one) is reached.

Socket-free mode never leaks (issue 20). Two rules make it so:

- It refuses to start when a client it would patch is installed but the library that patches
  it is not (``httpx`` without ``respx``, ``aiohttp`` without ``aioresponses``), naming the
  ``mockscim[intercept]`` extra; ``clients=`` leaves such a client out on purpose. Refusing,
  rather than shipping both libraries as dependencies: ``aioresponses`` pulls in ``aiohttp``,
  a compiled library most users of the stytch SDK (``requests``) never need.
- While active, resolving a vendor host's name fails with :class:`VendorHostRefused` (an
  ``OSError``, so each client raises its own connection error naming it): a client left out,
  or one socket-free mode does not know (``http.client``, urllib3 used directly), cannot
  reach the real vendor. A request sent through an HTTP proxy resolves the proxy, not the
  vendor, and is not caught: unset ``HTTPS_PROXY`` for unpatched clients.

A dropped-connection fault surfaces as each client's own connection error
(``requests.ConnectionError``, ``httpx.RemoteProtocolError``,
``aiohttp.ServerDisconnectedError``).
"""

from __future__ import annotations

import functools
import io
import json
import re
import socket
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode, urlsplit

from flask import Flask

from mockscim.app import create_app
from mockscim.control.client import Control
from mockscim.engine.mock import Mock
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from mockscim.vendors import VENDORS

#: The HTTP clients socket-free mode can patch.
CLIENTS = ("requests", "httpx", "aiohttp", "urllib")
#: Client -> the module that must be importable to patch it, when it is not the client itself.
PATCHED_BY = {"httpx": "respx", "aiohttp": "aioresponses"}


class VendorHostRefused(socket.gaierror):
    """A vendor host's name was looked up while socket-free mode was active: some client that
    is not intercepted tried to reach the real vendor. Raised instead of resolving it."""


# ---------------------------------------------------------------------------- WSGI call
class DroppedConnection(ConnectionResetError):
    """The app dropped the connection (a ``faults.drop`` rule)."""


def _environ(
    method: str, url: str, headers: Iterable[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "0",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "HTTP_HOST": parts.netloc,
        "CONTENT_LENGTH": str(len(body)),
        "mockscim.intercepted": True,
    }
    for name, value in headers:
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
            continue
        if key in ("CONTENT_LENGTH", "HOST"):
            continue
        key = "HTTP_" + key
        environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


def call_app(
    app: Any, method: str, url: str, headers: Iterable[tuple[str, str]], body: bytes
) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """One HTTP exchange with a WSGI app: ``(status, reason, headers, body)``."""
    environ = _environ(method, url, headers, body)
    started: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info=None):  # type: ignore[no-untyped-def]
        started[:] = [status, response_headers]
        return lambda data: chunks.append(data)

    chunks: list[bytes] = []
    try:
        result = app(environ, start_response)
    except ConnectionResetError as exc:
        raise DroppedConnection(str(exc)) from None
    try:
        for chunk in result:
            chunks.append(chunk)
    finally:
        if hasattr(result, "close"):
            result.close()
    status_line, response_headers = started
    code, _, reason = status_line.partition(" ")
    return int(code), reason, response_headers, b"".join(chunks)


# ---------------------------------------------------------------------------- host matching
class Hosts:
    """The intercepted host names (exact, case-insensitive) and host suffixes."""

    def __init__(self, hosts: Iterable[str], suffixes: Iterable[str] = ()) -> None:
        self.hosts = frozenset(h.lower() for h in hosts)
        self.suffixes = tuple(s.lower() for s in suffixes)

    def __contains__(self, host: object) -> bool:
        if not isinstance(host, str):
            return False
        host = host.lower()
        return host in self.hosts or host.endswith(self.suffixes)

    def match_url(self, url: str) -> bool:
        return urlsplit(url).hostname in self

    def regex(self) -> re.Pattern[str]:
        names = "|".join(re.escape(h) for h in sorted(self.hosts))
        suffixes = "|".join(r"[A-Za-z0-9.-]+" + re.escape(s) for s in self.suffixes)
        alternatives = "|".join(x for x in (names, suffixes) if x)
        return re.compile(rf"^https?://(?:{alternatives})(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)


def default_hosts(extra: Iterable[str] = ()) -> Hosts:
    """Every registered vendor's production hosts and suffixes, plus ``extra``."""
    hosts = [h for vendor in VENDORS.values() for h in vendor.production_hosts()]
    suffixes = [s for vendor in VENDORS.values() for s in vendor.production_host_suffixes]
    return Hosts([*hosts, *extra], suffixes)


# ---------------------------------------------------------------------------- requests
def _requests_patch(app: Any, hosts: Hosts) -> Callable[[], None]:
    import requests
    from requests.adapters import BaseAdapter
    from requests.sessions import merge_setting
    from requests.structures import CaseInsensitiveDict
    from requests.utils import get_encoding_from_headers

    class WSGIAdapter(BaseAdapter):
        """A requests transport adapter answering from the in-process app."""

        def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # type: ignore[no-untyped-def]
            body = request.body
            if body is None:
                raw = b""
            elif isinstance(body, bytes):
                raw = body
            elif isinstance(body, str):
                raw = body.encode("utf-8")
            elif hasattr(body, "read"):
                raw = body.read()
                raw = raw.encode("utf-8") if isinstance(raw, str) else raw
            else:  # an iterable of chunks
                raw = b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body)
            try:
                status, reason, headers, content = call_app(
                    app, request.method, request.url, request.headers.items(), raw
                )
            except DroppedConnection as exc:
                raise requests.ConnectionError(exc, request=request) from None
            response = requests.Response()
            response.status_code = status
            response.reason = reason
            response.headers = CaseInsensitiveDict(headers)
            response.encoding = get_encoding_from_headers(response.headers)
            response.raw = io.BytesIO(content)
            response._content = content
            response._content_consumed = True
            response.url = request.url
            response.request = request
            response.connection = self
            return response

        def close(self) -> None:
            pass

    adapter = WSGIAdapter()
    original = requests.Session.get_adapter

    @functools.wraps(original)
    def get_adapter(self: requests.Session, url: str) -> BaseAdapter:
        if hosts.match_url(url):
            return adapter
        return original(self, url)

    original_merge = requests.Session.merge_environment_settings

    @functools.wraps(original_merge)
    def merge_environment_settings(
        self: requests.Session, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        # An intercepted request never reaches a proxy: skip requests' scan of the whole
        # environment for proxy variables (a third of an SDK call's time in-process).
        if not hosts.match_url(url):
            return original_merge(self, url, proxies, stream, verify, cert)
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }

    requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]
    requests.Session.merge_environment_settings = merge_environment_settings  # type: ignore[method-assign]

    def undo() -> None:
        requests.Session.get_adapter = original  # type: ignore[method-assign]
        requests.Session.merge_environment_settings = original_merge  # type: ignore[method-assign]

    return undo


# ---------------------------------------------------------------------------- urllib
def _urllib_patch(app: Any, hosts: Hosts) -> Callable[[], None]:
    import http.client
    import urllib.error
    import urllib.request
    import urllib.response

    handler = urllib.request.AbstractHTTPHandler
    original = handler.do_open

    @functools.wraps(original)
    def do_open(self: Any, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> Any:
        if not hosts.match_url(req.full_url):
            return original(self, http_class, req, **kwargs)
        headers = dict(req.unredirected_hdrs)
        headers.update({k: v for k, v in req.headers.items() if k not in headers})
        try:
            status, reason, response_headers, content = call_app(
                app, req.get_method(), req.full_url, headers.items(), _urllib_body(req.data)
            )
        except DroppedConnection as exc:
            raise urllib.error.URLError(exc) from None
        message = http.client.HTTPMessage()
        for name, value in response_headers:
            message[name] = value
        response = urllib.response.addinfourl(io.BytesIO(content), message, req.full_url, status)
        response.msg = reason  # what urllib's error processor reads as the reason phrase
        return response

    handler.do_open = do_open  # type: ignore[method-assign]

    def undo() -> None:
        handler.do_open = original  # type: ignore[method-assign]

    return undo


def _urllib_body(data: Any) -> bytes:
    if data is None:
        return b""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8")
    if hasattr(data, "read"):
        raw = data.read()
        return raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    return b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in data)


# ---------------------------------------------------------------------------- resolver guard
def _refuse_vendor_lookups(hosts: Hosts) -> Callable[[], None]:
    """Make ``socket.getaddrinfo`` (which ``socket.create_connection``, urllib3, httpcore and
    asyncio's resolver call) fail for the vendors' hosts until undone."""
    original = socket.getaddrinfo

    @functools.wraps(original)
    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if isinstance(name, str) and name.rstrip(".") in hosts:
            raise VendorHostRefused(
                socket.EAI_NONAME,
                f"mockscim.intercept refused to resolve {name}: a client socket-free mode does "
                "not intercept tried to reach the real vendor (see mockscim.intercept's clients=)",
            )
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo

    def undo() -> None:
        socket.getaddrinfo = original

    return undo


def missing_extras(clients: Iterable[str]) -> list[tuple[str, str]]:
    """``(client, module)`` for each of ``clients`` that is installed while the module that
    patches it is not: socket-free mode cannot intercept that client."""
    return [
        (client, PATCHED_BY[client])
        for client in clients
        if client in PATCHED_BY and _importable(client) and not _importable(PATCHED_BY[client])
    ]


# ---------------------------------------------------------------------------- httpx
def _httpx_router(app: Any, hosts: Hosts) -> Any:
    import asyncio

    import httpx
    import respx

    def answer(request: httpx.Request) -> httpx.Response:
        try:
            status, _reason, headers, content = call_app(
                app, request.method, str(request.url), request.headers.multi_items(), request.read()
            )
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from None
        return httpx.Response(status, headers=headers, content=content)

    async def answer_async(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return await asyncio.to_thread(answer, request)

    def side_effect(request: httpx.Request) -> Any:
        # respx calls a plain function for both clients; an async client awaits a coroutine.
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return answer(request)
        if isinstance(request.stream, httpx.AsyncByteStream):
            return answer_async(request)
        return answer(request)

    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=False, using="httpx")
    router.route(url__regex=hosts.regex().pattern).mock(side_effect=side_effect)
    router.route().pass_through()
    return router


# ---------------------------------------------------------------------------- aiohttp
def _aiohttp_mocker(app: Any, hosts: Hosts) -> Any:
    import asyncio

    import aiohttp
    from aioresponses import CallbackResult, aioresponses

    class Response(aiohttp.ClientResponse):
        """aioresponses 0.7.9 predates aiohttp 3.14's required ``stream_writer`` argument."""

        def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
            kwargs.setdefault("stream_writer", _SENT)
            super().__init__(method, url, **kwargs)

    def body_of(kwargs: dict[str, Any]) -> tuple[bytes, str | None]:
        if kwargs.get("json") is not None:
            return json.dumps(kwargs["json"]).encode("utf-8"), "application/json"
        data = kwargs.get("data")
        if data is None:
            return b"", None
        if isinstance(data, bytes):
            return data, None
        if isinstance(data, str):
            return data.encode("utf-8"), None
        if isinstance(data, dict | list):
            return urlencode(data).encode("ascii"), "application/x-www-form-urlencoded"
        raise TypeError(f"mockscim.intercept: unsupported aiohttp body {type(data).__name__}")

    async def callback(url: Any, **kwargs: Any) -> CallbackResult:
        method = kwargs.get("method") or "GET"
        headers = dict((kwargs.get("headers") or {}).items())
        raw, content_type = body_of(kwargs)
        lowered = {k.lower() for k in headers}
        if content_type and "content-type" not in lowered:
            headers["Content-Type"] = content_type
        auth = kwargs.get("auth")
        if auth is not None and "authorization" not in lowered:
            headers["Authorization"] = auth.encode()
        try:
            status, reason, response_headers, content = await asyncio.to_thread(
                call_app, app, method, str(url), headers.items(), raw
            )
        except DroppedConnection:
            raise aiohttp.ServerDisconnectedError() from None
        content_type_out = next(
            (v for k, v in response_headers if k.lower() == "content-type"), "application/json"
        )
        return CallbackResult(
            method=method,
            status=status,
            body=content,
            headers={k: v for k, v in response_headers if k.lower() != "content-type"},
            content_type=content_type_out.split(";")[0],
            reason=reason,
            response_class=Response,
        )

    @contextmanager
    def mocked() -> Iterator[None]:
        pattern = hosts.regex()
        with aioresponses(passthrough_unmatched=True) as mocker:
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
                mocker.add(
                    pattern,
                    method=method,
                    callback=functools.partial(_with_method, callback, method),
                    repeat=True,
                )
            yield

    return mocked()


#: A request writer that has finished (what aiohttp's ClientResponse reads ``output_size`` from).
_SENT = type("_Sent", (), {"output_size": 0})()


async def _with_method(callback: Any, method: str, url: Any, **kwargs: Any) -> Any:
    return await callback(url, method=method, **kwargs)


# ---------------------------------------------------------------------------- the handle
class InterceptedMock(Control):
    """The control handle of an intercepted mock (same API as the ``mockscim`` fixture's),
    with URLs and SDK clients as production has them: ``.url`` is the first registered
    vendor's production URL (``https://test.stytch.com``), ``.urls`` every vendor's, the
    seeding helpers' ``base_url`` the vendor's production SCIM URL, and ``<vendor>_client()``
    the SDK built without a base URL (``stytch.B2BClient(..., environment="test")``,
    ``SSOReady(api_key=...)``; ``ssoready_client(asynchronous=True)`` for ``AsyncSSOReady``)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.urls = {name: vendor.production_url for name, vendor in VENDORS.items()}
        settings = mock_of(app).settings
        super().__init__(app, seed=settings.seed or 0, settings=settings)

    @property
    def url(self) -> str:
        return next(iter(self.urls.values()))

    def base_url_for(self, vendor: str) -> str | None:
        own = VENDORS[vendor]
        return own.production_scim_url or own.production_url

    @property
    def mock(self) -> Mock:
        return mock_of(self.app)

    def reset(self, *, empty: bool = False) -> dict[str, Any]:
        """Back to the scenario (or empty), in-process."""
        return self.mock.reset(reseed=not empty)

    def sdk_client(self, vendor: str, **kwargs: Any) -> Any:
        return VENDORS[vendor].production_client(self.settings, **kwargs)


class intercept:
    """Route the vendors' hosts to an in-process mock; a context manager and a decorator.

    ``settings``: the mock's :class:`Settings` (``scenario=...`` loads one). ``app``: use this
    app instead of a fresh one. ``hosts``: more hostnames to intercept (a custom domain).
    ``clients``: which HTTP clients to patch (default every installed one of requests, httpx,
    aiohttp and urllib). Starting raises ``RuntimeError`` when one of them is installed but
    the library that patches it is not (install ``mockscim[intercept]``, or leave the client
    out of ``clients``); whatever is left out cannot reach a vendor host either (see
    :class:`VendorHostRefused`).
    """

    _active: list[InterceptedMock] = []

    @classmethod
    def current(cls) -> InterceptedMock:
        """The innermost active handle (for code under ``@mockscim.intercept()``)."""
        if not cls._active:
            raise RuntimeError("mockscim.intercept is not active")
        return cls._active[-1]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        app: Flask | None = None,
        hosts: Iterable[str] = (),
        clients: Iterable[str] = CLIENTS,
    ) -> None:
        unknown = sorted(set(clients) - set(CLIENTS))
        if unknown:
            raise ValueError(
                f"mockscim.intercept: unknown clients {unknown}; choose from {', '.join(CLIENTS)}"
            )
        self._settings = settings
        self._app = app
        self._extra_hosts = list(hosts)
        self._clients = tuple(clients)
        self._stack: ExitStack | None = None
        self.handle: InterceptedMock | None = None

    def _build_app(self) -> Flask:
        if self._app is not None:
            return self._app
        settings = (self._settings or Settings()).with_overrides()  # a copy
        # Production URLs: a base URL that follows the request host is already right (Stytch's:
        # test.stytch.com); one that lives on another host than the API it is read from
        # (SSOReady's scimBaseUrl, on its auth host) is pinned, unless the caller set one.
        for name, vendor in VENDORS.items():
            field = f"{name}_public_url"
            pinned = vendor.production_scim_url
            if pinned and hasattr(settings, field) and not getattr(settings, field):
                setattr(settings, field, pinned)
        if not settings.allowed_hosts:
            # No socket, so no browser can rebind a name to this mock: every intercepted host
            # (a project's custom domain included) is its address for the control plane too.
            settings.allowed_hosts = ("*",)
        app = create_app(settings)
        mock_of(app).open()
        return app

    def __enter__(self) -> InterceptedMock:
        missing = missing_extras(self._clients)
        if missing:
            names = ", ".join(f"{client} (needs {module})" for client, module in missing)
            raise RuntimeError(
                f"mockscim.intercept cannot intercept {names}: its requests to the vendors' "
                "hosts would fail instead of reaching the mock. Install the extra: "
                "pip install 'mockscim[intercept]', or leave the client out with "
                f"clients={tuple(c for c in self._clients if c not in dict(missing))!r}."
            )
        app = self._build_app()
        hosts = default_hosts(self._extra_hosts)
        stack = ExitStack()
        try:
            stack.callback(_refuse_vendor_lookups(hosts))
            if "requests" in self._clients and _importable("requests"):
                stack.callback(_requests_patch(app, hosts))
            if "httpx" in self._clients and _importable("httpx"):
                stack.enter_context(_httpx_router(app, hosts))
            if "aiohttp" in self._clients and _importable("aiohttp"):
                stack.enter_context(_aiohttp_mocker(app, hosts))
            if "urllib" in self._clients:
                stack.callback(_urllib_patch(app, hosts))
        except BaseException:
            stack.close()
            if self._app is None:
                mock_of(app).close()
            raise
        self._stack = stack
        self.handle = InterceptedMock(app)
        intercept._active.append(self.handle)
        return self.handle

    def __exit__(self, *exc: object) -> None:
        stack, self._stack = self._stack, None
        if self.handle in intercept._active:
            intercept._active.remove(self.handle)
        if stack is not None:
            stack.close()
        if self.handle is not None and self._app is None:
            self.handle.mock.close()

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        import inspect

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with intercept(
                    self._settings, app=self._app, hosts=self._extra_hosts, clients=self._clients
                ):
                    return await fn(*args, **kwargs)

            return run_async

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with intercept(
                self._settings, app=self._app, hosts=self._extra_hosts, clients=self._clients
            ):
                return fn(*args, **kwargs)

        return run


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
