"""The target layer: which API a run talks to, over which transport, with which safety rails."""
