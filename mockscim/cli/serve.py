"""``mockscim serve``: the fake backend, both vendors and the control plane on one port."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import math
import os
import signal
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

from mockscim import __version__
from mockscim.app import create_app
from mockscim.http.context import mock_of
from mockscim.serving.wsgi import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_READ_TIMEOUT,
    SERVERS,
    BindError,
    WSGIServer,
)
from mockscim.settings import Settings
from mockscim.vendors import VENDORS


def port_number(text: str) -> int:
    """``--port``: an integer in 0-65535 (0 picks a free port); anything else is refused
    rather than wrapped (the OS would bind 99999 as 34463)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is outside 0-65535 (0 picks a free port)")
    return value


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Serve both vendors' APIs and SCIM 2.0 servers from one in-memory store. "
        "Point the official SDKs at the printed URL; GET /_mockscim/health answers once ready. "
        "MOCKSCIM_HOST, MOCKSCIM_PORT, MOCKSCIM_SCENARIO, MOCKSCIM_SEED, "
        "MOCKSCIM_CONTROL_TOKEN and MOCKSCIM_<VENDOR FLAG> set the defaults, as for the "
        "pytest plugin."
    )
    env = os.environ
    p.add_argument(
        "--host",
        default=env.get("MOCKSCIM_HOST") or "127.0.0.1",
        help="interface to bind; anything but loopback exposes the control plane, see "
        "--control-token (default: %(default)s)",
    )
    p.add_argument(
        "--port",
        type=port_number,
        default=env.get("MOCKSCIM_PORT") or "8765",
        help="port to bind, 0-65535; 0 picks a free one (default: %(default)s)",
    )
    p.add_argument(
        "--scenario",
        metavar="FILE",
        default=env.get("MOCKSCIM_SCENARIO") or None,
        help="scenario or state JSON file, or a bundled scenario's name, to load at start "
        "(default: the bundled 'demo'; 'none' starts empty)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=env.get("MOCKSCIM_SEED") or None,
        help="seed for generated data (same seed, same data)",
    )
    for vendor in VENDORS.values():
        for option in vendor.options:
            p.add_argument(
                f"--{option.flag}",
                dest=option.field,
                metavar=option.metavar,
                default=env.get("MOCKSCIM_" + option.field.upper()) or None,
                help=option.help,
                choices=option.choices,
            )
    p.add_argument(
        "--control-token",
        metavar="T",
        default=env.get("MOCKSCIM_CONTROL_TOKEN") or None,
        help="require header X-Mockscim-Control-Token: T on /_mockscim/* (health excepted); "
        "use it whenever --host is not loopback",
    )
    p.add_argument(
        "--allow-host",
        metavar="H",
        action="append",
        default=[],
        help="also answer the control plane for requests with Host H (repeatable; loopback "
        "names, IP literals and --public-url's host always are)",
    )
    p.add_argument(
        "--state-file",
        metavar="PATH",
        help="persist state to PATH (atomic write-and-rename) and load it at start if present",
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="URL clients reach the server at, used in base URLs (default: the request's host)",
    )
    p.add_argument(
        "--webhook",
        action="append",
        metavar="URL",
        help="deliver Svix-signed webhook events to URL (repeat for several endpoints); "
        "resets keep these endpoints",
    )
    p.add_argument(
        "--webhook-secret",
        metavar="whsec_...",
        help="signing secret of every --webhook endpoint (default: one generated per endpoint, "
        "printed at start)",
    )
    p.add_argument(
        "--webhook-events",
        metavar="TYPE,TYPE",
        help="send only these event types to the --webhook endpoints (default: every event)",
    )
    p.add_argument(
        "--webhook-header",
        action="append",
        type=_header,
        metavar="'NAME: VALUE'",
        help="send this custom header with every delivery to the --webhook endpoints (Svix's "
        "endpoint headers; repeatable)",
    )
    p.add_argument(
        "--webhook-retry-scale",
        type=_scale,
        metavar="FACTOR",
        help="multiply Svix's retry delays (5 s ... 10 h) by FACTOR, e.g. 0.001 (default: 1)",
    )
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    p.add_argument(
        "--server",
        choices=SERVERS,
        default="waitress",
        help="HTTP server: waitress (default) or werkzeug's development server, for debugging",
    )
    p.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a certificate from a generated test CA; its PEM path is printed "
        "(trust it with REQUESTS_CA_BUNDLE, SSL_CERT_FILE or NODE_EXTRA_CA_CERTS)",
    )
    p.add_argument(
        "--idle-timeout",
        type=float,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="S",
        help="close keep-alive connections idle this long (default: %(default)s seconds)",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=DEFAULT_MAX_CONNECTIONS,
        metavar="N",
        help="open connections kept (waitress); at the limit the longest-idle one is closed to "
        "admit a new client (default: %(default)s)",
    )
    p.add_argument(
        "--read-timeout",
        type=float,
        default=DEFAULT_READ_TIMEOUT,
        metavar="S",
        help="close a connection whose request has not arrived whole this long after its "
        "first byte (waitress; default: %(default)s seconds)",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    vendor_fields = {o.field for vendor in VENDORS.values() for o in vendor.options}
    allowed = list(getattr(args, "allow_host", None) or [])
    host = getattr(args, "host", "") or ""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if host:
            allowed.append(host)  # bound by name: that name is this server's
    return Settings().with_overrides(
        seed=args.seed,
        scenario=args.scenario or "demo",
        state_file=args.state_file,
        public_url=args.public_url,
        webhooks=tuple(args.webhook) if args.webhook else None,
        webhook_secret=args.webhook_secret,
        webhook_events=_event_list(args.webhook_events),
        webhook_headers=tuple(getattr(args, "webhook_header", None) or ()) or None,
        webhook_retry_scale=args.webhook_retry_scale,
        control_token=getattr(args, "control_token", None),
        log_requests=False if getattr(args, "quiet", False) else None,
        allowed_hosts=tuple(allowed) or None,
        **{name: getattr(args, name) for name in vendor_fields},
    )


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative number: {text!r}")
    return value


def _header(text: str) -> tuple[str, str]:
    """``'Name: value'`` -> ``("Name", "value")``; the name and value are checked when the
    endpoints are configured (Svix's rules)."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def _event_list(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(t.strip() for t in text.split(",") if t.strip())


def _unresolvable(host: str) -> str | None:
    """Why ``--host`` names no address this machine can bind, or None. Checked before the
    server starts, which would otherwise die in getaddrinfo with a traceback (waitress) or
    report the port as in use (werkzeug)."""
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        return f"cannot resolve --host {host!r}: {reason}"
    return None


def run(args: argparse.Namespace) -> int:
    if not 0 < args.idle_timeout < math.inf:
        print(
            "mockscim: error: --idle-timeout must be a positive number of seconds", file=sys.stderr
        )
        return 2
    unresolved = _unresolvable(args.host)
    if unresolved:
        print(f"mockscim: error: {unresolved}", file=sys.stderr)
        return 2
    if args.max_connections < 1:
        print("mockscim: error: --max-connections must be at least 1", file=sys.stderr)
        return 2
    if not 0 < args.read_timeout < math.inf:
        print(
            "mockscim: error: --read-timeout must be a positive number of seconds", file=sys.stderr
        )
        return 2
    if getattr(args, "webhook_header", None) and not args.webhook:
        print("mockscim: error: --webhook-header needs a --webhook endpoint", file=sys.stderr)
        return 2
    ssl_context, ca_path = None, None
    if args.tls:
        from mockscim.serving.tls import TestCA

        try:
            ca = TestCA.default()
        except RuntimeError as exc:  # trustme is not installed
            print(f"mockscim: error: {exc}", file=sys.stderr)
            return 2
        ssl_context, ca_path = ca.server_context([args.host]), ca.ca_path
    settings = settings_from(args)
    app = create_app(settings)
    mock = mock_of(app)
    try:
        mock.open()
    except (OSError, ValueError) as exc:
        print(f"mockscim: error: {exc}", file=sys.stderr)
        return 2
    try:
        server = WSGIServer(
            app,
            args.host,
            args.port,
            server=args.server,
            idle_timeout=args.idle_timeout,
            max_connections=args.max_connections,
            read_timeout=args.read_timeout,
            ssl_context=ssl_context,
            # One line per request comes from the app itself (the "mockscim.requests" logger,
            # with surface, credential and error kind); the server adds none of its own.
            access_log=False,
        )
    except BindError as exc:
        print(f"mockscim: error: {exc.strerror}", file=sys.stderr)
        mock.close()
        return 2

    def _stop(signum: int, frame: Any) -> None:
        server.stop()  # Ctrl-C and SIGTERM alike: stop accepting, close, then shut down

    # Before the banner: a client may signal as soon as it has read the URL.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the app logs each request
    for line in banner(mock, server.url, ca_path):
        print(line, flush=True)
    try:
        server.serve_forever()
    finally:
        mock.close()
        print("mockscim stopped", flush=True)
    return 0


def banner(mock: Any, url: str, ca_path: str | None = None) -> list[str]:
    """Where each surface lives and its credentials, the control plane and the dashboard, the
    test CA to trust with ``--tls``, then every SCIM directory the loaded scenario holds with
    its token (the scenario author's demo tokens, never stored)."""
    lines = [f"mockscim {__version__} listening on {url}"]
    host = urlsplit(url).hostname or ""
    if not is_loopback(host):
        protected = (
            "only with the control token"
            if mock.settings.control_token
            else "WITHOUT AUTHENTICATION (start with --control-token)"
        )
        lines += [
            "  " + "!" * 76,
            f"  WARNING: bound to {host}, not loopback: anyone who reaches this port can use",
            f"  the fake APIs, and the control plane (state, reset, faults) {protected}.",
            "  " + "!" * 76,
        ]
    for vendor in VENDORS.values():
        lines += vendor.banner(mock.settings, url)
    lines.append(
        f"  control   {url}/_mockscim  (health, reset, clock, faults, requests, state, webhooks)"
    )
    lines.append(f"  dashboard {url}/_mockscim/ui")
    for endpoint in mock.webhooks.endpoints():
        events = ",".join(sorted(endpoint.event_types)) if endpoint.event_types else "all events"
        headers = f" headers={','.join(sorted(endpoint.headers))}" if endpoint.headers else ""
        lines.append(
            f"  webhook   {endpoint.url}  id={endpoint.id} secret={endpoint.secret} ({events})"
            + headers
        )
    if ca_path:
        lines.append(f"  tls       test CA: {ca_path}  (REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS)")
    report = mock.scenario_report or {}
    name = report.get("name") or "scenario"
    for vendor in VENDORS.values():
        lines += vendor.scenario_banner(report.get(vendor.name) or {}, url, name)
    return lines
