"""Socket guards for the socket-free tests: ``no_network`` fails any non-loopback connect or
DNS lookup and any listening socket, so a test using it proves nothing left the process."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest


def _loopback(address: Any) -> bool:
    if isinstance(address, tuple | list) and address:
        host = address[0]
    else:
        return isinstance(address, str | bytes)  # AF_UNIX paths
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail any non-loopback connect (sync sockets and asyncio), and record every listen()."""
    listening: list[Any] = []
    connect, connect_ex, listen = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.socket.listen,
    )

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            raise NetworkUsed(f"socket connect to {address!r}")
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            raise NetworkUsed(f"socket connect_ex to {address!r}")
        return connect_ex(self, address)

    def recording_listen(self: socket.socket, *args: Any) -> Any:
        listening.append(self.getsockname())
        return listen(self, *args)

    loop_cls = asyncio.BaseEventLoop
    create_connection, sock_connect = loop_cls.create_connection, loop_cls.sock_connect

    async def guarded_create_connection(
        self: Any, factory: Any, host: Any = None, port: Any = None, *a: Any, **kw: Any
    ) -> Any:
        if host is not None and not _loopback((host, port)):
            raise NetworkUsed(f"asyncio create_connection to {host!r}:{port!r}")
        return await create_connection(self, factory, host, port, *a, **kw)

    async def guarded_sock_connect(self: Any, sock: Any, address: Any) -> Any:
        if not _loopback(address):
            raise NetworkUsed(f"asyncio sock_connect to {address!r}")
        return await sock_connect(self, sock, address)

    def refuse_dns(*args: Any, **kwargs: Any) -> Any:
        host = args[0] if args else kwargs.get("host")
        if host not in (None, "localhost") and not _loopback((host, 0)):
            raise NetworkUsed(f"DNS lookup of {host!r}")
        return getaddrinfo(*args, **kwargs)

    getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket.socket, "listen", recording_listen)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_dns)
    monkeypatch.setattr(loop_cls, "create_connection", guarded_create_connection)
    monkeypatch.setattr(loop_cls, "sock_connect", guarded_sock_connect)
    yield listening
    assert listening == [], f"a listening socket was created: {listening}"
