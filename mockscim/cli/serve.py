"""``mockscim serve``: the fake backend, both vendors and the control plane on one port."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import Any

from werkzeug.serving import make_server

from mockscim import __version__
from mockscim.app import create_app
from mockscim.http.context import mock_of
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
                f"--{option.flag}",
                dest=option.field,
                metavar=option.metavar,
                help=option.help,
                choices=option.choices,
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
    settings = settings_from(args)
    app = create_app(settings)
    mock = mock_of(app)
    try:
        mock.open()
    except (OSError, ValueError) as exc:
        print(f"mockscim: error: {exc}", file=sys.stderr)
        return 2
    try:
        # werkzeug reports a port in use itself and exits; keep one clear message instead.
        server = make_server(args.host, args.port, app, threaded=True)
    except (OSError, SystemExit) as exc:
        reason = "address already in use" if isinstance(exc, SystemExit) else exc
        print(f"mockscim: error: cannot bind {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING if args.quiet else logging.INFO)
    host = args.host if ":" not in args.host else f"[{args.host}]"
    url = f"http://{host}:{server.server_port}"
    for line in banner(mock, url):
        print(line, flush=True)

    def _stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        mock.close()
        print("mockscim stopped", flush=True)
    return 0


def banner(mock: Any, url: str) -> list[str]:
    """Where each surface lives and its credentials, then every SCIM directory the loaded
    scenario holds with its token (the scenario author's demo tokens, never stored)."""
    lines = [f"mockscim {__version__} listening on {url}"]
    for vendor in VENDORS.values():
        lines += vendor.banner(mock.settings, url)
    lines.append(f"  control   {url}/_mockscim  (health, reset, clock, faults, requests, state)")
    report = mock.scenario_report or {}
    name = report.get("name") or "scenario"
    for vendor in VENDORS.values():
        lines += vendor.scenario_banner(report.get(vendor.name) or {}, url, name)
    return lines
