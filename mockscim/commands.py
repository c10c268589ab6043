"""Imports the modules that add subcommands to ``mockscim`` (each fills ``cli.EXTRA_COMMANDS``)."""

import mockscim.contract_cli
import mockscim.push_cli
import mockscim.scenario_cli  # noqa: F401  (the last line needs it: each rebinds `mockscim`)
