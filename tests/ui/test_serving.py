"""The dashboard's files as served and as packaged: no browser needed, so these run everywhere
(the browser tests in ``test_dashboard.py`` skip without Chromium)."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from flask import Flask

from mockscim.app import create_app
from mockscim.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "mockscim" / "ui" / "static"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(Settings(scenario="none"))


@pytest.mark.parametrize("path", ["/_mockscim/ui", "/_mockscim/ui/"])
def test_the_page_is_served_with_a_strict_policy_and_no_external_asset(
    app: Flask, path: str
) -> None:
    res = app.test_client().get(path)
    assert res.status_code == 200
    assert res.content_type.startswith("text/html")
    policy = res.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert res.headers["Cache-Control"] == "no-store"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    text = res.get_data(as_text=True)
    assert 'src="/_mockscim/ui/static/app.js"' in text
    # No external asset: every src/href is our own.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)


@pytest.mark.parametrize(("name", "kind"), [("app.js", "javascript"), ("app.css", "text/css")])
def test_the_page_files_are_served(app: Flask, name: str, kind: str) -> None:
    res = app.test_client().get(f"/_mockscim/ui/static/{name}")
    assert res.status_code == 200
    assert kind in res.content_type
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    if name == "app.js":
        # The page builds its DOM from nodes and text, never from HTML strings.
        assert "innerHTML" not in res.get_data(as_text=True)


def test_an_unknown_dashboard_file_is_the_control_planes_json_404(app: Flask) -> None:
    res = app.test_client().get("/_mockscim/ui/static/nope.js")
    assert res.status_code == 404
    assert res.get_json()["status"] == 404


def test_the_static_files_are_declared_package_data() -> None:
    """A wheel ships the page only if pyproject.toml declares it; an editable install would
    find the files either way, so check the declaration against the folder too."""
    shipped = resources.files("mockscim.ui") / "static"
    for name in ("index.html", "app.js", "app.css"):
        assert (shipped / name).is_file(), name
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["mockscim"]
    for path in STATIC.rglob("*"):
        if path.is_file():
            relative = path.relative_to(ROOT / "mockscim").as_posix()
            assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
