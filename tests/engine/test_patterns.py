"""Route patterns match in one pass over the path, whatever the pattern (issue 20: the fault
path ``**a**a**a**a**a**a**a**a**b`` compiled to a backtracking regex and a 60-character
request path took 30 s; as a journal filter, 51 s)."""

from __future__ import annotations

import random
import re

import pytest
from flask import Flask

from mockscim.app import create_app
from mockscim.engine import patterns
from mockscim.engine.patterns import PatternError, RoutePattern, compile_route
from mockscim.settings import Settings

HOSTILE = "**a**a**a**a**a**a**a**a**b"


def _reference(pattern: str) -> re.Pattern[str]:
    """The route syntax's meaning, as the plain translation to a regex states it."""
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


def test_the_automaton_agrees_with_the_regex_meaning_on_random_patterns() -> None:
    rng = random.Random(20)
    pieces = ["a", "b", "/", "*", "**", "***", "<id>", "ab", "/a", "a/"]
    for _ in range(3000):
        pattern = rng.choice("/*") + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 7)))
        compiled = compile_route.__wrapped__(pattern)
        automaton = RoutePattern(pattern, patterns._atoms(pattern))
        reference = _reference(pattern)
        for _ in range(8):
            path = "".join(rng.choice("ab/") for _ in range(rng.randint(0, 12)))
            want = reference.match(path) is not None
            assert (compiled.match(path) is not None) is want, (pattern, path)
            assert (automaton.match(path) is not None) is want, (pattern, path)


@pytest.mark.parametrize(
    ("pattern", "automaton"),
    [
        ("/v1/b2b/scim/*/Users", False),
        ("/v1/b2b/scim/<id>/Users/<uid>", False),
        ("/v1/**", False),
        ("**", False),
        (HOSTILE, True),
        ("/a/**/b", True),
        ("/a*b/c", True),
        ("/<id>x", True),
    ],
)
def test_only_patterns_that_could_backtrack_run_as_an_automaton(
    pattern: str, automaton: bool
) -> None:
    assert isinstance(compile_route.__wrapped__(pattern), RoutePattern) is automaton


def test_the_hostile_pattern_costs_one_step_per_character(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [0]
    real = RoutePattern._closure

    def counted(self: RoutePattern, states: int) -> int:
        steps[0] += 1
        return real(self, states)

    monkeypatch.setattr(RoutePattern, "_closure", counted)
    compiled = compile_route.__wrapped__(HOSTILE)
    for length in (60, 8000):
        steps[0] = 0
        assert compiled.match("/" + "a" * (length - 1)) is None
        assert steps[0] <= length + 1
    assert compiled.match("/" + "a" * 58 + "b")
    assert compiled.match("/aaaaaaaab")
    assert not compiled.match("/aaaaaaab")


def test_an_over_long_route_pattern_is_refused() -> None:
    with pytest.raises(PatternError, match="longer than"):
        compile_route.__wrapped__("/" + "*a" * patterns.MAX_ROUTE_LENGTH)


@pytest.fixture
def app() -> Flask:
    return create_app(Settings())


def test_a_hostile_fault_path_and_journal_filter_answer_at_once(app: Flask) -> None:
    """Through the control plane: the fault is accepted, matched against a long path in one
    pass, and the same pattern filters the journal."""
    client = app.test_client()
    added = client.post("/_mockscim/faults", json={"path": HOSTILE, "status": 503})
    assert added.status_code == 201
    base = "/v1/b2b/organizations/"
    assert client.get(base + "a" * 60).status_code == 401  # no fault: Stytch's own answer
    assert client.get(base + "a" * 8 + "b").status_code == 503
    found = client.get("/_mockscim/requests", query_string={"path": HOSTILE}).get_json()
    assert [r["path"] for r in found["requests"]] == [base + "aaaaaaaab"]
