"""waitress, bounded: a connection limit that closes the oldest idle connection to admit a new
one, a read timeout on requests that arrive too slowly, and ``Expect: 100-continue`` on a
request without a body answered rather than left hanging.

waitress alone (3.0) answers none of these:

- at ``connection_limit`` it stops accepting until its idle sweep (``channel_timeout``) closes
  something, so 100 idle keep-alive sockets stall every new client for up to that long, and
  1,000 held sockets are worked through 100 per sweep;
- its idle sweep looks at the time of the last byte received, so a client sending one byte a
  second keeps a connection (and its slot) for ever;
- it answers ``Expect: 100-continue`` with ``100 Continue`` and then waits for a body, even
  when the headers announced none (``GET`` without ``Content-Length``): the request never
  completes.

The fixes use waitress's extension points as its own subclasses and webtest do: a
``TcpWSGIServer`` subclass (its ``channel_class``, ``handle_accept`` and ``maintenance``), an
``HTTPChannel`` subclass (its ``parser_class``) and an ``HTTPRequestParser`` subclass. They read
the channel attributes waitress's own sweep reads (``last_activity``, ``requests``,
``request``, ``will_close``); nothing here touches an underscore name. The socket map is ours
(passed in), so stopping needs no private attribute either.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

#: The listening socket and waitress's trigger share the map with the connections.
_OWN_SOCKETS = 2


class _Parser(HTTPRequestParser):
    """No ``100 Continue`` for a request that has no body to wait for: waitress would send it
    and then wait for that body (``HTTPChannel.send_continue`` marks the request incomplete),
    so ``GET`` with ``Expect: 100-continue`` hung. RFC 9110 section 10.1.1 lets a server ignore
    the expectation and answer at once, which is what clients fall back to anyway."""

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        if self.body_rcv is None:  # no Content-Length > 0 and not chunked: no body
            self.expect_continue = False


class _Channel(HTTPChannel):
    """A connection that remembers when its request in progress began (``request_started``),
    so the server can time out requests that arrive too slowly."""

    parser_class = _Parser
    request_started: float | None = None

    def received(self, data: bytes) -> bool:
        before = self.request
        accepted = super().received(data)
        if self.request is None:  # every request in the data arrived whole
            self.request_started = None
        elif self.request is not before or self.request_started is None:
            self.request_started = time.monotonic()  # a new request began in this data
        return accepted

    @property
    def idle(self) -> bool:
        """Nothing in service, nothing half-received, nothing left to send."""
        return not self.requests and self.request is None and not self.total_outbufs_len


class BoundedServer(TcpWSGIServer):
    """``TcpWSGIServer`` with the oldest idle connection closed to admit a new one at the
    limit, and a read timeout on partial requests (checked by waitress's sweep)."""

    channel_class = _Channel
    max_connections: int = 256
    read_timeout: float = 30.0

    def handle_accept(self) -> None:
        super().handle_accept()
        over = len(self.active_channels) - self.max_connections
        if over > 0:
            self._close_oldest(over)

    def _close_oldest(self, count: int) -> None:
        """Close up to ``count`` connections to make room: idle ones first (longest idle
        first), then those whose request is still arriving (oldest first). A connection whose
        request is in service is never closed; if all are, waitress's own limit (one above
        ours) stops accepting until one finishes, and new clients wait in the backlog."""
        channels = [c for c in self.active_channels.values() if not c.will_close]
        idle = sorted((c for c in channels if c.idle), key=lambda c: c.last_activity)
        arriving = sorted(
            (c for c in channels if c.request_started is not None and not c.requests),
            key=lambda c: c.request_started,
        )
        newest = max(channels, key=lambda c: c.creation_time, default=None)
        for channel in [*idle, *arriving]:
            if count <= 0:
                return
            if channel is newest:
                continue  # the one just admitted
            channel.handle_close()
            count -= 1

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # idle connections past channel_timeout
        cutoff = time.monotonic() - self.read_timeout
        for channel in list(self.active_channels.values()):
            started = channel.request_started
            if started is not None and started < cutoff and not channel.requests:
                channel.will_close = True  # closed by the loop, as waitress closes idle ones


def make_server(
    app: Any,
    socket_map: dict[int, Any],
    *,
    host: str,
    port: int,
    threads: int,
    idle_timeout: float,
    max_connections: int,
    read_timeout: float,
) -> BoundedServer:
    """One listening socket (the first address ``host`` resolves to, IPv4 first) served by a
    :class:`BoundedServer` on ``socket_map``."""
    adj = Adjustments(
        host=host,
        port=port,
        threads=threads,
        # waitress keeps whole seconds; at least 1 (0 would close every connection at once).
        channel_timeout=max(1, round(idle_timeout)),
        # The sweep (idle and read timeouts) runs at most once a second, when the poll loop
        # wakes: cheap, and it bounds how late a timeout is applied.
        cleanup_interval=1,
        connection_limit=max_connections + 1 + _OWN_SOCKETS,
        ident="mockscim",
        asyncore_use_poll=True,
        clear_untrusted_proxy_headers=True,
        # Whole seconds: waitress reads this as an int (0.2 became 0, a poll loop that never
        # slept: an idle server burned a core). stop() wakes the loop through its trigger, so
        # this bounds nothing a user waits on.
        asyncore_loop_timeout=1,
    )
    listen = sorted(adj.listen, key=lambda info: info[0] != socket.AF_INET)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    server = BoundedServer(app, socket_map, dispatcher=dispatcher, adj=adj, sockinfo=listen[0])
    server.max_connections = max_connections
    server.read_timeout = read_timeout
    return server
