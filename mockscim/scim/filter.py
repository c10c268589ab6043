"""SCIM filter expressions (RFC 7644 section 3.4.2.2), compiled to predicates.

A filter is parsed once into a tree of closures, so matching a resource costs a few
attribute lookups rather than a re-parse; that matters when a non-indexed filter scans a
directory of 100k users. Literals are lowered and instants parsed at compile time for the
same reason. ``equality_terms`` exposes the ``attr eq "v"`` conjuncts the directory can
answer from an index before calling ``matches`` on the few candidates.

Beyond the RFC grammar, ``emails[type eq "work"].value eq "x"`` is accepted because Entra
looks users up that way before creating them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockscim.engine.clock import parse_instant
from mockscim.scim import errors
from mockscim.scim.errors import ScimError
from mockscim.scim.schemas import Attr, AttrPath, ResourceType, get_ci, resolve_path

#: A filter's cost is bounded before it runs, because it is evaluated under the store lock:
#: longer or larger filters are 400 ``tooMany`` ("more than the server is willing to
#: process", RFC 7644 section 3.12). No IdP sends anything near either bound.
MAX_FILTER_LENGTH = 4096
MAX_FILTER_TERMS = 200
#: Work a search may do with a filter, in term evaluations (terms x resources scanned): a
#: 190-term filter over 20k users (3.8M evaluations) held the store lock for 3 s. At about
#: a microsecond each, this bound keeps a search under a second; an indexed ``eq`` term
#: (``userName``, ``externalId``, ``displayName``, ``id``) scans only its matches.
MAX_FILTER_WORK = 1_000_000
MAX_DEPTH = 50
COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
ORDER_OPS = frozenset({"gt", "ge", "lt", "le"})
SUBSTRING_OPS = frozenset({"co", "sw", "ew"})
_KEYWORDS = frozenset({"and", "or", "not"})

Predicate = Callable[[dict[str, Any]], bool]
Test = Callable[[Any], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) | (?P<lbrack>\[) | (?P<rbrack>\]) |
        (?P<string>"(?:[^"\\]|\\.)*") |
        (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w:.$-])) |
        (?P<word>[A-Za-z$_][\w:.$-]*) |
        (?P<sub>\.[A-Za-z$_][\w$-]*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    end = len(text.rstrip())
    while pos < end:
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
    if tok.kind == "word":
        low = tok.text.lower()
        if low in ("true", "false"):
            return low == "true"
        if low == "null":
            return None
    raise errors.invalid_filter(f"Expected a value after the operator, got '{tok.text}'.")


def _instant(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            return parse_instant(value)
        except ValueError:
            return None
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, e: a == e,
    "ne": lambda a, e: a != e,
    "gt": lambda a, e: a > e,
    "ge": lambda a, e: a >= e,
    "lt": lambda a, e: a < e,
    "le": lambda a, e: a <= e,
    "co": lambda a, e: e in a,
    "sw": lambda a, e: a.startswith(e),
    "ew": lambda a, e: a.endswith(e),
}


def _scalar_test(op: str, expected: Any, case_exact: bool, kind: str) -> Test:
    """A test for one present (non-null) value, with ``ne`` phrased as ``eq`` (negated later).

    Values of the wrong type never match: ``active eq "true"`` is false, not an error,
    because stored data may hold anything an unknown extension sent.
    """
    cmp = _ORDER["eq" if op == "ne" else op]
    if isinstance(expected, bool):
        return lambda actual: isinstance(actual, bool) and actual is expected
    if _is_number(expected):
        return lambda actual: _is_number(actual) and cmp(actual, expected)
    # A string literal.
    if kind == "dateTime" and op not in SUBSTRING_OPS:
        when = _instant(expected)
        if when is not None:

            def instant_test(actual: Any) -> bool:
                other = _instant(actual)  # an unparsable stored instant matches nothing
                return other is not None and cmp(other, when)

            return instant_test
    if case_exact:
        return lambda actual: isinstance(actual, str) and cmp(actual, expected)
    folded = expected.lower()
    return lambda actual: isinstance(actual, str) and cmp(actual.lower(), folded)


def _values(path: AttrPath, resource: dict[str, Any], complex_value: bool) -> list[Any]:
    """Flatten what ``path`` selects into comparable scalars (nulls dropped)."""
    value = path.lookup(resource)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if complex_value:
        # A complex attribute without a sub-attribute compares its "value" (RFC 7644).
        items = [get_ci(i, "value") if isinstance(i, dict) else i for i in items]
    return [i for i in items if i is not None]


def _compare_predicate(path: AttrPath, op: str, expected: Any) -> Predicate:
    complex_value = path.sub_name is None and path.type == "complex"
    if expected is None:
        # ``eq null`` asks "is it absent", ``ne null`` "is it there".
        def null_test(resource: dict[str, Any]) -> bool:
            return bool(_values(path, resource, complex_value)) == (op == "ne")

        return null_test
    test = _scalar_test(op, expected, path.case_exact, path.type)
    if op == "ne":

        def not_equal(resource: dict[str, Any]) -> bool:
            return not any(test(v) for v in _values(path, resource, complex_value))

        return not_equal

    def compare(resource: dict[str, Any]) -> bool:
        return any(test(v) for v in _values(path, resource, complex_value))

    return compare


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _present_predicate(path: AttrPath) -> Predicate:
    def present(resource: dict[str, Any]) -> bool:
        value = path.lookup(resource)
        if isinstance(value, list):
            return any(not _empty(v) for v in value)
        return not _empty(value)

    return present


class Filter:
    """A compiled filter: immutable, reusable across threads."""

    __slots__ = ("_predicate", "_terms", "cost", "names", "only_equality", "text")

    def __init__(
        self,
        predicate: Predicate,
        terms: tuple[tuple[AttrPath, Any], ...],
        text: str,
        names: frozenset[str] = frozenset(),
        only_equality: bool = False,
        cost: int = 1,
    ) -> None:
        self._predicate = predicate
        #: Term evaluations one resource costs at most (the filter's number of terms).
        self.cost = cost
        self._terms = terms
        self.text = text
        #: Top-level attribute names (or extension URNs) the filter reads, so a scan can skip
        #: building ``meta`` or ``groups`` for every candidate when the filter never asks.
        self.names = names
        #: True when the whole filter is ``a eq x and b eq y ...``: PATCH may then create the
        #: element it describes (Entra's ``emails[type eq "work"].value`` on a new user).
        self.only_equality = only_equality

    def matches(self, resource: dict[str, Any]) -> bool:
        return self._predicate(resource)

    def check_work(self, resources: int) -> None:
        """Refuse (400 ``tooMany``) a scan of ``resources`` that would take more than
        :data:`MAX_FILTER_WORK` term evaluations, before it starts."""
        work = self.cost * resources
        if work > MAX_FILTER_WORK:
            raise ScimError(
                400,
                f"The filter has {self.cost} terms and would be evaluated against {resources} "
                f"resources ({work} term evaluations; at most {MAX_FILTER_WORK} are processed). "
                "Use fewer terms, or an eq term on userName, externalId, displayName or id.",
                "tooMany",
            )

    def equality_terms(self) -> list[tuple[AttrPath, Any]]:
        return list(self._terms)

    def __repr__(self) -> str:
        return f"Filter({self.text!r})"


@dataclass(frozen=True)
class _Node:
    predicate: Predicate
    terms: tuple[tuple[AttrPath, Any], ...] = ()  # top-level `attr eq v` conjuncts
    only_equality: bool = False  # the node is nothing but such conjuncts


def _all(preds: list[Predicate]) -> Predicate:
    if len(preds) == 2:
        first, second = preds
        return lambda r: first(r) and second(r)
    return lambda r: all(p(r) for p in preds)


def _any(preds: list[Predicate]) -> Predicate:
    if len(preds) == 2:
        first, second = preds
        return lambda r: first(r) or second(r)
    return lambda r: any(p(r) for p in preds)


class _Parser:
    """Recursive descent over ``or_expr := and_expr (or and_expr)*``,
    ``and_expr := unary (and unary)*``, ``unary := not ( or_expr ) | atom``,
    ``atom := ( or_expr ) | attrPath op value | attrPath pr | attrPath [ or_expr ] [.sub op value]``.
    """

    def __init__(
        self,
        tokens: list[_Tok],
        resolve: Callable[[str], AttrPath],
        element: Callable[[AttrPath, str], AttrPath] | None,
        depth: int = 0,
    ) -> None:
        self.tokens = tokens
        self.i = 0
        self.resolve = resolve
        self.element = element  # None inside [...]: value filters do not nest
        self.depth = depth

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise errors.invalid_filter("The filter ends unexpectedly.")
        self.i += 1
        return tok

    def expect(self, kind: str, what: str) -> None:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            raise errors.invalid_filter(f"Missing '{what}' in filter.")
        self.i += 1

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "word" and tok.text.lower() == word:
            self.i += 1
            return True
        return False

    def parse(self) -> _Node:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise errors.invalid_filter(f"Unexpected '{tok.text}' at position {tok.pos}.")
        return node

    def nested(self) -> _Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise errors.invalid_filter(f"The filter is nested deeper than {MAX_DEPTH}.")
        node = self.or_expr()
        self.depth -= 1
        return node

    def or_expr(self) -> _Node:
        parts = [self.and_expr()]
        while self.keyword("or"):
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        return _Node(_any([p.predicate for p in parts]))

    def and_expr(self) -> _Node:
        parts = [self.unary()]
        while self.keyword("and"):
            parts.append(self.unary())
        if len(parts) == 1:
            return parts[0]
        return _Node(
            _all([p.predicate for p in parts]),
            tuple(t for p in parts for t in p.terms),
            all(p.only_equality for p in parts),
        )

    def unary(self) -> _Node:
        if self.keyword("not"):
            self.expect("lparen", "(' after 'not")
            inner = self.nested().predicate
            self.expect("rparen", ")")
            return _Node(lambda r: not inner(r))
        return self.atom()

    def atom(self) -> _Node:
        tok = self.take()
        if tok.kind == "lparen":
            inner = self.nested()
            self.expect("rparen", ")")
            return inner
        if tok.kind != "word" or tok.text.lower() in _KEYWORDS:
            raise errors.invalid_filter(f"Expected an attribute name, got '{tok.text}'.")
        path = self.resolve(tok.text)
        nxt = self.peek()
        if nxt is not None and nxt.kind == "lbrack":
            return self.value_path(path, tok.text)
        return self.comparison(path, tok.text)

    def comparison(self, path: AttrPath, name: str) -> _Node:
        op_tok = self.take()
        op = op_tok.text.lower()
        if op_tok.kind != "word" or (op not in COMPARE_OPS and op != "pr"):
            raise errors.invalid_filter(f"Unknown operator '{op_tok.text}'.")
        if op == "pr":
            return _Node(_present_predicate(path))
        value = _literal(self.take())
        _check_comparison(path, name, op, value)
        if op == "eq":
            return _Node(_compare_predicate(path, op, value), ((path, value),), True)
        return _Node(_compare_predicate(path, op, value))

    def value_path(self, parent: AttrPath, name: str) -> _Node:
        self.take()  # [
        element = self.element
        if element is None:
            raise errors.invalid_filter("Value filters cannot be nested.")
        if parent.sub_name is not None or (
            parent.attr is not None and parent.attr.type != "complex"
        ):
            raise errors.invalid_filter(f"'{name}' has no sub-attributes to filter on.")
        inner_parser = _Parser(
            self.tokens, lambda n: element(parent, n), None, depth=self.depth + 1
        )
        if inner_parser.depth > MAX_DEPTH:
            raise errors.invalid_filter(f"The filter is nested deeper than {MAX_DEPTH}.")
        inner_parser.i = self.i
        inner = inner_parser.or_expr().predicate
        self.i = inner_parser.i
        self.expect("rbrack", "]")
        element_pred = inner
        sub_tok = self.peek()
        if sub_tok is not None and sub_tok.kind == "sub":
            # emails[type eq "work"].value eq "x": an element passing both.
            self.i += 1
            sub_path = element(parent, sub_tok.text[1:])
            test = self.comparison(sub_path, f"{name}{sub_tok.text}").predicate
            element_pred = _all([inner, test])

        def any_element(resource: dict[str, Any]) -> bool:
            value = parent.lookup(resource)
            if isinstance(value, dict):
                return element_pred(value)
            if not isinstance(value, list):
                return False
            return any(isinstance(el, dict) and element_pred(el) for el in value)

        return _Node(any_element)


def _check_comparison(path: AttrPath, name: str, op: str, value: Any) -> None:
    """Reject comparisons that can never be meaningful, at compile time rather than per row."""
    kind = path.type
    if op in ORDER_OPS and (kind in ("boolean", "complex") or isinstance(value, bool)):
        raise errors.invalid_filter(f"'{op}' cannot order the {kind} attribute '{name}'.")
    if op not in ("eq", "ne") and value is None:
        raise errors.invalid_filter(f"'{op}' cannot compare with null.")
    if op in SUBSTRING_OPS and not isinstance(value, str):
        raise errors.invalid_filter(f"'{op}' needs a string value.")
    if kind == "dateTime" and op in ORDER_OPS and _instant(value) is None:
        raise errors.invalid_filter(f"'{name}' is a dateTime; {value!r} is not an instant.")
    attr = path.attr
    if (
        kind == "complex"
        and path.sub_name is None
        and attr is not None
        and not attr.multi_valued
        and attr.sub("value") is None
    ):
        raise errors.invalid_filter(f"'{name}' is complex; name a sub-attribute.")


def _element_path(parent: AttrPath, name: str, error: Callable[[str], ScimError]) -> AttrPath:
    """``name`` inside ``parent[...]``: a sub-attribute, looked up on one element."""
    attr = parent.attr
    if attr is None:
        return AttrPath(parent.schema, name, None, None, None, False)
    sub: Attr | None = attr.sub(name)
    if sub is None:
        raise error(f"Unknown sub-attribute '{name}' of '{attr.name}'.")
    return AttrPath(parent.schema, sub.name, None, sub, None, False)


def _check_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise errors.invalid_filter("The filter is empty.")
    if len(text) > MAX_FILTER_LENGTH:
        raise ScimError(
            400, f"The filter is longer than {MAX_FILTER_LENGTH} characters.", "tooMany"
        )


def _count_terms(tokens: list[_Tok]) -> int:
    return sum(1 for t in tokens if t.kind == "word" and t.text.lower() in _TERM_OPS)


def _check_terms(tokens: list[_Tok]) -> list[_Tok]:
    terms = _count_terms(tokens)
    if terms > MAX_FILTER_TERMS:
        raise ScimError(
            400,
            f"The filter has {terms} terms; at most {MAX_FILTER_TERMS} are processed.",
            "tooMany",
        )
    return tokens


_TERM_OPS = COMPARE_OPS | {"pr"}


def compile_filter(text: str, resource_type: ResourceType) -> Filter:
    """Compile a ``filter`` parameter; any problem is 400 ``invalidFilter``."""
    _check_text(text)
    names: set[str] = set()

    def resolve(name: str) -> AttrPath:
        try:
            path = resolve_path(resource_type, name, strict=True)
        except KeyError as exc:
            raise errors.invalid_filter(f"Unknown attribute '{name}'.") from exc
        names.add(path.schema if path.is_extension else path.name)
        return path

    def element(parent: AttrPath, name: str) -> AttrPath:
        return _element_path(parent, name, errors.invalid_filter)

    tokens = _check_terms(_tokenize(text))
    node = _Parser(tokens, resolve, element).parse()
    cost = max(_count_terms(tokens), 1)
    return Filter(node.predicate, node.terms, text, frozenset(names), node.only_equality, cost)


def compile_value_filter(text: str, resource_type: ResourceType, parent: AttrPath) -> Filter:
    """The filter inside ``emails[...]``; ``matches`` takes one element of the attribute."""
    _check_text(text)
    if parent.attr is not None and parent.attr.type != "complex":
        raise errors.invalid_filter(f"'{parent.name}' has no sub-attributes to filter on.")
    tokens = _check_terms(_tokenize(text))
    node = _Parser(
        tokens, lambda name: _element_path(parent, name, errors.invalid_filter), None
    ).parse()
    cost = max(_count_terms(tokens), 1)
    return Filter(node.predicate, node.terms, text, frozenset(), node.only_equality, cost)


@dataclass(frozen=True)
class PatchPath:
    """A PATCH ``path``: attribute, optional ``[filter]``, optional ``.sub`` after it."""

    attr: AttrPath
    value_filter: Filter | None
    sub_name: str | None


def _closing_bracket(text: str, start: int) -> int:
    """Index of the ``]`` closing the ``[`` at ``start``, skipping string literals."""
    i = start + 1
    in_string = False
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "]":
            return i
        i += 1
    return -1


def parse_path(text: str, resource_type: ResourceType) -> PatchPath:
    """Parse a PATCH path (RFC 7644 3.5.2 ``PATH``); any problem is 400 ``invalidPath``."""
    if not isinstance(text, str) or not text.strip():
        raise errors.invalid_path("The PATCH path is empty.")
    text = text.strip()
    bracket = text.find("[")
    head = text if bracket < 0 else text[:bracket]
    try:
        attr = resolve_path(resource_type, head, strict=True)
    except KeyError as exc:
        raise errors.invalid_path(f"Unknown attribute path '{head}'.") from exc
    if bracket < 0:
        return PatchPath(attr, None, None)
    close = _closing_bracket(text, bracket)
    if close < 0:
        raise errors.invalid_path(f"Unbalanced '[' in path '{text}'.")
    if attr.sub_name is not None or (
        attr.attr is not None and (attr.attr.type != "complex" or not attr.attr.multi_valued)
    ):
        raise errors.invalid_path(f"'{head}' cannot take a value filter.")
    try:
        flt = compile_value_filter(text[bracket + 1 : close], resource_type, attr)
    except ScimError as exc:
        raise errors.invalid_path(f"Invalid value filter in path '{text}': {exc.detail}") from exc
    rest = text[close + 1 :]
    if not rest:
        return PatchPath(attr, flt, None)
    if not rest.startswith(".") or len(rest) < 2:
        raise errors.invalid_path(f"Unexpected '{rest}' after the value filter.")
    if attr.attr is None:
        return PatchPath(attr, flt, rest[1:])
    sub = attr.attr.sub(rest[1:])
    if sub is None:
        raise errors.invalid_path(f"Unknown sub-attribute '{rest[1:]}' in path '{text}'.")
    return PatchPath(attr, flt, sub.name)
