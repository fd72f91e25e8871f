"""Keep-alive HTTP/1.1 connections, kept per origin: the pool under the guarded transport.

    pool = OriginPool(backend, ssl_context, max_connections=16, max_idle=16, keepalive_s=5.0)
    response = await pool.handle_async_request(request)   # an httpcore request and response

httpcore's own pool places each request by scanning every connection (and polling each idle
socket) several times per request: with 16 connections that was a third of the fetching
process's CPU. Here a request takes the most recently used idle connection to its origin (one
socket poll, to see whether the server closed it), or opens a new one through the network
backend (where the address guard checks it); when its response has been read to the end, the
connection goes back. ``max_connections`` bounds the requests in flight, as httpcore's pool
does; callers bound them per host themselves (``HostThrottle``).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterable, AsyncIterator

import httpcore

Connection = httpcore.AsyncHTTPConnection


class OriginPool:
    """HTTP/1.1 connections kept alive per origin; see the module's docstring."""

    def __init__(
        self,
        network_backend: httpcore.AsyncNetworkBackend,
        ssl_context: ssl.SSLContext,
        *,
        max_connections: int,
        max_idle: int,
        keepalive_s: float,
    ) -> None:
        self._backend = network_backend
        self._ssl_context = ssl_context
        self._slots = asyncio.Semaphore(max_connections)
        self._max_idle = max_idle
        self._keepalive_s = keepalive_s
        # Idle connections, least recently used first: their origin and when they went idle.
        self._idle: dict[Connection, tuple[httpcore.Origin, float]] = {}
        self._busy: set[Connection] = set()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        await self._slots.acquire()
        connection = None
        try:
            origin = request.url.origin
            connection = await self._take_idle(origin) or Connection(
                origin=origin,
                ssl_context=self._ssl_context,
                keepalive_expiry=self._keepalive_s,
                network_backend=self._backend,
            )
            self._busy.add(connection)
            response = await connection.handle_async_request(request)
        except BaseException:
            try:
                if connection is not None:
                    self._busy.discard(connection)
                    await connection.aclose()
            finally:
                self._slots.release()
            raise
        assert isinstance(response.stream, AsyncIterable)
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_Returning(response.stream, self, connection, origin),
            extensions=response.extensions,
        )

    async def _take_idle(self, origin: httpcore.Origin) -> Connection | None:
        """The most recently used idle connection to ``origin`` that is still open."""
        stale = time.monotonic() - self._keepalive_s
        while self._idle:  # past their keep-alive, oldest first
            oldest = next(iter(self._idle))
            if self._idle[oldest][1] > stale:
                break
            del self._idle[oldest]
            await oldest.aclose()
        for connection in reversed(list(self._idle)):
            if self._idle[connection][0] != origin:
                continue
            del self._idle[connection]
            if not connection.has_expired():  # the server closed it: its socket is readable
                return connection
            await connection.aclose()
        return None

    async def _give_back(self, connection: Connection, origin: httpcore.Origin) -> None:
        self._busy.discard(connection)
        try:
            if connection.is_idle():
                self._idle[connection] = (origin, time.monotonic())
                while len(self._idle) > self._max_idle:
                    oldest = next(iter(self._idle))
                    del self._idle[oldest]
                    await oldest.aclose()
            elif not connection.is_closed():  # the body was not read to the end
                await connection.aclose()
        finally:
            self._slots.release()

    async def aclose(self) -> None:
        connections = [*self._idle, *self._busy]
        self._idle.clear()
        self._busy.clear()
        for connection in connections:
            await connection.aclose()


class _Returning:
    """A response body that gives its connection back to the pool once closed."""

    def __init__(
        self,
        stream: AsyncIterable[bytes],
        pool: OriginPool,
        connection: Connection,
        origin: httpcore.Origin,
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._connection = connection
        self._origin = origin
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._stream:
            yield part

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            close = getattr(self._stream, "aclose", None)
            if close is not None:
                await close()
        finally:
            await self._pool._give_back(self._connection, self._origin)
