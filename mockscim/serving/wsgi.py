"""The HTTP server behind ``mockscim serve`` and ``MockServer``: one process, many threads
(the state is in memory), on waitress by default.

    server = WSGIServer(app, "127.0.0.1", 0)        # binds now: port 0 is resolved here
    print(server.url)                               # http://127.0.0.1:54321
    server.start()                                  # on a background thread ...
    server.stop()
    server.serve_forever()                          # ... or in the foreground until stop()
                                                    # or KeyboardInterrupt

Why waitress: measured against werkzeug's threaded server, cheroot and granian on this app
(one process, loopback, ``requests.Session`` clients), it was the fastest of the pure-Python
servers for sequential SCIM provisioning, GET by id and 8 concurrent clients; it runs on a
thread (so ``MockServer`` shares the app's memory with the test), has an idle-connection
timeout (``channel_timeout``) and no request log of its own. granian was as fast but runs the
app in its own worker process with a Rust runtime, which a thread-hosted ``MockServer`` cannot
share memory with. ``make bench`` keeps the rows against werkzeug.

``server="werkzeug"`` keeps werkzeug's threaded development server (request log, debugger
friendly): ``mockscim serve --server werkzeug``. waitress has no TLS: ``ssl_context`` (``serve
--tls``) runs on werkzeug, which wraps the listening socket in it.

Bounds (waitress; :mod:`mockscim.serving.waitress_server`): at most ``max_connections`` open
connections, the longest-idle one closed to admit a new client; a request must arrive whole
within ``read_timeout`` of its first byte; idle keep-alive connections close after
``idle_timeout``. werkzeug runs a thread per connection with ``idle_timeout`` as its socket
timeout and has neither bound.

Dropped-connection faults: the fault middleware (:mod:`mockscim.http.hooks`) raises
``ConnectionResetError`` after the request was journaled. werkzeug gets the socket
(``environ["werkzeug.socket"]``) shut down by the middleware; on waitress the error is turned
into waitress's own ``ClientDisconnected``, which makes it close the connection without
writing a byte.
"""

from __future__ import annotations

import logging
import math
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

SERVERS = ("waitress", "werkzeug")
DEFAULT_THREADS = 8
#: Seconds a keep-alive connection may stay idle before the server closes it.
DEFAULT_IDLE_TIMEOUT = 60.0
#: Open connections waitress keeps; at the limit the longest-idle one is closed to admit a new
#: one (about one file descriptor each, well under the usual ``ulimit -n`` of 1024).
DEFAULT_MAX_CONNECTIONS = 256
#: Seconds a request may take to arrive whole (headers and body), from its first byte; a
#: slower one (a slow-drip client) is closed without an answer.
DEFAULT_READ_TIMEOUT = 30.0

log = logging.getLogger("mockscim")


class BindError(OSError):
    """The address could not be bound (in use, not local, no permission)."""


