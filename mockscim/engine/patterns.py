"""Route patterns: the one path language of faults and journal filters.

``*`` matches within one path segment, ``**`` matches anything (slashes too), ``<name>``
matches one non-empty segment (Flask's route syntax); a pattern starting with ``^`` is a
regular expression. Every pattern matches the whole path, query string excluded.

Regular expressions come from users and run on every request (faults) or every journal
entry, so those that can backtrack catastrophically are refused (:func:`check_regex`): no
repeat inside a repeat (``(a+)+``), no alternation inside a repeat (``(a|ab)*``), no
backreference, at most :data:`MAX_UNBOUNDED` unbounded repeats in all (each one multiplies
the work on a long path) and at most :data:`MAX_REGEX_LENGTH` characters. What remains is at
worst quadratic in the path length, which the app bounds (``Settings.max_path_length``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # the parser behind re.compile; its name changed in Python 3.11
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

MAX_REGEX_LENGTH = 256
MAX_UNBOUNDED = 2
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class PatternError(ValueError):
    """The pattern cannot be compiled; the message says why."""


def _walk(items: Any, inside_repeat: bool, counts: dict[str, int]) -> None:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            _low, high, body = arg
            if inside_repeat:
                raise PatternError(
                    "'path' regular expression nests a repeat inside a repeat "
                    "(catastrophic backtracking); flatten it"
                )
            if high == sre_parse.MAXREPEAT:
                counts["unbounded"] += 1
            _walk(body, high > 1, counts)
        elif name == "BRANCH":
            if inside_repeat:
                raise PatternError(
                    "'path' regular expression repeats an alternation (catastrophic "
                    "backtracking); use a character class or a single alternative"
                )
            for branch in arg[1]:
                _walk(branch, inside_repeat, counts)
        elif name == "SUBPATTERN":
            _walk(arg[-1], inside_repeat, counts)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise PatternError("'path' regular expression may not use backreferences")
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(arg[1], inside_repeat, counts)
        elif name == "ATOMIC_GROUP":
            _walk(arg, inside_repeat, counts)


def check_regex(pattern: str) -> None:
    """Refuse a user's regular expression that could stall the server (see module doc)."""
    if len(pattern) > MAX_REGEX_LENGTH:
        raise PatternError(f"'path' regular expression is longer than {MAX_REGEX_LENGTH}")
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise PatternError(f"'path' is not a valid regular expression: {exc}") from exc
    counts = {"unbounded": 0}
    _walk(parsed, False, counts)
    if counts["unbounded"] > MAX_UNBOUNDED:
        raise PatternError(
            f"'path' regular expression has {counts['unbounded']} unbounded repeats; at most "
            f"{MAX_UNBOUNDED} (use route syntax '*' / '**' instead)"
        )


@lru_cache(maxsize=256)
def compile_route(pattern: str) -> re.Pattern[str]:
    if pattern.startswith("^"):
        check_regex(pattern)
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise PatternError(f"'path' is not a valid regular expression: {exc}") from exc
    if not pattern.startswith(("/", "*")):
        raise PatternError("'path' must start with '/', '*' or '^' (a regular expression)")
    out = []
    for token in re.split(r"(\*\*|\*|<[^>/]+>)", pattern):
        if token == "**":
            out.append(".*")
        elif token == "*":
            out.append("[^/]*")
        elif token.startswith("<") and token.endswith(">"):
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("^" + "".join(out) + "/?$")
