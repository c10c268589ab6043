"""Seeded factories and generated scenarios: same seed, byte-identical output; realistic,
internally consistent data."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from mockscim.testing.factories import ENTERPRISE, Factory, dumps, generate_scenario, make_faker

#: ``mockscim scenario generate`` with fixed arguments: the same file every time.
GENERATE = [
    sys.executable,
    "-m",
    "mockscim.cli.main",
    "scenario",
    "generate",
    "--seed",
    "42",
    "--users",
    "25",
    "--groups",
    "4",
]


def test_same_seed_gives_byte_identical_scenario_json():
    assert dumps(generate_scenario(7, 40, 5)) == dumps(generate_scenario(7, 40, 5))
    assert dumps(generate_scenario(7, 40, 5)) != dumps(generate_scenario(8, 40, 5))


def test_generated_scenario_is_pinned_across_machines():
    """The digest is fixed: the provider uses its own word lists and Python's seeded
    ``random.Random`` only, so neither the machine nor the Faker version can change it."""
    text = dumps(generate_scenario(3, 5, 2))
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "d4e7a41d55ff282fc9758d066567ec52961508679ecf9318b09a3be588e8fc3e"
    )


def test_cli_generate_is_deterministic(tmp_path):
    outputs = []
    for name in ("a.json", "b.json"):
        path = tmp_path / name
        subprocess.run(
            [*GENERATE, "-o", str(path)],
            check=True,
            capture_output=True,
        )
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == dumps(generate_scenario(42, 25, 4)).encode()
    stdout = subprocess.run(
        GENERATE,
        check=True,
        capture_output=True,
    ).stdout
    assert stdout == outputs[0]


def test_cli_generate_rejects_negative_counts():
    done = subprocess.run(
        [sys.executable, "-m", "mockscim.cli.main", "scenario", "generate", "--users", "-1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--users" in done.stderr


def test_users_are_realistic_and_consistent():
    factory = Factory(5)
    users = factory.scim_users("acme.test", 300, inactive=3)
    names = [u["userName"] for u in users]
    assert len(set(n.lower() for n in names)) == 300
    assert all(n.endswith("@acme.test") for n in names)
    assert [u["active"] for u in users[-4:]] == [True, False, False, False]
    seen: set[str] = set()
    for user in users:
        ext = user[ENTERPRISE]
        assert user["emails"][0] == {"value": user["userName"], "type": "work", "primary": True}
        assert user["name"]["formatted"] == user["displayName"]
        assert ext["department"] and ext["employeeNumber"].isdigit()
        if "manager" in ext:
            assert ext["manager"]["value"] in seen  # managers are earlier users
        seen.add(user["userName"])
    assert "manager" not in users[0][ENTERPRISE]
    assert sum("manager" in u[ENTERPRISE] for u in users) == 299


def test_groups_reference_existing_users_and_have_unique_names():
    factory = Factory(9)
    users = factory.scim_users("acme.test", 50)
    groups = factory.scim_groups(users, 15)
    names = {u["userName"] for u in users}
    assert len({g["displayName"] for g in groups}) == 15
    for group in groups:
        assert {m["value"] for m in group["members"]} <= names
    departments = {u[ENTERPRISE]["department"] for u in users}
    assert departments & {g["displayName"] for g in groups}


def test_ssoready_org_without_token_has_no_directory_data():
    org = Factory(1).ssoready_org(token=False)
    (directory,) = org["scim_directories"]
    assert directory["bearer_token"] is None and "directory" not in directory


def test_faker_provider_is_usable_on_its_own():
    fake = make_faker(3)
    company = fake.mockscim_company()
    assert company["domain"].endswith(".test")
    assert make_faker(3).mockscim_person() == make_faker(3).mockscim_person()
    assert fake.mockscim_external_id("okta").startswith("00u")


def test_committed_fixtures_are_fresh():
    """fixtures/*.json and the packaged demo are exactly what fixtures/regenerate.py makes."""
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "fixtures" / "regenerate.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
