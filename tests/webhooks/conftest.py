"""The webhook tests verify deliveries with the real ``svix`` library (the ``webhooks`` extra);
without it they are not collected, as the ``webhook_receiver`` fixture would skip them anyway."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("svix") else ["test_*.py"]
