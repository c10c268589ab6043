"""The README's "Log a member in: sessions" example, run verbatim from README.md (extracted, not
copied, so the documentation cannot drift from what is tested).

Vendor sources: stytch-python ``b2b/api/sessions.py`` ``authenticate`` (the middleware's call);
Stytch's Supported SCIM actions table (docs b2b/guides/scim/actions: "Member deprovisioned ...
all current sessions revoked"); the error catalogue's ``session_not_found``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"
TEST_NAME = "test_deprovisioned_member_is_logged_out"


def readme_block(marker: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if marker in b]
    assert len(found) == 1, f"expected one README python block with {marker!r}"
    return found[0]


def test_readme_sessions_example(mockscim: Any) -> None:
    namespace: dict[str, Any] = {"__name__": "readme_sessions_example"}
    exec(compile(readme_block(f"def {TEST_NAME}"), str(README), "exec"), namespace)
    namespace[TEST_NAME](mockscim)
