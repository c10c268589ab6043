"""``mockscim contract diff LEFT RIGHT``: the divergence report between two contract runs.

LEFT and RIGHT are results files written by the contract scenario suite (``make contract``
writes ``build/contract/results-<target>.json``). The report lists every step whose status
code, error type, top-level fields or JSON shape differ, as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Contract-test tools: compare two runs of the scenario suite."
    sub = parser.add_subparsers(dest="contract_command", metavar="SUBCOMMAND")
    d = sub.add_parser(
        "diff",
        help="write the divergence report between two results files",
        description=(
            "Compare two contract results files (e.g. the mock and stytch-live) step by step "
            "and write divergence.md and divergence.json."
        ),
    )
    d.add_argument("left", help="results JSON of the first run (usually the mock)")
    d.add_argument("right", help="results JSON of the second run (usually a live target)")
    d.add_argument(
        "--out", default="build/contract", help="directory for the report (default: %(default)s)"
    )
    d.add_argument(
        "--fail-on-diff",
        action="store_true",
        help="exit 1 when any difference is found (for CI gates)",
    )


def run(args: Any) -> int:
    from mockscim.contract.report import write_report

    if getattr(args, "contract_command", None) != "diff":
        print("usage: mockscim contract diff LEFT RIGHT [--out DIR]", file=sys.stderr)
        return 2
    try:
        report = write_report(args.left, args.right, args.out)
    except (OSError, ValueError, KeyError) as exc:
        print(f"mockscim contract diff: error: {exc}", file=sys.stderr)
        return 2
    count = len(report["differing_steps"])
    print(f"{count} differing step(s); report in {args.out}/divergence.md and divergence.json")
    for step in report["differing_steps"]:
        print(f"  {step}")
    return 1 if (count and args.fail_on_diff) else 0
