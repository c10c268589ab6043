"""Imports the modules that add subcommands to ``mockscim`` (each fills ``cli.EXTRA_COMMANDS``)."""

import mockscim.contract_cli  # noqa: F401
import mockscim.push_cli  # noqa: F401
import mockscim.scenario_cli  # noqa: F401
