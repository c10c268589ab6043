"""The ``mockscim`` command: ``serve`` runs the fake backend; other subcommands hang off it."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from mockscim import __version__

#: Subcommands contributed by other modules: name -> (configure parser, run).
EXTRA_COMMANDS: dict[
    str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[Any], int]]
] = {}


def _add_serve(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="run the mock server (Stytch B2B + SSOReady + their SCIM servers)",
        description=(
            "Serve both vendors' APIs and SCIM 2.0 servers from one in-memory store. "
            "Point the official SDKs at the printed URL; GET /_mockscim/health answers once ready."
        ),
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
        help="scenario or state JSON file to load at start (default: the bundled demo, "
        "fixtures/demo.json; 'none' starts empty)",
    )
    p.add_argument("--seed", type=int, help="seed for generated data (same seed, same data)")
    p.add_argument(
        "--stytch-project-id", metavar="ID", help="Stytch project_id for HTTP Basic auth"
    )
    p.add_argument("--stytch-secret", metavar="S", help="Stytch secret for HTTP Basic auth")
    p.add_argument(
        "--ssoready-api-key", metavar="K", help="SSOReady management API key (ssoready_sk_...)"
    )
    p.add_argument("--ssoready-app-key", metavar="K", help="SSOReady app API key (ssoready_sk_...)")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockscim",
        description="In-memory Stytch B2B and SSOReady SCIM provisioning APIs for tests and local development.",
    )
    parser.add_argument("--version", action="version", version=f"mockscim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_serve(sub)
    for name, (configure, _run) in EXTRA_COMMANDS.items():
        # Each module describes its command in configure(); its first sentence is the summary
        # `mockscim --help` lists.
        probe = argparse.ArgumentParser()
        configure(probe)
        summary = (probe.description or "").split(". ")[0].rstrip(".")
        configure(sub.add_parser(name, help=summary[:1].lower() + summary[1:]))
    return parser


def _settings_from(args: argparse.Namespace) -> Any:
    from mockscim.settings import Settings

    return Settings().with_overrides(
        stytch_project_id=args.stytch_project_id,
        stytch_secret=args.stytch_secret,
        ssoready_api_key=args.ssoready_api_key,
        ssoready_app_key=args.ssoready_app_key,
        seed=args.seed,
        scenario=args.scenario or _bundled_demo(),
        state_file=args.state_file,
        public_url=args.public_url,
    )


def _bundled_demo() -> str:
    from mockscim.startup import bundled_demo

    return bundled_demo()


def serve(args: argparse.Namespace) -> int:
    import logging

    from werkzeug.serving import make_server

    from mockscim.app import create_app
    from mockscim.startup import prepare

    settings = _settings_from(args)
    app = create_app(settings)
    try:
        prepare(app)
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
    s = settings
    print(f"mockscim {__version__} listening on {url}", flush=True)
    print(
        f"  stytch    {url}/  project_id={s.stytch_project_id} secret={s.stytch_secret}", flush=True
    )
    app_key = f" app_key={s.ssoready_app_key}" if s.ssoready_app_key else ""
    print(f"  ssoready  {url}  api_key={s.ssoready_api_key}{app_key}", flush=True)
    print(
        f"  control   {url}/_mockscim  (health, reset, clock, faults, requests, state)", flush=True
    )
    from mockscim.startup import describe

    for line in describe(app.extensions["mockscim"], url):
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
        from mockscim.startup import shutdown

        shutdown(app)
        print("mockscim stopped", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    import mockscim.commands  # noqa: F401  (registers EXTRA_COMMANDS)

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "serve":
        return serve(args)
    _configure, run = EXTRA_COMMANDS[args.command]
    return run(args)


if __name__ == "__main__":
    # `python -m mockscim.cli` runs this file as __main__; subcommands register themselves in
    # the importable `mockscim.cli`, so dispatch through that module.
    from mockscim.cli import main as _main

    sys.exit(_main())
