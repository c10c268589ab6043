"""The engine: one emulated world (store, clock, tokens, journal, faults, persistence). No HTTP, no vendor."""
