"""The webhook tests verify deliveries with the real ``svix`` library (the ``webhooks`` extra);
without it they are not collected, as the ``webhook_receiver`` fixture would skip them anyway."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("svix") else ["test_*.py"]


def pytest_configure(config):
    # ``pytest_plugins`` is only allowed in the rootdir's conftest; load pytester here instead.
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
