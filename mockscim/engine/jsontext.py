"""Parsing JSON text that came from outside (a request body, a state file, a JWT's payload)
without letting its nesting reach Python's recursion limit.

``json.loads`` recurses once per nested container: text nested tens of thousands deep raises
``RecursionError``, which no caller expects and which escapes as a 500 or a traceback. Here it
is a :class:`TooDeep` (a ``ValueError``), like any other malformed JSON, and a value that did
parse can be checked against a depth bound without recursing (:func:`depth_exceeds`).
"""

from __future__ import annotations

import json
from typing import Any


class TooDeep(ValueError):
    """The JSON nests deeper than the reader accepts (or than Python can parse)."""


def reject_constant(name: str) -> Any:
    """``parse_constant`` for ``json.loads``: ``NaN``, ``Infinity`` and ``-Infinity`` are not
    JSON (RFC 8259 section 6), and the vendors' decoders (Go's ``encoding/json``, protojson)
    refuse them as a syntax error; Python's decoder would accept them."""
    raise ValueError(f"invalid JSON literal {name}")


def depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` containers deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def loads(text: str | bytes, max_depth: int | None = None) -> Any:
    """``json.loads`` that raises :class:`TooDeep` instead of ``RecursionError`` and, with
    ``max_depth``, for any value nested deeper than that. Malformed text is a ``ValueError``
    as ever (``UnicodeDecodeError`` included), and so are ``NaN`` and ``Infinity``."""
    try:
        value = json.loads(text, parse_constant=reject_constant)
    except RecursionError as exc:
        raise TooDeep("the JSON is nested too deeply to parse") from exc
    if max_depth is not None and depth_exceeds(value, max_depth):
        raise TooDeep(f"the JSON is nested deeper than {max_depth} levels")
    return value
