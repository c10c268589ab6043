"""The ``mockscim`` command: one subcommand per module of this package, in :data:`COMMANDS`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mockscim import __version__
from mockscim.cli import contract, push, scenario, serve

#: name -> module with ``configure(parser)`` (its description's first sentence is the
#: summary ``mockscim --help`` lists) and ``run(args) -> exit status``.
COMMANDS = {"serve": serve, "scenario": scenario, "push": push, "contract": contract}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockscim",
        description="In-memory Stytch B2B and SSOReady SCIM provisioning APIs for tests and local development.",
    )
    parser.add_argument("--version", action="version", version=f"mockscim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        probe = argparse.ArgumentParser()
        module.configure(probe)
        summary = (probe.description or "").split(". ")[0].rstrip(".")
        module.configure(sub.add_parser(name, help=summary[:1].lower() + summary[1:]))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `mockscim`: say what there is, successfully
        parser.print_help()
        return 0
    return int(COMMANDS[args.command].run(args))


if __name__ == "__main__":
    sys.exit(main())
