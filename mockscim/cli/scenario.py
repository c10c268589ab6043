"""``mockscim scenario``: generate scenario files, check them, list the bundled ones.

- ``mockscim scenario generate --seed N --users K --groups G [-o FILE]``: a deterministic
  scenario (same arguments, byte-identical file) with Stytch and SSOReady organizations;
  ``K`` users and ``G`` groups in all, spread over the organizations.
- ``mockscim scenario check FILE``: validate a scenario and build it in memory (every object
  through the vendors' APIs), printing what it holds; exit 1 with the reason if it fails.
- ``mockscim scenario list``: the bundled scenarios, usable by name wherever a file is.
- ``mockscim scenario format``: the scenario format's documentation (bundled with the package,
  so a pip user has it).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

#: Below this many users generation is quick and silent; above it, progress goes to stderr.
PROGRESS_FROM_USERS = 5000
MAX_USERS = 100_000


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Generate, check and list scenario files. The format: `mockscim scenario format`."
    )
    sub = p.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    gen = sub.add_parser(
        "generate",
        help="write a deterministic generated scenario",
        description="Write a generated scenario: the same arguments give a byte-identical file.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    gen.add_argument("--seed", type=int, default=0, help="seed (same seed, same file)")
    gen.add_argument("--users", type=int, default=20, help="users in all, across organizations")
    gen.add_argument("--groups", type=int, default=4, help="groups in all, across organizations")
    gen.add_argument("--stytch-orgs", type=int, default=1, help="Stytch organizations")
    gen.add_argument("--ssoready-orgs", type=int, default=1, help="SSOReady organizations")
    gen.add_argument("--name", help="scenario name (empty: generated-seed<N>)")
    gen.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    check = sub.add_parser(
        "check",
        help="validate a scenario by building it in memory",
        description="Validate a scenario file (or a bundled scenario's name: see "
        "'mockscim scenario list') and build it in memory, every object through the vendors' "
        "own APIs; print what it holds, or exit 1 with the reason it fails.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    check.add_argument("file", metavar="FILE", help="scenario or state JSON file, or a name")
    sub.add_parser(
        "list",
        help="list the bundled scenarios (usable by name: serve --scenario NAME)",
        description="List the scenarios bundled with the package; each name works wherever a "
        "scenario file does (serve --scenario, scenario check, mockscim.state.load).",
    )
    sub.add_parser(
        "format",
        help="print the scenario format's documentation",
        description="Print the documentation of the scenario file format (bundled with the "
        "package; the same text as fixtures/README.md in the repository).",
    )


def run(args: argparse.Namespace) -> int:
    if args.scenario_command == "generate":
        return _generate(args)
    if args.scenario_command == "list":
        return _list()
    if args.scenario_command == "format":
        return _format()
    return _check(args)


def _list() -> int:
    from mockscim.scenario.bundled import bundled_scenarios

    for name, description in bundled_scenarios().items():
        print(f"{name:<18} {description}")
    return 0


def _format() -> int:
    from mockscim.scenario.bundled import format_doc

    sys.stdout.write(format_doc())
    return 0


class _Progress:
    """``generating: 5000/20000 users`` on stderr, about every tenth of the run, from
    PROGRESS_FROM_USERS users (smaller runs are quick and stay silent)."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM_USERS:
            return
        step = max(1000, total // 10)
        if done % step == 0 or done == total:
            elapsed = time.monotonic() - self.started
            line = f"{self.verb}: {done}/{total} users ({elapsed:.0f} s)"
            print(line, file=sys.stderr, flush=True)


def _generate(args: argparse.Namespace) -> int:
    from mockscim.engine.persistence import write_atomic
    from mockscim.testing.factories import dumps, generate_scenario

    for name in ("users", "groups", "stytch_orgs", "ssoready_orgs"):
        if getattr(args, name) < 0:
            print(f"mockscim: error: --{name.replace('_', '-')} must be >= 0", file=sys.stderr)
            return 2
    if args.users > MAX_USERS:
        print(f"mockscim: error: --users must be at most {MAX_USERS}", file=sys.stderr)
        return 2
    if (args.users or args.groups) and not (args.stytch_orgs + args.ssoready_orgs):
        print(
            "mockscim: error: --users/--groups need at least one organization "
            "(--stytch-orgs or --ssoready-orgs)",
            file=sys.stderr,
        )
        return 2
    progress = _Progress("generating")
    scenario = generate_scenario(
        args.seed,
        args.users,
        args.groups,
        stytch_orgs=args.stytch_orgs,
        ssoready_orgs=args.ssoready_orgs,
        name=args.name,
        progress=progress,
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
    from mockscim.scenario import builder
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
        report = builder.load(
            mock_of(create_app()),
            raw,
            False,
            app_factory=create_app,
            progress=_Progress("building"),
        )
    except (ScenarioError, ValueError) as exc:
        print(f"mockscim: error: {args.file}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: ok ({summary}; {report['directories']} directories built)")
    return 0
