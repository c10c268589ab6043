"""One package per emulated vendor; each exposes ``register(app, mock)``."""
