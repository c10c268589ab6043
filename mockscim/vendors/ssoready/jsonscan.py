"""How deep a JSON text nests, measured on the bytes (strings skipped) before any parser
recurses on it: both of SSOReady's decoders have a depth limit (Go's encoding/json 10,000,
protojson 10,000) and mockscim refuses anything past 64 levels below those."""

from __future__ import annotations

import re

#: A string, or an unterminated one up to the end: the closing quote is optional so the
#: pattern never fails and backtracks (a failing string would be rescanned from every quote).
_STRINGS = re.compile(rb'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
#: Go's decoders: encoding/json's scanner and protojson's RecursionLimit.
GO_MAX_DEPTH = 10000
#: An unpaired UTF-16 surrogate in a decoded Python string.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def nesting(raw: bytes) -> int:
    """The deepest array/object nesting of ``raw`` (0 for a scalar)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub(b"", raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
