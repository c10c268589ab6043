"""The package version, in a module of its own so every layer can read it without importing
the package's ``__init__`` (which imports the app, and would make an import cycle)."""

__version__ = "0.1.0"
