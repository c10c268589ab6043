"""The scenarios bundled with the package (``mockscim/data/*.json``) and the format's
documentation (``mockscim/data/scenario-format.md``), so a pip user has every scenario the docs
name, by name, and the format without a checkout.

``fixtures/regenerate.py`` writes the bundled files together with their ``fixtures/`` twins
(same bytes); ``--check`` and the test suite keep the two identical.
"""

from __future__ import annotations

import json
from importlib.resources import files

FORMAT_DOC = "scenario-format.md"


def _data():  # type: ignore[no-untyped-def]
    return files("mockscim") / "data"


def bundled_scenarios() -> dict[str, str]:
    """Name -> first sentence of the description, for every bundled scenario."""
    found: dict[str, str] = {}
    for entry in sorted(_data().iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            raw = json.loads(entry.read_text(encoding="utf-8"))
        except ValueError:
            continue
        description = str(raw.get("description") or "").split(". ")[0].rstrip(".")
        found[entry.name.removesuffix(".json")] = description
    return found


def format_doc() -> str:
    return (_data() / FORMAT_DOC).read_text(encoding="utf-8")
