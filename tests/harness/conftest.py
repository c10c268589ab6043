"""Harness tests use the installed pytest plugin's fixtures (``mockscim``, ``mockscim_app``,
factories) exactly as a user would, plus ``pytester`` for running the plugin in a sandbox."""

pytest_plugins = ["pytester"]
