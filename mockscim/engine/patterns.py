"""Route patterns: the one path language of faults and journal filters.

``*`` matches within one path segment, ``**`` matches anything (slashes too), ``<name>``
matches one non-empty segment (Flask's route syntax); a pattern starting with ``^`` is a
regular expression. Every pattern matches the whole path, query string excluded.
"""

from __future__ import annotations

import re
from functools import lru_cache


class PatternError(ValueError):
    """The pattern cannot be compiled; the message says why."""


@lru_cache(maxsize=256)
def compile_route(pattern: str) -> re.Pattern[str]:
    if pattern.startswith("^"):
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
