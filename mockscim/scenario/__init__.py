"""Scenario files: their schema (:mod:`.schema`) and how they are built (:mod:`.builder`).

The format is documented in the repository's ``fixtures/README.md``; bundled scenarios
(``"demo"``) are addressable by name wherever a file is.
"""
