"""``mockscim push``: provision a directory into a SCIM base URL the way an IdP would.

Works against the mock or against a real vendor's SCIM server (it is only a SCIM client).
A progress bar goes to stderr when stderr is a terminal; the summary goes to stdout; the exit
code is 0 only when every request succeeded.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO
from urllib.parse import urlsplit

from mockscim.idp.client import ScimClient
from mockscim.idp.model import Directory, generate_directory
from mockscim.idp.profiles import PROFILES
from mockscim.idp.sync import IdpPush, IdpState


class ProgressBar:
    """A one-line bar redrawn in place on a terminal; elsewhere (CI logs, a pipe) one line
    per tenth of the work, so a long push is never silent and never floods the log."""

    def __init__(
        self, stream: TextIO, width: int = 30, enabled: bool | None = None, label: str = "push"
    ) -> None:
        self.stream = stream
        self.width = width
        self.enabled = stream.isatty() if enabled is None else enabled
        self.label = label
        self._drawn = False
        self._step = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if not self.enabled:
            step = 10 * done // total
            if step > self._step:
                self._step = step
                self.stream.write(f"{self.label}: {done}/{total} ({100 * done // total}%)\n")
                self.stream.flush()
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Provision users, groups and memberships into any SCIM 2.0 base URL with the habits of "
        "an identity provider (Okta, Microsoft Entra ID, or plain RFC 7644). Re-running with "
        "--state sends only what changed."
    )
    p.add_argument("--idp", choices=sorted(PROFILES), default="generic", help="IdP profile")
    p.add_argument("--base-url", required=True, help="SCIM base URL (Entra flags may follow ?)")
    p.add_argument("--token", required=True, help="SCIM bearer token")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--scenario",
        metavar="FILE",
        help='directory JSON ({"users","groups"}) or a mockscim scenario file',
    )
    source.add_argument("--seed", type=int, help="generate a directory from this seed")
    p.add_argument(
        "--org",
        metavar="KEY",
        help="with a scenario file: the organization whose directory to push",
    )
    p.add_argument("--users", type=int, default=10, help="generated users (default: %(default)s)")
    p.add_argument("--groups", type=int, default=3, help="generated groups (default: %(default)s)")
    p.add_argument(
        "--domain",
        default="example.com",
        help="email domain of generated users (SSOReady only accepts its org's domains)",
    )
    p.add_argument(
        "--state",
        metavar="FILE",
        help="IdP state file (SCIM ids already pushed): read if present, written after the push",
    )
    p.add_argument(
        "--hard-delete",
        action="store_true",
        help="DELETE users that left the directory instead of deactivating them (not Okta)",
    )
    p.add_argument("--max-retries", type=int, default=5, help="retries after a 429")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")


def base_url_error(base_url: str) -> str | None:
    """Why ``base_url`` cannot be a SCIM base URL (an http(s) URL with a host), or None.

    Checked before anything is sent, so the README's placeholder (``--base-url URL``) is a
    one-line usage error rather than a push report of one failed request."""
    try:
        parts = urlsplit(base_url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        return (
            f"--base-url {base_url!r} is not an http(s) URL with a host, e.g. "
            "http://127.0.0.1:8765/v1/b2b/scim/<connection_id> (`mockscim serve` prints them)"
        )
    return None


def run(args: Any) -> int:
    problem = base_url_error(args.base_url)
    if problem is not None:
        print(f"mockscim push: error: {problem}", file=sys.stderr)
        return 2
    try:
        if args.scenario:
            directory = Directory.load(args.scenario, args.org)
        else:
            directory = generate_directory(
                seed=args.seed, users=args.users, groups=args.groups, domain=args.domain
            )
        state = None
        if args.state:
            from pathlib import Path

            if Path(args.state).exists():
                state = IdpState.load(args.state)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"mockscim push: error: {exc}", file=sys.stderr)
        return 2
    client = ScimClient(args.base_url, args.token, max_retries=args.max_retries)
    engine = IdpPush(client, args.idp, state)
    bar = ProgressBar(sys.stderr)
    try:
        report = engine.sync(directory, hard_delete=args.hard_delete, progress=bar)
    finally:
        bar.close()
    if args.state:
        engine.state.save(args.state)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report.summary())
    return 0 if report.ok else 1
