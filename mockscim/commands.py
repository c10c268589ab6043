"""Imports the modules that add subcommands to ``mockscim`` (each fills ``cli.EXTRA_COMMANDS``)."""
