"""``mockscim serve``: the fake backend, both vendors and the control plane on one port."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import Any

from mockscim import __version__
from mockscim.app import create_app
from mockscim.http.context import mock_of
from mockscim.serving.wsgi import DEFAULT_IDLE_TIMEOUT, SERVERS, BindError, WSGIServer
from mockscim.settings import Settings
from mockscim.vendors import VENDORS


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Serve both vendors' APIs and SCIM 2.0 servers from one in-memory store. "
        "Point the official SDKs at the printed URL; GET /_mockscim/health answers once ready."
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default: %(default)s)")
    p.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to bind; 0 picks a free one (default: %(default)s)",
    )
    p.add_argument(
        "--scenario",
        metavar="FILE",
        help="scenario or state JSON file, or a bundled scenario's name, to load at start "
        "(default: the bundled 'demo'; 'none' starts empty)",
    )
    p.add_argument("--seed", type=int, help="seed for generated data (same seed, same data)")
    for vendor in VENDORS.values():
        for option in vendor.options:
            p.add_argument(
                f"--{option.flag}", dest=option.field, metavar=option.metavar, help=option.help
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


def settings_from(args: argparse.Namespace) -> Settings:
    vendor_fields = {o.field for vendor in VENDORS.values() for o in vendor.options}
    return Settings().with_overrides(
        seed=args.seed,
        scenario=args.scenario or "demo",
        state_file=args.state_file,
        public_url=args.public_url,
        **{name: getattr(args, name) for name in vendor_fields},
    )


def run(args: argparse.Namespace) -> int:
    if args.idle_timeout <= 0:
        print(
            "mockscim: error: --idle-timeout must be a positive number of seconds", file=sys.stderr
        )
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
            ssl_context=ssl_context,
            access_log=not args.quiet,
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
    if server.kind == "werkzeug":  # its own request log (waitress's goes to "mockscim")
        logging.getLogger("werkzeug").setLevel(logging.WARNING if args.quiet else logging.INFO)
    for line in banner(mock, server.url, ca_path):
        print(line, flush=True)
    try:
        server.serve_forever()
    finally:
        mock.close()
        print("mockscim stopped", flush=True)
    return 0


def banner(mock: Any, url: str, ca_path: str | None = None) -> list[str]:
    """Where each surface lives and its credentials, the test CA to trust with ``--tls``, then
    every SCIM directory the loaded scenario holds with its token (the scenario author's demo
    tokens, never stored)."""
    lines = [f"mockscim {__version__} listening on {url}"]
    for vendor in VENDORS.values():
        lines += vendor.banner(mock.settings, url)
    lines.append(f"  control   {url}/_mockscim  (health, reset, clock, faults, requests, state)")
    if ca_path:
        lines.append(f"  tls       test CA: {ca_path}  (REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS)")
    report = mock.scenario_report or {}
    name = report.get("name") or "scenario"
    for vendor in VENDORS.values():
        lines += vendor.scenario_banner(report.get(vendor.name) or {}, url, name)
    return lines
