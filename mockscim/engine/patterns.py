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

Route syntax is never a backtracking regex where that could stall: a pattern with a ``**``
before its end, or a wildcard not followed by ``/``, runs as an automaton
(:class:`RoutePattern`), linear in the path's length.
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


#: Route-syntax patterns longer than this are refused (no real route comes close).
MAX_ROUTE_LENGTH = 1024
_TOKENS = re.compile(r"(\*+|<[^>/]+>)")


class RoutePattern:
    """A route-syntax pattern matched by simulating its automaton over the path: every
    position of the pattern the path could have reached is kept at once (a bit set), so a
    match costs one pass over the path whatever the pattern, where a backtracking regex of
    ``**a**a**a**a**a**a**a**a**b`` took 30 s on a 60-character path.

    ``match`` answers like ``re.Pattern.match`` as far as callers use it: truthy, or None.
    """

    def __init__(self, pattern: str, atoms: list[tuple[str, str]]) -> None:
        self.pattern = pattern
        #: Per atom, by bit: a literal character, ``one`` (one non-slash character),
        #: ``seg`` (any run of non-slash characters), ``any`` (any run) or ``opt`` (an
        #: optional ``/``, the trailing slash every pattern allows).
        self._size = len(atoms)
        self._literals: dict[str, int] = {}
        self._one = self._seg = self._any = self._opt = 0
        for bit, (kind, char) in enumerate(atoms):
            flag = 1 << bit
            if kind == "lit":
                self._literals[char] = self._literals.get(char, 0) | flag
            elif kind == "one":
                self._one |= flag
            elif kind == "seg":
                self._seg |= flag
            elif kind == "any":
                self._any |= flag
            else:
                self._opt |= flag
        self._skippable = self._seg | self._any | self._opt
        self._accept = 1 << self._size

    def _closure(self, states: int) -> int:
        """Add the states reached by skipping wildcards and the optional slash."""
        while True:
            grown = states | ((states & self._skippable) << 1)
            if grown == states:
                return states
            states = grown

    def match(self, path: str) -> bool | None:
        states = self._closure(1)
        literals, one, seg, any_, opt = (
            self._literals,
            self._one,
            self._seg,
            self._any,
            self._opt,
        )
        for char in path:
            if char == "/":
                advance = literals.get("/", 0) | opt
                stay = any_
            else:
                advance = literals.get(char, 0) | one
                stay = any_ | seg
            states = self._closure(((states & advance) << 1) | (states & stay))
            if not states:
                return None
        return True if states & self._accept else None


def _atoms(pattern: str) -> list[tuple[str, str]]:
    """The automaton of a route pattern; runs of stars collapse (``***`` is ``**``)."""
    atoms: list[tuple[str, str]] = []
    for token in _TOKENS.split(pattern):
        if not token:
            continue
        if token.startswith("*"):
            kind = "any" if len(token) > 1 else "seg"
            if atoms and atoms[-1][0] in ("any", "seg"):
                if kind == "any" or atoms[-1][0] == "any":
                    atoms[-1] = ("any", "")
                continue  # ``*`` after ``*``: still one segment run
            atoms.append((kind, ""))
        elif token.startswith("<"):
            atoms += [("one", ""), ("seg", "")]
        else:
            atoms += [("lit", c) for c in token]
    atoms.append(("opt", "/"))
    return atoms


def _regex_is_linear(tokens: list[str]) -> bool:
    """Whether the plain regex translation cannot backtrack more than linearly: every
    single-segment wildcard is followed by ``/`` or the end, and ``**`` only ends it."""
    for index, token in enumerate(tokens):
        following = next((t for t in tokens[index + 1 :] if t), "")
        wildcard = token == "*" or (token.startswith("<") and token.endswith(">"))
        if (token.startswith("**") and following) or (
            wildcard and following and not following.startswith("/")
        ):
            return False
    return True


@lru_cache(maxsize=256)
def compile_route(pattern: str) -> re.Pattern[str] | RoutePattern:
    """A route pattern or ``^regex`` compiled for matching whole paths (see module doc).
    Route syntax compiles to a regular expression when that cannot backtrack (the common
    ``/v1/b2b/scim/*/Users`` and ``/v1/**``) and to a :class:`RoutePattern` otherwise."""
    if pattern.startswith("^"):
        check_regex(pattern)
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise PatternError(f"'path' is not a valid regular expression: {exc}") from exc
    if not pattern.startswith(("/", "*")):
        raise PatternError("'path' must start with '/', '*' or '^' (a regular expression)")
    if len(pattern) > MAX_ROUTE_LENGTH:
        raise PatternError(f"'path' is longer than {MAX_ROUTE_LENGTH} characters")
    tokens = _TOKENS.split(pattern)
    if not _regex_is_linear(tokens):
        return RoutePattern(pattern, _atoms(pattern))
    out = []
    for token in tokens:
        if token.startswith("**"):
            out.append(".*")
        elif token == "*":
            out.append("[^/]*")
        elif token.startswith("<") and token.endswith(">"):
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("^" + "".join(out) + "/?$")
