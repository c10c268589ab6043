"""Every repository path the docs cite exists (docs/idp.md cited ``mockscim/push_cli.py``,
a file that never existed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", ROOT / "SUPPORTED.md", *ROOT.glob("docs/*.md")])
DOCS += [ROOT / "fixtures" / "README.md"]
#: A backticked path under one of the repository's top-level directories, with an extension.
CITED = re.compile(
    r"`((?:mockscim|tests|fixtures|docs|benchmarks|contract_tests)/[\w./-]+\.(?:py|md|json|js|css|html))`"
)

#: Files the tools write (not committed), cited as where to find their output.
GENERATED = {"benchmarks/results.json"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_cited_paths_exist(doc: Path) -> None:
    missing = [
        path
        for path in CITED.findall(doc.read_text(encoding="utf-8"))
        if "*" not in path
        and "<" not in path
        and path not in GENERATED
        and not (ROOT / path).exists()
    ]
    assert not missing, f"{doc.name} cites missing files: {missing}"