def _access_logged(app: Callable[..., Any]) -> Callable[..., Any]:
    """One line per request on the ``mockscim`` logger (redacted by its filter), as werkzeug
    prints them: waitress has no request log."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        status: list[str] = ["-"]

        def start(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = line.split(" ", 1)[0]
            return (
                start_response(line, headers, exc_info)
                if exc_info
                else start_response(line, headers)
            )

        started = time.perf_counter()
        try:
            return app(environ, start)
        finally:
            query = environ.get("QUERY_STRING")
            log.info(
                '%s "%s %s%s %s" %s %.1fms',
                environ.get("REMOTE_ADDR", "-"),
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                f"?{query}" if query else "",
                environ.get("SERVER_PROTOCOL"),
                status[0],
                (time.perf_counter() - started) * 1000,
            )

    return logged


def _waitress_drops(app: Callable[..., Any]) -> Callable[..., Any]:
    from waitress.channel import ClientDisconnected

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            return app(environ, start_response)
        except ConnectionResetError:
            # A drop fault: waitress closes the connection and writes nothing.
            raise ClientDisconnected("connection dropped by a mockscim fault") from None

    return wrapped


def _resolve(host: str, port: int) -> None:
    """A host that does not resolve is a :class:`BindError` naming it (waitress raised a bare
    ``ValueError`` and werkzeug exited as if the port were in use)."""
    try:
        socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BindError(
            exc.errno, f"cannot bind {host}:{port}: unknown host ({exc.strerror})"
        ) from None
    except (OverflowError, ValueError, UnicodeError) as exc:
        raise BindError(0, f"cannot bind {host}:{port}: {exc}") from None


class WSGIServer:
    """One WSGI app on one socket, bound at construction (so ``port=0`` is resolved before
    anything is printed), served by :meth:`serve_forever` or :meth:`start`; ``ssl_context``
    switches to werkzeug, the one of the two that speaks TLS."""

    def __init__(
        self,
        app: Callable[..., Any],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        server: str = "waitress",
        threads: int = DEFAULT_THREADS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        access_log: bool = False,
    ) -> None:
        if server not in SERVERS:
            raise ValueError(f"unknown server {server!r}; choose one of {', '.join(SERVERS)}")
        if ssl_context is not None:
            server = "werkzeug"  # waitress speaks plain HTTP only
        self.kind = server
        self.host = host
        self.scheme = "https" if ssl_context is not None else "http"
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        for name, seconds in (("idle_timeout", idle_timeout), ("read_timeout", read_timeout)):
            if not 0 < seconds < math.inf:
                raise ValueError(f"{name} must be a positive number of seconds")
        #: waitress's socket map: ours, so stopping needs none of waitress's private names.
        self._map: dict[int, Any] = {}
        _resolve(host, port)
        if server == "waitress":
            self._impl: Any = self._make_waitress(
                app, host, port, threads, idle_timeout, access_log, max_connections, read_timeout
            )
            self.port: int = int(self._impl.effective_port)
        else:
            self._impl = self._make_werkzeug(app, host, port, idle_timeout, ssl_context, access_log)
            self.port = int(self._impl.server_port)

    # ------------------------------------------------------------------ construction
    def _make_waitress(
        self,
        app: Any,
        host: str,
        port: int,
        threads: int,
        idle_timeout: float,
        access_log: bool,
        max_connections: int,
        read_timeout: float,
    ) -> Any:
        from mockscim.serving.waitress_server import make_server

        logging.getLogger("waitress").setLevel(logging.ERROR)  # "client disconnected" on drops
        wrapped = _waitress_drops(app)
        try:
            return make_server(
                _access_logged(wrapped) if access_log else wrapped,
                self._map,
                host=host.strip("[]"),
                port=port,
                threads=threads,
                idle_timeout=idle_timeout,
                max_connections=max_connections,
                read_timeout=read_timeout,
            )
        except OSError as exc:
            raise BindError(exc.errno, f"cannot bind {host}:{port}: {exc.strerror or exc}") from exc

    @staticmethod
    def _make_werkzeug(
        app: Any,
        host: str,
        port: int,
        idle_timeout: float,
        ssl_context: ssl.SSLContext | None,
        access_log: bool,
    ) -> Any:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Handler(WSGIRequestHandler):
            timeout = idle_timeout  # idle keep-alive connections are closed after this

        if not access_log:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        try:
            server = make_server(
                host.strip("[]"),
                port,
                app,
                threaded=True,
                request_handler=Handler,
                ssl_context=ssl_context,
            )
        except SystemExit as exc:  # werkzeug reports a port in use itself and exits
            raise BindError(98, f"cannot bind {host}:{port}: address already in use") from exc
        except OSError as exc:
            raise BindError(exc.errno, f"cannot bind {host}:{port}: {exc.strerror or exc}") from exc
        server.daemon_threads = True  # type: ignore[attr-defined]
        return server

    # ------------------------------------------------------------------ running
    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host.strip('[]')}]"
        return f"{self.scheme}://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve on this thread until :meth:`stop` (or KeyboardInterrupt); then release the
        socket and the worker threads."""
        try:
            if self.kind == "waitress":
                self._impl.run()  # returns once stop() emptied its map (or on Ctrl-C)
            else:
                self._impl.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._close()
            self._stopped.set()

    def start(self) -> WSGIServer:
        """Serve on a background (daemon) thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, name=f"mockscim:{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        """Stop serving; safe from another thread and from a signal handler."""
        if self._stopped.is_set():
            return
        if self.kind == "waitress":
            from waitress import wasyncore

            impl, socket_map = self._impl, self._map

            def shut_down() -> None:
                # On the loop's own thread: let the requests in service finish first (they
                # pull the trigger when done, so it must still be open), then close every
                # channel, the listener and the trigger; the poll loop finds its map empty
                # and returns.
                impl.task_dispatcher.shutdown(timeout=timeout)
                wasyncore.close_all(socket_map)

            try:
                impl.trigger.pull_trigger(shut_down)
            except OSError:
                pass  # the trigger is already closed: the loop is gone
        else:
            # What socketserver's shutdown() does without waiting (it would deadlock in a
            # signal handler on the serving thread); also honoured if serving has not begun.
            self._impl._BaseServer__shutdown_request = True
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _close(self) -> None:
        if self.kind == "waitress":
            from waitress import wasyncore

            wasyncore.close_all(self._map)
            self._impl.task_dispatcher.shutdown(timeout=2)
        else:
            self._impl.server_close()
