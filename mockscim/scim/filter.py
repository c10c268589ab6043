"""SCIM filter expressions (RFC 7644 section 3.4.2.2), compiled to predicates.

A filter is parsed once into a tree of closures, so matching a resource costs a few
attribute lookups rather than a re-parse; that matters when a non-indexed filter scans a
directory of 100k users. ``equality_terms`` exposes the ``attr eq "v"`` conjuncts the
directory can answer from an index before calling ``matches`` on the few candidates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockscim.clock import parse_instant
from mockscim.scim import errors
from mockscim.scim.errors import ScimError
from mockscim.scim.schemas import Attr, AttrPath, ResourceType, get_ci, resolve_path

MAX_FILTER_LENGTH = 4096
MAX_DEPTH = 50
COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
ORDER_OPS = frozenset({"gt", "ge", "lt", "le"})

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) | (?P<lbrack>\[) | (?P<rbrack>\]) |
        (?P<string>"(?:[^"\\]|\\.)*") |
        (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w:.$-])) |
        (?P<word>[A-Za-z$_][\w:.$-]*)
    )""",
    re.VERBOSE,
)
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise errors.invalid_filter(f"Unexpected character at position {pos} in filter.")
        kind = match.lastgroup or ""
        tokens.append(_Tok(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return tokens


def _literal(tok: _Tok) -> Any:
    if tok.kind == "string":
        try:
            return json.loads(tok.text)
        except ValueError as exc:
            raise errors.invalid_filter(f"Invalid string literal {tok.text}.") from exc
    if tok.kind == "number":
        return float(tok.text) if any(c in tok.text for c in ".eE") else int(tok.text)
    low = tok.text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    raise errors.invalid_filter(f"Expected a value after the operator, got '{tok.text}'.")


def _as_instant(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            return parse_instant(value)
        except ValueError:
            return None
    return None


def _compare(op: str, actual: Any, expected: Any, case_exact: bool, kind: str) -> bool:
    """One scalar comparison; type mismatches are simply false."""
    if expected is None:
        return (actual is None) == (op == "eq") if op in ("eq", "ne") else False
    if isinstance(expected, bool) or isinstance(actual, bool):
        if not (isinstance(expected, bool) and isinstance(actual, bool)):
            return op == "ne"
        return (actual == expected) == (op == "eq")
    if kind == "dateTime":
        a, e = _as_instant(actual), _as_instant(expected)
        if a is not None and e is not None:
            actual, expected = a, e
    if isinstance(actual, str) and isinstance(expected, str):
        if not case_exact:
            actual, expected = actual.lower(), expected.lower()
        if op == "co":
            return expected in actual
        if op == "sw":
            return actual.startswith(expected)
        if op == "ew":
            return actual.endswith(expected)
    elif op in ("co", "sw", "ew"):
        return False
    try:
        if op == "eq":
            return actual == expected
        if op == "ne":
            return actual != expected
        if op == "gt":
            return actual > expected
        if op == "ge":
            return actual >= expected
        if op == "lt":
            return actual < expected
        if op == "le":
            return actual <= expected
    except TypeError:
        return False
    return False


def _values(path: AttrPath, resource: dict[str, Any]) -> list[Any]:
    """Flatten what ``path`` selects into comparable scalars."""
    value = path.lookup(resource)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict) and path.sub_name is None:
            # A complex attribute without a sub-attribute compares its "value" (RFC 7644).
            item = get_ci(item, "value")
        if item is not None:
            out.append(item)
    return out


def _compare_predicate(path: AttrPath, op: str, expected: Any) -> Predicate:
    kind = path.type
    # Lower a case-insensitive literal once here, and each actual value at match time.
    fold = isinstance(expected, str) and not path.case_exact and kind != "dateTime"
    if fold:
        expected = expected.lower()

    def predicate(resource: dict[str, Any]) -> bool:
        values = _values(path, resource)
        if not values:
            # A missing attribute equals null and differs from everything else.
            return (expected is None) == (op == "eq") if op in ("eq", "ne") else False
        if fold:
            values = [v.lower() if isinstance(v, str) else v for v in values]
        if op == "ne":
            return all(_compare("ne", v, expected, True, kind) for v in values)
        return any(_compare(op, v, expected, True, kind) for v in values)

    return predicate


def _present_predicate(path: AttrPath) -> Predicate:
    def present(resource: dict[str, Any]) -> bool:
        value = path.lookup(resource)
        if isinstance(value, list):
            return any(v not in (None, "", [], {}) for v in value)
        return value not in (None, "", [], {})

    return present


class Filter:
    """A compiled filter: immutable, reusable across threads."""

    def __init__(
        self,
        predicate: Predicate,
        terms: list[tuple[AttrPath, Any]],
        text: str,
        names: frozenset[str] = frozenset(),
    ) -> None:
        self._predicate = predicate
        self._terms = terms
        self.text = text
        #: Top-level attribute names (or extension URNs) the filter reads, so a scan can skip
        #: building ``meta`` or ``groups`` for every candidate when the filter never asks.
        self.names = names

    def matches(self, resource: dict[str, Any]) -> bool:
        return self._predicate(resource)

    def equality_terms(self) -> list[tuple[AttrPath, Any]]:
        return list(self._terms)

    def __repr__(self) -> str:
        return f"Filter({self.text!r})"


@dataclass
class _Node:
    predicate: Predicate
    terms: list[tuple[AttrPath, Any]]  # eq conjuncts (for index use)
    is_conjunction: bool  # True when terms are all top-level conjuncts of this node


class _Parser:
    def __init__(
        self,
        text: str,
        resolve: Callable[[str], AttrPath],
        resolve_value_path: Callable[[AttrPath, str], AttrPath] | None,
    ) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.resolve = resolve
        self.resolve_value_path = resolve_value_path
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise errors.invalid_filter("The filter ends unexpectedly.")
        self.i += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "word" and tok.text.lower() == word:
            self.i += 1
            return True
        return False

    def parse(self) -> _Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise errors.invalid_filter(f"Unexpected '{self.peek().text}' in filter.")  # type: ignore[union-attr]
        return node

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise errors.invalid_filter("The filter is nested too deeply.")

    def or_expr(self) -> _Node:
        left = self.and_expr()
        parts = [left]
        while self.keyword("or"):
            parts.append(self.and_expr())
        if len(parts) == 1:
            return left
        preds = [p.predicate for p in parts]
        return _Node(lambda r: any(p(r) for p in preds), [], False)

    def and_expr(self) -> _Node:
        parts = [self.not_expr()]
        while self.keyword("and"):
            parts.append(self.not_expr())
        if len(parts) == 1:
            return parts[0]
        preds = [p.predicate for p in parts]
        terms = [t for p in parts if p.is_conjunction for t in p.terms]
        return _Node(lambda r: all(p(r) for p in preds), terms, True)

    def not_expr(self) -> _Node:
        if self.keyword("not"):
            tok = self.take()
            if tok.kind != "lparen":
                raise errors.invalid_filter("'not' must be followed by a parenthesised filter.")
            self._enter()
            inner = self.or_expr()
            self.depth -= 1
            if self.take().kind != "rparen":
                raise errors.invalid_filter("Missing ')' in filter.")
            pred = inner.predicate
            return _Node(lambda r: not pred(r), [], False)
        return self.atom()

    def atom(self) -> _Node:
        tok = self.take()
        if tok.kind == "lparen":
            self._enter()
            inner = self.or_expr()
            self.depth -= 1
            close = self.take()
            if close.kind != "rparen":
                raise errors.invalid_filter("Missing ')' in filter.")
            return inner
        if tok.kind != "word" or tok.text.lower() in ("and", "or", "not"):
            raise errors.invalid_filter(f"Expected an attribute name, got '{tok.text}'.")
        path = self.resolve(tok.text)
        nxt = self.peek()
        if nxt is not None and nxt.kind == "lbrack":
            return self.value_path(path)
        op_tok = self.take()
        op = op_tok.text.lower()
        if op_tok.kind != "word" or (op not in COMPARE_OPS and op != "pr"):
            raise errors.invalid_filter(f"Unknown operator '{op_tok.text}'.")
        if op == "pr":
            return _Node(_present_predicate(path), [], False)
        value = _literal(self.take())
        if op in ORDER_OPS and (
            path.type in ("boolean", "complex") or isinstance(value, bool) or value is None
        ):
            raise errors.invalid_filter(
                f"'{op}' cannot compare {path.type} attribute '{tok.text}'."
            )
        if (
            path.type == "complex"
            and path.sub_name is None
            and path.attr is not None
            and not path.attr.multi_valued
        ):
            raise errors.invalid_filter(f"'{tok.text}' is complex; name a sub-attribute.")
        terms = [(path, value)] if op == "eq" else []
        return _Node(_compare_predicate(path, op, value), terms, True)

    def value_path(self, parent: AttrPath) -> _Node:
        self.take()  # [
        if self.resolve_value_path is None:
            raise errors.invalid_filter("Nested value filters are not allowed.")
        sub_parser = _Parser.__new__(_Parser)
        sub_parser.tokens = self.tokens
        sub_parser.i = self.i
        sub_parser.resolve = lambda name: self.resolve_value_path(parent, name)  # type: ignore[misc]
        sub_parser.resolve_value_path = None
        sub_parser.depth = self.depth + 1
        if sub_parser.depth > MAX_DEPTH:
            raise errors.invalid_filter("The filter is nested too deeply.")
        inner = sub_parser.or_expr()
        self.i = sub_parser.i
        if self.take().kind != "rbrack":
            raise errors.invalid_filter("Missing ']' in filter.")
        element_pred = inner.predicate

        def any_element(resource: dict[str, Any]) -> bool:
            value = parent.lookup(resource)
            if isinstance(value, dict):
                value = [value]
            if not isinstance(value, list):
                return False
            return any(isinstance(el, dict) and element_pred(el) for el in value)

        return _Node(any_element, [], False)


def _resolver(
    resource_type: ResourceType, error: Callable[[str], ScimError]
) -> Callable[[str], AttrPath]:
    def resolve(name: str) -> AttrPath:
        try:
            return resolve_path(resource_type, name, strict=True)
        except KeyError as exc:
            raise error(f"Unknown attribute '{name}'.") from exc

    return resolve


def _element_path(parent: AttrPath, name: str, error: Callable[[str], ScimError]) -> AttrPath:
    """``name`` inside ``parent[...]``: a sub-attribute of a (multi-valued) complex attribute."""
    attr = parent.attr
    if attr is None:
        return AttrPath(parent.schema, name, None, None, None, False)
    if attr.type != "complex":
        raise error(f"'{attr.name}' has no sub-attributes to filter on.")
    sub: Attr | None = attr.sub(name)
    if sub is None:
        raise error(f"Unknown sub-attribute '{name}' of '{attr.name}'.")
    return AttrPath(parent.schema, sub.name, None, sub, None, False)


def _check_text(text: str, error: Callable[[str], ScimError]) -> None:
    if not isinstance(text, str) or not text.strip():
        raise error("The filter is empty.")
    if len(text) > MAX_FILTER_LENGTH:
        raise error(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")


def compile_filter(text: str, resource_type: ResourceType) -> Filter:
    """Compile a ``filter`` parameter; any problem is 400 ``invalidFilter``."""
    _check_text(text, errors.invalid_filter)
    resolve = _resolver(resource_type, errors.invalid_filter)
    names: set[str] = set()

    def resolve_and_note(name: str) -> AttrPath:
        path = resolve(name)
        names.add(path.schema if path.is_extension else path.name)
        return path

    parser = _Parser(
        text,
        resolve_and_note,
        lambda parent, name: _element_path(parent, name, errors.invalid_filter),
    )
    node = parser.parse()
    return Filter(node.predicate, node.terms if node.is_conjunction else [], text, frozenset(names))


def compile_value_filter(text: str, resource_type: ResourceType, parent: AttrPath) -> Filter:
    """The filter inside ``emails[...]``; ``matches`` takes one element of the attribute."""
    _check_text(text, errors.invalid_filter)
    parser = _Parser(text, lambda name: _element_path(parent, name, errors.invalid_filter), None)
    node = parser.parse()
    return Filter(node.predicate, node.terms if node.is_conjunction else [], text)


@dataclass(frozen=True)
class PatchPath:
    """A PATCH ``path``: attribute, optional ``[filter]``, optional ``.sub`` after it."""

    attr: AttrPath
    value_filter: Filter | None
    sub_name: str | None


def parse_path(text: str, resource_type: ResourceType) -> PatchPath:
    """Parse a PATCH path; any problem is 400 ``invalidPath``."""
    if not isinstance(text, str) or not text.strip():
        raise errors.invalid_path("The PATCH path is empty.")
    text = text.strip()
    bracket = text.find("[")
    if bracket < 0:
        try:
            return PatchPath(resolve_path(resource_type, text, strict=True), None, None)
        except KeyError as exc:
            raise errors.invalid_path(f"Unknown attribute path '{text}'.") from exc
    head = text[:bracket]
    depth, in_string, close = 0, False, -1
    for i in range(bracket, len(text)):
        ch = text[i]
        if in_string:
            if ch == "\\":
                continue
            if ch == '"' and text[i - 1] != "\\":
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                close = i
                break
    if close < 0:
        raise errors.invalid_path(f"Unbalanced '[' in path '{text}'.")
    try:
        attr = resolve_path(resource_type, head, strict=True)
    except KeyError as exc:
        raise errors.invalid_path(f"Unknown attribute path '{head}'.") from exc
    if attr.sub_name is not None or attr.attr is None or attr.attr.type != "complex":
        raise errors.invalid_path(f"'{head}' cannot take a value filter.")
    try:
        flt = compile_value_filter(text[bracket + 1 : close], resource_type, attr)
    except ScimError as exc:
        raise errors.invalid_path(f"Invalid value filter in path '{text}': {exc.detail}") from exc
    rest = text[close + 1 :]
    sub_name = None
    if rest:
        if not rest.startswith(".") or len(rest) < 2:
            raise errors.invalid_path(f"Unexpected '{rest}' after the value filter.")
        sub = attr.attr.sub(rest[1:])
        if sub is None:
            raise errors.invalid_path(f"Unknown sub-attribute '{rest[1:]}' in path '{text}'.")
        sub_name = sub.name
    return PatchPath(attr, flt, sub_name)
