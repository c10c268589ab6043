"""Bundled scenarios: every scenario the docs name ships in the package under its name, with
the same bytes as its ``fixtures/`` twin, and the demo's tokens can be told apart by their
last four characters (what the vendors show of a token)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mockscim.app import create_app
from mockscim.engine.mock import bundled_scenario
from mockscim.http.context import mock_of
from mockscim.scenario.bundled import FORMAT_DOC, bundled_scenarios, format_doc
from mockscim.settings import DEFAULT_STYTCH_PROJECT_ID, DEFAULT_STYTCH_SECRET, Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
BUNDLED = ROOT / "mockscim" / "data"
DOCS = [ROOT / "README.md", ROOT / "SUPPORTED.md", FIXTURES / "README.md", *ROOT.glob("docs/*.md")]


def test_every_fixture_is_bundled_with_the_same_bytes():
    committed = sorted(p.name for p in FIXTURES.glob("*.json"))
    assert committed, "fixtures/ holds the committed scenarios"
    for name in committed:
        twin = BUNDLED / name
        assert twin.is_file(), f"mockscim/data/{name} is missing: run fixtures/regenerate.py"
        assert twin.read_bytes() == (FIXTURES / name).read_bytes(), name
    assert (BUNDLED / FORMAT_DOC).read_bytes() == (FIXTURES / "README.md").read_bytes()
    assert sorted(bundled_scenarios()) == sorted(n.removesuffix(".json") for n in committed)


def test_every_scenario_the_docs_name_by_name_is_bundled():
    named: set[str] = set()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        named.update(re.findall(r"--scenario[ =]([a-z][a-z0-9-]+)(?![\w.])", text))
        named.update(re.findall(r"fixtures/([a-z][a-z0-9-]+)\.json", text))
    named -= {"none", "large"}  # "none" starts empty; large.json is generated on demand
    assert "stytch-rotation" in named
    for name in sorted(named):
        assert bundled_scenario(name) is not None, f"{name} is named in the docs, not bundled"


def test_format_doc_is_the_fixtures_readme():
    assert format_doc().startswith("# Scenario files")


@pytest.mark.parametrize("name", ["stytch-rotation", "ssoready-tokens", "generated-small"])
def test_bundled_scenarios_load_by_name(name):
    app = create_app(Settings(scenario=name))
    mock_of(app).open()
    assert mock_of(app).scenario_report["name"] == name


def _demo_tokens() -> list[str]:
    raw = json.loads((BUNDLED / "demo.json").read_text(encoding="utf-8"))
    tokens = []
    for org in raw["stytch"]["organizations"]:
        connection = org["scim_connection"]
        tokens += [connection["bearer_token"], connection.get("next_bearer_token")]
    for org in raw["ssoready"]["organizations"]:
        tokens += [d.get("bearer_token") for d in org["scim_directories"]]
    return [t for t in tokens if t]


def test_demo_tokens_have_distinct_last_fours():
    tokens = _demo_tokens()
    assert len(tokens) == 4
    assert len({t[-4:] for t in tokens}) == len(tokens), tokens


def test_globex_current_and_next_differ_in_the_api():
    """Stytch's connection shows ``bearer_token_last_four`` and
    ``next_bearer_token_last_four`` (stytch-python ``b2b/models/scim.py`` SCIMConnection):
    a user telling the tokens apart needs them to differ."""
    app = create_app(Settings(scenario="demo"))
    mock = mock_of(app)
    mock.open()
    globex = next(
        o for o in mock.scenario_report["stytch"]["organizations"] if o["key"] == "globex"
    )
    client = app.test_client()
    answer = client.get(
        f"/v1/b2b/scim/{globex['organization_id']}/connection",
        auth=(DEFAULT_STYTCH_PROJECT_ID, DEFAULT_STYTCH_SECRET),
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    connection = answer.get_json()["connection"]
    assert connection["bearer_token_last_four"] == globex["bearer_token"][-4:]
    assert connection["next_bearer_token_last_four"] == globex["next_bearer_token"][-4:]
    assert connection["bearer_token_last_four"] != connection["next_bearer_token_last_four"]


def test_demo_ssoready_token_is_one_ssoready_could_mint():
    """ssoready/ssoready ``internal/store/idformat``: prefix + 25 base-36 digits of a UUID."""
    (token,) = [t for t in _demo_tokens() if t.startswith("ssoready_")]
    digits = token.removeprefix("ssoready_scim_bearer_token_")
    assert len(digits) == 25 and int(digits, 36) < 2**128
