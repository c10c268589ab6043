"""Harness tests use the installed pytest plugin's fixtures (``mockscim``, ``mockscim_app``,
factories) exactly as a user would, plus ``pytester`` for running the plugin in a sandbox."""


def pytest_configure(config):
    # ``pytest_plugins`` is only allowed in the rootdir's conftest; load pytester here instead.
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
    config.addinivalue_line(
        "markers",
        "network: installs packages with pip (PyPI or the pip cache); deselect with -m 'not network'",
    )
    config.addinivalue_line(
        "markers", "slow: takes more than 30 s (builds and installs a wheel); -m 'not slow'"
    )
