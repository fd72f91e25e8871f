"""The address guard: no connection to a loopback, private, link-local, multicast or reserved
address unless the config allows it, checked on every TCP connection.

    guard = AddressGuard(config.fetch.allow_private_addresses)
    transport = guarded_transport(guard, max_connections=32, max_keepalive_connections=16)

The check sits in the network backend of the connections (httpcore's public ``network_backend``
hook), so it sees every connection the client opens: each redirect hop, and a name that resolves
to a public address when first checked and to a private one when connected (DNS rebinding). It
runs once per TCP connection, not per request: a kept-alive connection stays checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from flows.adapters.connections import OriginPool
from flows.adapters.errors import AddressNotAllowed, FetchConnectError


def _plain_ip(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    ip = _plain_ip(ip)
    if (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    ):
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return False
    return ip.is_global


class AddressGuard:
    """Refuses connections to loopback, private, link-local, multicast and reserved addresses.

    ``allow`` is the config's ``allow_private_addresses``: False (refuse all), True (allow all),
    or a list of host names, addresses or networks that alone may be non-public.
    """

    def __init__(self, allow: bool | list[str]) -> None:
        self.allow_all = allow is True
        self.hosts: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allow if isinstance(allow, list) else []:
            try:
                self.networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                self.hosts.add(entry.strip().lower().rstrip("."))

    def check(self, host: str, ip_text: str) -> None:
        ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
        if self.allow_all or is_public(ip):
            return
        plain = _plain_ip(ip)
        if host.lower().rstrip(".") in self.hosts:
            return
        if any(plain in net or ip in net for net in self.networks):
            return
        raise AddressNotAllowed(
            f"address not allowed: {host} resolves to non-public address {ip_text}"
            " (set fetch.allow_private_addresses to permit it)"
        )

    async def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and check every address; return them, allowed ones only."""
        try:
            ipaddress.ip_address(host.strip("[]"))
            addresses = [host.strip("[]")]
        except ValueError:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except socket.gaierror as exc:
                raise FetchConnectError(f"cannot resolve {host}: {exc.strerror}") from None
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            self.check(host, address)
        return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Checks the address of every TCP connection, so a name that re-resolves to a private
    address between our check and the connect (DNS rebinding) is still refused."""

    def __init__(self, guard: AddressGuard, connect_to: dict[str, str] | None = None) -> None:
        self._guard = guard
        self._inner = httpcore.AnyIOBackend()
        self._connect_to = {
            key.lower(): (host.strip("[]"), int(port))
            for key, target in (connect_to or {}).items()
            for host, _, port in [target.rpartition(":")]
        }

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        host, port = self._connect_to.get(f"{host}:{port}".lower(), (host, port))
        addresses = await self._guard.resolve(host, port)
        return await self._inner.connect_tcp(
            addresses[0],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise AddressNotAllowed("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# httpcore's exceptions as httpx's, most specific first, as httpx's own transport maps them.
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for source, target in _EXCEPTIONS:
            if isinstance(exc, source):
                raise target(str(exc)) from exc
        raise


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterator[bytes] | Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over a pool of httpcore connections whose network backend is the
    guard's: the public way to give httpx a network backend of one's own."""

    def __init__(self, pool: OriginPool) -> None:
        self._pool = pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


def guarded_transport(
    guard: AddressGuard,
    *,
    max_connections: int,
    max_keepalive_connections: int,
    connect_to: dict[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> GuardedTransport:
    """A pooled transport whose every TCP connection passes ``guard`` (no proxies: a proxy
    would connect on our behalf, out of the guard's sight)."""
    pool = OriginPool(
        GuardedBackend(guard, connect_to),
        ssl_context or httpx.create_ssl_context(trust_env=False),
        max_connections=max_connections,
        max_idle=max_keepalive_connections,
        keepalive_s=5.0,
    )
    return GuardedTransport(pool)
