"""``mockscim scenario``: generate scenario files and check them.

- ``mockscim scenario generate --seed N --users K --groups G [-o FILE]``: a deterministic
  scenario (same arguments, byte-identical file) with Stytch and SSOReady organizations.
- ``mockscim scenario check FILE``: validate a scenario and build it in memory (every object
  through the vendors' APIs), printing what it holds; exit 1 with the reason if it fails.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def configure(p: argparse.ArgumentParser) -> None:
    p.description = "Generate and check scenario files (the format is in fixtures/README.md)."
    sub = p.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    gen = sub.add_parser(
        "generate",
        help="write a deterministic generated scenario",
        description="Write a generated scenario: the same arguments give a byte-identical file.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    gen.add_argument("--seed", type=int, default=0, help="seed (same seed, same file)")
    gen.add_argument("--users", type=int, default=20, help="users per organization")
    gen.add_argument("--groups", type=int, default=4, help="groups per organization")
    gen.add_argument("--stytch-orgs", type=int, default=1, help="Stytch organizations")
    gen.add_argument("--ssoready-orgs", type=int, default=1, help="SSOReady organizations")
    gen.add_argument("--name", help="scenario name (empty: generated-seed<N>)")
    gen.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    check = sub.add_parser(
        "check",
        help="validate a scenario by building it in memory",
        description="Validate a scenario file (or a bundled scenario's name, 'demo') and build "
        "it in memory, every object through the vendors' own APIs; print what it holds, or "
        "exit 1 with the reason it fails.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    check.add_argument("file", metavar="FILE", help="scenario or state JSON file, or a name")


def run(args: argparse.Namespace) -> int:
    if args.scenario_command == "generate":
        return _generate(args)
    return _check(args)


def _generate(args: argparse.Namespace) -> int:
    from mockscim.engine.persistence import write_atomic
    from mockscim.testing.factories import dumps, generate_scenario

    for name in ("users", "groups", "stytch_orgs", "ssoready_orgs"):
        if getattr(args, name) < 0:
            print(f"mockscim: error: --{name.replace('_', '-')} must be >= 0", file=sys.stderr)
            return 2
    if args.users > 100_000:
        print("mockscim: error: --users must be at most 100000", file=sys.stderr)
        return 2
    scenario = generate_scenario(
        args.seed,
        args.users,
        args.groups,
        stytch_orgs=args.stytch_orgs,
        ssoready_orgs=args.ssoready_orgs,
        name=args.name,
    )
    text = dumps(scenario)
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output} ({_summary(scenario)})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _summary(scenario: dict[str, Any]) -> str:
    orgs = 0
    users = 0
    groups = 0
    for vendor in ("stytch", "ssoready"):
        for org in (scenario.get(vendor) or {}).get("organizations", []):
            orgs += 1
            directories = [org.get("directory") or {}] + [
                d.get("directory") or {} for d in org.get("scim_directories", [])
            ]
            users += sum(len(d.get("users", [])) for d in directories)
            groups += sum(len(d.get("groups", [])) for d in directories)
    return f"{orgs} organizations, {users} users, {groups} groups"


def _check(args: argparse.Namespace) -> int:
    from mockscim.app import create_app
    from mockscim.engine.mock import is_scenario, read_scenario
    from mockscim.http.context import mock_of
    from mockscim.scenario.schema import ScenarioError

    try:
        raw = read_scenario(args.file)
    except (OSError, ValueError) as exc:
        print(f"mockscim: error: {args.file}: {exc}", file=sys.stderr)
        return 1
    if not is_scenario(raw):
        print(f"mockscim: error: {args.file} is not a scenario (no 'mockscim_scenario')")
        return 1
    try:
        summary = _summary(raw)
    except (AttributeError, TypeError):
        summary = "malformed sections"
    # Building 10k users takes a while: say what is being built before the silence.
    print(f"{args.file}: building {summary} ...", file=sys.stderr, flush=True)
    try:
        report = mock_of(create_app()).load(raw)
    except (ScenarioError, ValueError) as exc:
        print(f"mockscim: error: {args.file}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: ok ({summary}; {report['directories']} directories built)")
    return 0
