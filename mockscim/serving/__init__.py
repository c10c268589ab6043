"""Serving a mock app on a real socket: the production HTTP server wrapper (:mod:`.wsgi`,
waitress by default, werkzeug on request) and the generated test CA for HTTPS (:mod:`.tls`).

Framework- and vendor-neutral: both take any WSGI app, so ``mockscim serve``
(:mod:`mockscim.cli.serve`) and ``MockServer`` (:mod:`mockscim.testing.server`) share one
server with the same port-0, stop, idle-timeout and dropped-connection behaviour.
"""
