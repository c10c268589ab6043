"""Harness tests use the installed pytest plugin's fixtures (``mockscim``, ``mockscim_app``,
factories) exactly as a user would, plus ``pytester`` for running the plugin in a sandbox."""

pytest_plugins = ["pytester"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "network: installs packages with pip (PyPI or the pip cache); deselect with -m 'not network'",
    )
