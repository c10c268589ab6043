"""How to: start a test from a scenario file.

Scenario files (see fixtures/README.md) describe organizations, SCIM connections and
directories, users and groups. Load one inside a test with ``mockscim.state.load(path)`` (or
a bundled scenario by name, ``"demo"``, which works from an installed package too), or for a
whole run with ``pytest --mockscim-scenario=PATH`` (every reset returns to it). Tokens named
in the file are the ones that work.
"""

from pathlib import Path

import requests

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_load_the_bundled_demo_by_name(mockscim):
    report = mockscim.state.load("demo")

    acme = next(o for o in report["stytch"]["organizations"] if o["key"] == "acme")
    token = "DemoAcmeScimToken" + "0" * 27 + "Acme"  # published in fixtures/README.md
    users = requests.get(
        mockscim.url + acme["scim_base_path"] + "/Users",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert users.json()["totalResults"] == 8


def test_load_a_scenario_and_use_its_tokens(mockscim):
    report = mockscim.state.load(FIXTURES / "stytch-rotation.json")

    acme = report["stytch"]["organizations"][0]
    base_url = mockscim.url + acme["scim_base_path"]
    for token in (
        "RotationCurrentToken" + "0" * 24 + "Curr",
        "RotationNextToken" + "0" * 27 + "Next",
    ):
        users = requests.get(base_url + "/Users", headers={"Authorization": f"Bearer {token}"})
        assert users.json()["totalResults"] == 3
    assert mockscim.journal.credentials() == ["current", "next"]


def test_generate_a_scenario_in_code(mockscim):
    from mockscim.testing.factories import generate_scenario

    report = mockscim.state.load(generate_scenario(seed=5, users=10, groups=2, ssoready_orgs=0))
    assert len(report["stytch"]["organizations"][0]["users"]) == 10
